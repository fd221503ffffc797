// The Shared Responsibility checklist (issue 6) in the real editor, through the extension API (`views.checklist`) and
// the commands, checked against the file on disk and VS Code's diagnostics: create it without UI, tick a control
// (the checkbox's code path), see the done-but-failing warning in the file, follow a change made on disk, export the
// Statement of Applicability. Every wait is on an event (`onDidRefresh`, `onDidChangeDiagnostics`) with a deadline;
// `.iso27017/` is removed at the end, and the view goes back to "no checklist".

import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../client/src/extension';
import type { ChecklistViewApi } from '../../../client/src/views/checklistTree';
import { DIAG_MS, codeOf, controlTitles, deadline, describeDiagnostics, fileUri, startExtension, waitForDiagnostics, workspaceRoot } from './helpers';

const CONFLICT = 'checklist/done-but-failing';
const CMD = { create: 'iso27017.checklist.create', exportSoa: 'iso27017.checklist.exportSoa' } as const;

/** Waits until `check` holds, re-checking after each refresh of the view; rejects after `ms` with `what` and `explain()`. */
function waitForView(view: ChecklistViewApi, check: () => boolean, what: string, explain: () => string, ms = DIAG_MS): Promise<void> {
  if (check()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const sub = view.onDidRefresh(() => {
      if (!check()) return;
      clearTimeout(timer);
      sub.dispose();
      resolve();
    });
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`Timed out after ${ms / 1000} s waiting for ${what}; ${explain()}`));
    }, ms);
  });
}

/** The text of one control's object in the checklist file (`"12.3.1": { … }`). */
function itemText(text: string, id: string): string {
  const m = new RegExp(`"${id.replace(/\./g, '\\.')}"\\s*:\\s*\\{[^}]*\\}`).exec(text);
  assert.ok(m, `the checklist file has an item for ${id}`);
  return m[0];
}

describe('Shared Responsibility checklist', () => {
  let api: ExtensionApi;
  let view: ChecklistViewApi;
  let titles: Map<string, string>;
  const dir = () => fileUri('.iso27017');
  const file = () => fileUri('.iso27017', 'checklist.json');
  const rowText = (id: string) => JSON.stringify(view.row(id) && { status: view.row(id)!.status, conflict: view.row(id)!.conflict });

  before(async () => {
    const started = await startExtension();
    api = started.api as ExtensionApi;
    view = api.views.checklist;
    titles = controlTitles(started.ext);
    assert.ok(!fs.existsSync(dir().fsPath), 'the example project has no .iso27017 folder');
    await view.refresh();
  });

  after(async () => {
    // Close the checklist (and the SoA) if a test opened them, then remove the folder; the view says "missing" again.
    for (const tab of vscode.window.tabGroups.all.flatMap((g) => g.tabs)) {
      if (tab.input instanceof vscode.TabInputText && tab.input.uri.fsPath.startsWith(dir().fsPath)) await vscode.window.tabGroups.close(tab);
    }
    if (fs.existsSync(dir().fsPath)) await vscode.workspace.fs.delete(dir(), { recursive: true });
    await waitForView(view, () => view.state === 'missing', 'the view to say there is no checklist after .iso27017/ was deleted', () => `state ${view.state}`);
    await waitForDiagnostics(file(), (ds) => ds.length === 0, 'the diagnostics of the deleted checklist to clear');
  });

  it('has no checklist in the example project: the view is empty and says so (the welcome offers Create Checklist)', async () => {
    assert.strictEqual(view.state, 'missing', 'view state');
    assert.deepStrictEqual(await view.getChildren(), [], 'no rows: the welcome content shows instead');
    assert.strictEqual(view.data?.folders[0]?.state, 'missing');
  });

  it('creates the checklist with iso27017.checklist.create (no UI): every control, 12.3.1 unticked', async () => {
    const created = await deadline(
      Promise.resolve(vscode.commands.executeCommand<boolean>(CMD.create, { folder: workspaceRoot().toString(), providers: ['aws'], models: ['IaaS', 'PaaS'], confirm: false })),
      30_000,
      CMD.create,
    );
    assert.strictEqual(created, true, `${CMD.create} returns true`);
    assert.ok(fs.existsSync(file().fsPath), '.iso27017/checklist.json exists on disk');
    const text = fs.readFileSync(file().fsPath, 'utf8');
    assert.match(text, /^\/\/ ISO\/IEC 27017 shared-responsibility checklist/, 'the file starts with its explaining comment');
    assert.strictEqual(view.state, 'ready', 'view state after creation');
    const f = view.data!.folders[0]!;
    assert.strictEqual(f.rows.length, titles.size, `a row per catalog control (${titles.size})`);
    assert.deepStrictEqual(f.providers, ['aws']);
    assert.deepStrictEqual(f.models, ['IaaS', 'PaaS']);

    const node = await view.findItem('12.3.1');
    assert.ok(node, 'view.findItem(12.3.1)');
    const item = view.getTreeItem(node);
    const label = typeof item.label === 'string' ? item.label : item.label?.label;
    assert.strictEqual(label, `12.3.1 ${titles.get('12.3.1')}`, 'the row\'s label');
    const checkbox = item.checkboxState;
    const state = typeof checkbox === 'object' ? checkbox.state : checkbox;
    assert.strictEqual(state, vscode.TreeItemCheckboxState.Unchecked, '12.3.1 is unticked');
    assert.strictEqual(view.row('12.3.1')?.status, 'todo');
    assert.ok((view.row('12.3.1')?.openFindings ?? 0) > 0, 'the example has open findings for 12.3.1');
    // The node is reachable the way the view shows it: its group lists it.
    const groups = await view.getChildren();
    const siblings = (await Promise.all(groups.map((g) => view.getChildren(g)))).flat();
    assert.ok(siblings.some((n) => n.id === node.id), 'the view lists 12.3.1 under its group');
  });

  it('ticking 12.3.1 (setChecked) writes "status": "done" to disk, changes nothing else, and flags it done-but-failing', async () => {
    const before = fs.readFileSync(file().fsPath, 'utf8');
    const itemBefore = itemText(before, '12.3.1');
    assert.match(itemBefore, /"status": "todo"/);
    const node = (await view.findItem('12.3.1'))!;
    assert.strictEqual(await deadline(view.setChecked(node, true), 30_000, 'setChecked(12.3.1, true)'), true, 'setChecked resolves true');

    const after = fs.readFileSync(file().fsPath, 'utf8');
    const itemAfter = itemText(after, '12.3.1');
    assert.strictEqual(itemAfter, itemBefore.replace('"status": "todo"', '"status": "done"'), 'the item of 12.3.1 on disk');
    assert.strictEqual(after, before.replace(itemBefore, itemAfter), 'nothing else in the file changed (comments, layout, other items)');
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === file().toString());
    assert.ok(!doc || !doc.isDirty, 'the checklist was saved (it had no unsaved changes)');

    assert.strictEqual(view.row('12.3.1')?.status, 'done', 'the view\'s data');
    const item = view.getTreeItem((await view.findItem('12.3.1'))!);
    const checkbox = item.checkboxState;
    assert.strictEqual(typeof checkbox === 'object' ? checkbox.state : checkbox, vscode.TreeItemCheckboxState.Checked, '12.3.1 is ticked');

    // The example has open findings for 12.3.1: the file gets a warning on the key of the item, pointing at them.
    const ds = await waitForDiagnostics(file(), (all) => all.some((d) => codeOf(d) === CONFLICT), `a ${CONFLICT} warning in .iso27017/checklist.json`);
    const conflict = ds.find((d) => codeOf(d) === CONFLICT)!;
    const keyLine = after.split('\n').findIndex((l) => l.includes('"12.3.1": {'));
    assert.strictEqual(conflict.range.start.line, keyLine, `on the line of "12.3.1" (line ${keyLine + 1}):${describeDiagnostics(ds)}`);
    assert.strictEqual(conflict.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(conflict.message, /12\.3\.1/);
    const related = (conflict.relatedInformation ?? []).map((r) => `${vscode.workspace.asRelativePath(r.location.uri)}:${r.location.range.start.line + 1} ${r.message}`);
    assert.ok(related.some((r) => r.startsWith('main.tf:63 terraform/s3-versioning-disabled')), `the related locations name the open findings: ${JSON.stringify(related)}`);
    assert.ok(related.some((r) => r.startsWith('main.tf:98 terraform/rds-backup-retention-disabled')), `the related locations name the open findings: ${JSON.stringify(related)}`);
    assert.strictEqual(view.row('12.3.1')?.conflict, true, 'the view marks the row failing');
  });

  it('follows a change made on disk with fs (12.4.1 set done): the view refreshes', async () => {
    const before = fs.readFileSync(file().fsPath, 'utf8');
    const item = itemText(before, '12.4.1');
    assert.strictEqual(view.row('12.4.1')?.status, 'todo');
    fs.writeFileSync(file().fsPath, before.replace(item, item.replace('"status": "todo"', '"status": "done"')));
    await waitForView(view, () => view.row('12.4.1')?.status === 'done', 'the view to show 12.4.1 done after the file changed on disk', () => `12.4.1 is ${rowText('12.4.1')}`);
    const checkbox = view.getTreeItem((await view.findItem('12.4.1'))!).checkboxState;
    assert.strictEqual(typeof checkbox === 'object' ? checkbox.state : checkbox, vscode.TreeItemCheckboxState.Checked, '12.4.1 is ticked');
    assert.strictEqual(view.row('12.3.1')?.status, 'done', '12.3.1 is still done');
    assert.strictEqual(view.data!.folders[0]!.progress.done, 2, 'two controls done');
    // 12.4.1 has open findings too (access logging, RDS log exports): a second warning.
    await waitForDiagnostics(file(), (all) => all.filter((d) => codeOf(d) === CONFLICT).length === 2, `two ${CONFLICT} warnings (12.3.1 and 12.4.1)`);
  });

  it('follows checklist.path of the repository config: unsaved edits of that file count, like those of the default one', async () => {
    const custom = fileUri('compliance', 'checklist.json');
    const config = fileUri('.iso27017', 'config.json');
    const current = fs.readFileSync(file().fsPath, 'utf8');
    fs.mkdirSync(fileUri('compliance').fsPath, { recursive: true });
    fs.writeFileSync(custom.fsPath, current.replace(itemText(current, '12.4.1'), itemText(current, '12.4.1').replace('"status": "done"', '"status": "in-progress"')));
    try {
      fs.writeFileSync(config.fsPath, '{ "checklist": { "path": "compliance/checklist.json" } }\n');
      await waitForView(view, () => view.data?.folders[0]?.uri === custom.toString() && view.row('12.4.1')?.status === 'in-progress', 'the view to show compliance/checklist.json', () => `${view.data?.folders[0]?.uri}, 12.4.1 ${rowText('12.4.1')}`);

      // An edit in the editor, not saved: the view follows it (the client syncs this file only because the server asked).
      const doc = await vscode.workspace.openTextDocument(custom);
      await vscode.window.showTextDocument(doc);
      const item = itemText(doc.getText(), '12.4.1');
      const at = doc.getText().indexOf(item) + item.indexOf('"status": "in-progress"');
      const edit = new vscode.WorkspaceEdit();
      edit.replace(custom, new vscode.Range(doc.positionAt(at), doc.positionAt(at + '"status": "in-progress"'.length)), '"status": "todo"');
      assert.ok(await vscode.workspace.applyEdit(edit), 'the edit applies');
      assert.ok(doc.isDirty, 'the edit is not saved');
      await waitForView(view, () => view.row('12.4.1')?.status === 'todo', 'the view to show the unsaved status of 12.4.1', () => `12.4.1 ${rowText('12.4.1')}`);
      assert.match(fs.readFileSync(custom.fsPath, 'utf8'), /"status": "in-progress"/, 'the disk still has the saved status');

      // Reverted: the saved text counts again.
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await waitForView(view, () => view.row('12.4.1')?.status === 'in-progress', 'the view to show the saved status again after the revert', () => `12.4.1 ${rowText('12.4.1')}`);
    } finally {
      for (const tab of vscode.window.tabGroups.all.flatMap((g) => g.tabs)) {
        if (tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === custom.toString()) await vscode.window.tabGroups.close(tab);
      }
      fs.rmSync(config.fsPath, { force: true });
      await vscode.workspace.fs.delete(fileUri('compliance'), { recursive: true });
    }
    await waitForView(view, () => view.data?.folders[0]?.uri === file().toString() && view.row('12.4.1')?.status === 'done', 'the view to go back to .iso27017/checklist.json', () => `${view.data?.folders[0]?.uri}, 12.4.1 ${rowText('12.4.1')}`);
  });

  it('exports the Statement of Applicability as Markdown with every control (iso27017.checklist.exportSoa)', async () => {
    const target = fileUri('.iso27017', 'soa.md');
    const written = await deadline(
      Promise.resolve(vscode.commands.executeCommand<string | undefined>(CMD.exportSoa, { folder: workspaceRoot().toString(), format: 'md', target: target.toString() })),
      30_000,
      CMD.exportSoa,
    );
    assert.strictEqual(written, target.toString(), `${CMD.exportSoa} returns the file it wrote`);
    const md = fs.readFileSync(target.fsPath, 'utf8');
    assert.match(md, /^# Statement of Applicability: ISO\/IEC 27017:2015/);
    assert.ok(md.includes('Source: the checklist .iso27017/checklist.json.'), 'made from the checklist, not the catalog defaults');
    assert.strictEqual(titles.size, 44, 'the catalog has 44 controls');
    const missing = [...titles].filter(([id, title]) => !md.includes(`\n### ${id} ${title}\n`)).map(([id]) => id);
    assert.deepStrictEqual(missing, [], 'every control of the catalog has its section');
    assert.strictEqual(md.split('\n').filter((l) => l.startsWith('### ')).length, 44, '44 control sections');
    const section = (id: string) => md.slice(md.indexOf(`\n### ${id} `), md.indexOf('\n### ', md.indexOf(`\n### ${id} `) + 1));
    assert.match(section('12.3.1'), /\*\*Status:\*\* done/, 'the SoA shows 12.3.1 done');
    assert.match(section('12.4.1'), /\*\*Status:\*\* done/, 'the SoA shows 12.4.1 done');
    assert.match(section('12.3.1'), /terraform\/s3-versioning-disabled: 1 open finding \(main\.tf:63\)/, 'with its automatic evidence');
  });
});
