// The Controls view (`iso27017.catalog`) and the control pages, through the extension API (`views.catalog`, `pages`)
// and the commands, checked against what VS Code itself holds: the diagnostics (`languages.getDiagnostics()`), the
// rules the server runs (`iso27017/listRules`), the shipped catalog (dist/controls.json) and the editor tabs.
// Every wait is on an event (`onDidRefresh`, `onDidChangeDiagnostics`, `onDidUpdate`, `onDidChangeTabs`, …) with a
// deadline; every test leaves the workspace, the filters and the open pages as it found them.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../client/src/extension';
import type { CatalogNode } from '../../../client/src/views/catalogTree';
import type { ListRulesResult } from '../../../server/src/protocol';
import { DIAG_MS, SOURCE, codeOf, deadline, fileUri, lineOf, startExtension, until, waitForDiagnostics } from './helpers';

/** The webview type of the control pages (client/src/pages/controlPage.ts); VS Code may prefix it. */
const PAGE_VIEW_TYPE = 'iso27017.control';
const CMD = {
  showControl: 'iso27017.catalog.showControl',
  reveal: 'iso27017.catalog.reveal',
  openFinding: 'iso27017.catalog.openFinding',
  onlyWithFindings: 'iso27017.catalog.showOnlyWithFindings',
  showAll: 'iso27017.catalog.showAll',
  clearSearch: 'iso27017.catalog.clearSearch',
} as const;
const RDS_UNENCRYPTED = 'terraform/rds-storage-unencrypted';
const S3_ENCRYPTION = 'terraform/s3-encryption-missing';

interface Catalog {
  groups: { id: string; title: string; controls: string[] }[];
  controls: { id: string; title: string }[];
}

/** The controls a diagnostic names: its `data.controls` when the client kept it, else the `(ISO 27017 …)` suffix. */
function controlsOf(d: vscode.Diagnostic): string[] {
  const data = (d as vscode.Diagnostic & { data?: { controls?: unknown } }).data;
  if (data && Array.isArray(data.controls)) return [...new Set(data.controls.map(String))];
  const m = /\(ISO 27017 (.+)\)$/.exec(d.message);
  return m ? [...new Set(m[1]!.split('; ').map((part) => part.split(' ')[0]!))] : [];
}

interface Located {
  uri: vscode.Uri;
  d: vscode.Diagnostic;
}

/** Our diagnostics of the whole workspace, by the control they name. */
function diagnosticsByControl(): Map<string, Located[]> {
  const out = new Map<string, Located[]>();
  for (const [uri, ds] of vscode.languages.getDiagnostics()) {
    for (const d of ds) {
      if (d.source !== SOURCE) continue;
      for (const id of controlsOf(d)) {
        const list = out.get(id) ?? [];
        list.push({ uri, d });
        out.set(id, list);
      }
    }
  }
  return out;
}

const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;
const labelOf = (item: vscode.TreeItem): string => (typeof item.label === 'string' ? item.label : (item.label?.label ?? ''));
const iconOf = (item: vscode.TreeItem): string | undefined => (item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : undefined);

/**
 * Waits until `check` returns a value (not undefined), re-checking whenever one of `events` fires.
 * Rejects after `ms` with `what` and what `explain` says about the last state.
 */
function waitFor<T>(check: () => Promise<T | undefined>, events: vscode.Event<unknown>[], what: string, explain: () => Promise<string>, ms = DIAG_MS): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let done = false;
    let again = false;
    let running = false;
    const subs: vscode.Disposable[] = [];
    const finish = (fn: () => void): void => {
      done = true;
      clearTimeout(timer);
      subs.forEach((s) => s.dispose());
      fn();
    };
    const run = async (): Promise<void> => {
      if (done) return;
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        do {
          again = false;
          const v = await check();
          if (v !== undefined && !done) return finish(() => resolve(v));
        } while (again && !done);
      } catch (e) {
        if (!done) finish(() => reject(e instanceof Error ? e : new Error(String(e))));
      } finally {
        running = false;
      }
    };
    const timer = setTimeout(() => {
      void explain().then(
        (s) => finish(() => reject(new Error(`Timed out after ${ms / 1000} s waiting for ${what}; ${s}`))),
        () => finish(() => reject(new Error(`Timed out after ${ms / 1000} s waiting for ${what}`))),
      );
    }, ms);
    for (const e of events) subs.push(e(() => void run()));
    void run();
  });
}

describe('Controls view and control pages', () => {
  let api: ExtensionApi;
  let catalogData: Catalog;
  /** Rule ids by the control they evidence (from the server's own rule list). */
  let rulesByControl: Map<string, string[]>;
  const mainUri = () => fileUri('main.tf');
  const titleOf = (id: string): string => catalogData.controls.find((c) => c.id === id)?.title ?? '?';
  const tree = () => api.views.catalog;

  /** The controls of the view: id -> node, item, group id. Walks roots and groups, as the view does. */
  async function controlsInTree(): Promise<Map<string, { node: CatalogNode; item: vscode.TreeItem; group: string }>> {
    const out = new Map<string, { node: CatalogNode; item: vscode.TreeItem; group: string }>();
    for (const g of await tree().getChildren()) {
      if (g.kind !== 'group') continue;
      for (const c of await tree().getChildren(g)) if (c.kind === 'control') out.set(c.controlId, { node: c, item: tree().getTreeItem(c), group: g.groupId });
    }
    return out;
  }

  /** The description a control's row must have, given the diagnostics. */
  function expectedDescription(id: string, byControl: Map<string, Located[]>): string {
    if ((rulesByControl.get(id) ?? []).length === 0) return 'process control';
    const n = byControl.get(id)?.length ?? 0;
    return n > 0 ? plural(n, 'finding') : 'passing';
  }

  /** The rows whose description disagrees with the diagnostics ('' when they all agree). */
  async function treeVersusDiagnostics(): Promise<string> {
    const byControl = diagnosticsByControl();
    const rows = await controlsInTree();
    const wrong: string[] = [];
    for (const c of catalogData.controls) {
      const row = rows.get(c.id);
      const want = expectedDescription(c.id, byControl);
      if (!row) wrong.push(`${c.id}: not in the view (expected "${want}")`);
      else if (row.item.description !== want) wrong.push(`${c.id}: "${String(row.item.description)}", the diagnostics say "${want}"`);
    }
    return wrong.join('; ');
  }

  /** Waits until every control row agrees with the diagnostics (the view refreshes a little after they change). */
  function treeInSync(what: string, extra: () => Promise<boolean> | boolean = () => true): Promise<true> {
    return waitFor(
      async () => ((await treeVersusDiagnostics()) === '' && (await extra()) ? true : undefined),
      [tree().onDidRefresh, vscode.languages.onDidChangeDiagnostics, api.pages.onDidUpdate],
      what,
      async () => `the view disagrees with the diagnostics: ${(await treeVersusDiagnostics()) || '(no longer)'}`,
    );
  }

  /** The editor tabs of control pages. */
  function pageTabs(): vscode.Tab[] {
    return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(PAGE_VIEW_TYPE));
  }

  /** True when a tab label is the page title of a control: `<id> <title>`, cut to 48 characters with an ellipsis. */
  function isTitleOf(label: string, id: string): boolean {
    const full = `${id} ${titleOf(id)}`;
    return label === full || (label.endsWith('…') && label.length <= 48 && full.startsWith(label.slice(0, -1)));
  }

  /** Waits for the webview tab of a control's page. */
  function pageTab(id: string): Promise<vscode.Tab> {
    const find = async () => pageTabs().find((t) => isTitleOf(t.label, id));
    return waitFor(find, [vscode.window.tabGroups.onDidChangeTabs], `a webview tab titled "${id} ${titleOf(id)}"`, async () => `tabs: ${JSON.stringify(vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => t.label))}`, 30_000);
  }

  async function closePages(): Promise<void> {
    const tabs = pageTabs();
    if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
    await until(() => api.pages.openControls().length === 0, 30_000, `the control pages to close (open: ${api.pages.openControls().join(', ')})`);
  }

  before(async () => {
    const { ext, api: a } = await startExtension();
    api = a as ExtensionApi;
    assert.ok(api?.views?.catalog && api.pages, 'the extension API has views.catalog and pages');
    catalogData = JSON.parse(fs.readFileSync(path.join(ext.extensionPath, 'dist', 'controls.json'), 'utf8')) as Catalog;
    const { rules } = await deadline(api.client.sendRequest<ListRulesResult>('iso27017/listRules', {}), 30_000, 'iso27017/listRules');
    rulesByControl = new Map();
    for (const r of rules) for (const c of r.controls) rulesByControl.set(c.id, [...(rulesByControl.get(c.id) ?? []), r.id]);

    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(mainUri()));
    await waitForDiagnostics(mainUri(), (ds) => ds.some((d) => codeOf(d) === RDS_UNENCRYPTED), RDS_UNENCRYPTED);
    await waitForDiagnostics(fileUri('modules', 'logs-bucket', 'main.tf'), (ds) => ds.some((d) => codeOf(d) === S3_ENCRYPTION), `${S3_ENCRYPTION} in the module`);
    await treeInSync('the Controls view to agree with the diagnostics');
  });

  afterEach(async () => {
    await vscode.commands.executeCommand(CMD.showAll);
    await vscode.commands.executeCommand(CMD.clearSearch);
    await closePages();
  });

  it('lists the clause groups in catalog order, each with its control count and finding count', async () => {
    const roots = await tree().getChildren();
    assert.deepStrictEqual(
      roots.map((n) => (n.kind === 'group' ? n.groupId : `${n.kind}:${n.id}`)),
      catalogData.groups.map((g) => g.id),
      'the roots are the groups of dist/controls.json, in its order (no ISO 27018 section by default)',
    );
    const byControl = diagnosticsByControl();
    for (const [i, node] of roots.entries()) {
      const g = catalogData.groups[i]!;
      const item = tree().getTreeItem(node);
      assert.strictEqual(labelOf(item), g.id === 'CLD' ? g.title : `${g.id} ${g.title}`, `label of group ${g.id}`);
      assert.strictEqual(item.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed, `group ${g.id} is collapsed`);
      // The group's count is of distinct findings: one that names two controls of the group (e.g.
      // security-group-open-ssh: 9.1.2 and 9.4.1) counts once.
      const findings = new Set(g.controls.flatMap((id) => byControl.get(id) ?? []).map((x) => `${x.uri.toString()}|${x.d.range.start.line}:${x.d.range.start.character}|${String(typeof x.d.code === 'object' ? x.d.code.value : x.d.code)}|${x.d.message}`)).size;
      const count = plural(g.controls.length, 'control');
      assert.strictEqual(item.description, findings > 0 ? `${count} · ${plural(findings, 'finding')}` : count, `description of group ${g.id}`);
    }
  });

  it('lists the controls of each group with finding counts that match the diagnostics; process controls are marked', async () => {
    const byControl = diagnosticsByControl();
    // The example project breaks controls in several groups; 10.1.1 has findings in two files.
    assert.ok((byControl.get('10.1.1')?.length ?? 0) >= 2, `diagnostics name 10.1.1: ${byControl.get('10.1.1')?.length ?? 0}`);
    // The client keeps the server's `data` on each diagnostic; its controls are those the message names.
    for (const [uri, ds] of vscode.languages.getDiagnostics()) {
      for (const d of ds.filter((x) => x.source === SOURCE)) {
        const data = (d as vscode.Diagnostic & { data?: { controls?: string[] } }).data;
        const named = [...new Set(/\(ISO 27017 (.+)\)$/.exec(d.message)?.[1]?.split('; ').map((p) => p.split(' ')[0]!) ?? [])];
        if (data?.controls) assert.deepStrictEqual(data.controls, named, `${vscode.workspace.asRelativePath(uri)}:${d.range.start.line + 1} ${codeOf(d)}: data.controls vs message`);
      }
    }
    let process = 0;
    for (const g of await tree().getChildren()) {
      if (g.kind !== 'group') continue;
      const controls = await tree().getChildren(g);
      assert.deepStrictEqual(
        controls.map((c) => (c.kind === 'control' ? c.controlId : c.id)),
        catalogData.groups.find((x) => x.id === g.groupId)!.controls,
        `the controls of group ${g.groupId}, in catalog order`,
      );
      for (const c of controls) {
        if (c.kind !== 'control') continue;
        const item = tree().getTreeItem(c);
        const where = `control ${c.controlId}`;
        assert.strictEqual(labelOf(item), `${c.controlId} ${titleOf(c.controlId)}`, `${where}: label`);
        assert.strictEqual(item.description, expectedDescription(c.controlId, byControl), `${where}: description`);
        assert.strictEqual(item.contextValue, 'control', `${where}: contextValue (its page action)`);
        assert.strictEqual(item.command?.command, 'iso27017.catalog.openPage', `${where}: a click opens its page`);
        const isProcess = (rulesByControl.get(c.controlId) ?? []).length === 0;
        if (isProcess) {
          process++;
          assert.strictEqual(iconOf(item), 'checklist', `${where}: a process control has the checklist icon`);
          assert.strictEqual(item.collapsibleState, vscode.TreeItemCollapsibleState.None, `${where}: a process control has no children`);
          assert.deepStrictEqual(await tree().getChildren(c), [], `${where}: no rules`);
        } else {
          const n = byControl.get(c.controlId)?.length ?? 0;
          // The icon is the worst severity of its findings (DiagnosticSeverity: Error 0 … Hint 3), or a pass.
          const worst = Math.min(...(byControl.get(c.controlId) ?? []).map((x) => x.d.severity));
          assert.strictEqual(iconOf(item), n > 0 ? ['error', 'warning', 'info', 'lightbulb'][worst] : 'pass', `${where}: icon`);
          assert.strictEqual(item.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed, `${where}: expandable`);
        }
      }
    }
    assert.ok(process > 0, 'the catalog has process controls');
    assert.strictEqual(tree().getTreeItem((await controlsInTree()).get('10.1.1')!.node).description, plural(byControl.get('10.1.1')!.length, 'finding'));
  });

  it('expands a control into its rules, and a rule into its findings, whose command opens the location', async () => {
    const byControl = diagnosticsByControl();
    const control = (await controlsInTree()).get('10.1.1')!.node;
    const rules = await tree().getChildren(control);
    assert.deepStrictEqual(rules.map((r) => (r.kind === 'rule' ? r.ruleId : r.id)).sort(), [...(rulesByControl.get('10.1.1') ?? [])].sort(), 'the rules of 10.1.1 are those that name it');
    for (const r of rules) {
      if (r.kind !== 'rule') continue;
      const want = byControl.get('10.1.1')!.filter((x) => codeOf(x.d) === r.ruleId);
      const item = tree().getTreeItem(r);
      assert.strictEqual(item.description, want.length > 0 ? plural(want.length, 'finding') : 'passing', `rule ${r.ruleId}: description`);
      const findings = await tree().getChildren(r);
      assert.strictEqual(findings.length, want.length, `rule ${r.ruleId}: one child per diagnostic`);
    }

    // terraform/s3-encryption-missing has a finding in main.tf and one in modules/logs-bucket/main.tf.
    const rule = rules.find((r) => r.kind === 'rule' && r.ruleId === S3_ENCRYPTION);
    assert.ok(rule, `10.1.1 lists ${S3_ENCRYPTION}`);
    const findings = await tree().getChildren(rule);
    const wanted = byControl.get('10.1.1')!.filter((x) => codeOf(x.d) === S3_ENCRYPTION);
    assert.ok(wanted.some((x) => x.uri.path.endsWith('/modules/logs-bucket/main.tf')), 'a diagnostic of the rule is in the module');
    for (const f of findings) {
      const item = tree().getTreeItem(f);
      assert.ok(item.command, `finding ${labelOf(item)} has a command`);
      assert.strictEqual(item.command.command, CMD.openFinding);
      await deadline(Promise.resolve(vscode.commands.executeCommand(item.command.command, ...(item.command.arguments ?? []))), 30_000, `${CMD.openFinding} ${labelOf(item)}`);
      const editor = vscode.window.activeTextEditor;
      assert.ok(editor, 'an editor is active after opening a finding');
      const match = wanted.find((x) => x.uri.toString() === editor.document.uri.toString() && x.d.range.isEqual(editor.selection));
      assert.ok(
        match,
        `finding "${labelOf(item)}" (${String(item.description)}) opened ${vscode.workspace.asRelativePath(editor.document.uri)} at ${editor.selection.start.line + 1}:${editor.selection.start.character + 1}, ` +
          `where there is no ${S3_ENCRYPTION} diagnostic`,
      );
      assert.strictEqual(item.description, `${vscode.workspace.asRelativePath(match.uri)}:${match.d.range.start.line + 1}`, 'the finding row says where it is');
    }
    assert.deepStrictEqual(new Set(findings.map((f) => String(tree().getTreeItem(f).description))).size, wanted.length, 'each diagnostic once');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(mainUri()), vscode.ViewColumn.One);
  });

  it('iso27017.catalog.showControl <id> opens the control page in a webview tab, and reuses it when shown again', async () => {
    const byControl = diagnosticsByControl();
    const ok = await deadline(Promise.resolve(vscode.commands.executeCommand<boolean>(CMD.showControl, '10.1.1')), 30_000, `${CMD.showControl} 10.1.1`);
    assert.strictEqual(ok, true, `${CMD.showControl} returns true`);
    const tab = await pageTab('10.1.1');
    assert.ok(tab.isActive, 'the page is the active tab of its group');
    assert.deepStrictEqual(api.pages.openControls(), ['10.1.1']);
    const model = api.pages.modelOf('10.1.1')!;
    assert.strictEqual(model.control.title, titleOf('10.1.1'));
    assert.strictEqual(model.findingCount, byControl.get('10.1.1')!.length, 'the page counts the findings the diagnostics name');
    assert.deepStrictEqual([...model.control.rules].sort(), [...rulesByControl.get('10.1.1')!].sort(), 'the page lists the rules of the control');
    assert.ok(model.control.guidance.customer.length > 0 && model.control.guidance.provider.length > 0, 'the page has customer and provider guidance');
    assert.deepStrictEqual(
      model.findings.map((f) => f.where).sort(),
      byControl.get('10.1.1')!.map((x) => `${vscode.workspace.asRelativePath(x.uri)}:${x.d.range.start.line + 1}`).sort(),
      'the page lists where each finding is',
    );

    // Shown again: the same tab, no second panel.
    assert.strictEqual(await vscode.commands.executeCommand<boolean>(CMD.showControl, '10.1.1'), true);
    assert.strictEqual(pageTabs().filter((t) => isTitleOf(t.label, '10.1.1')).length, 1, 'one tab for 10.1.1');
    // An unknown control opens nothing.
    assert.strictEqual(await vscode.commands.executeCommand<boolean>(CMD.showControl, '99.9.9'), false, 'an unknown control id');
    assert.deepStrictEqual(api.pages.openControls(), ['10.1.1']);
  });

  it('iso27017.catalog.reveal <id> selects the control in the Controls view and opens its page', async () => {
    // 10-diagnostics revealed 9.4.1 already: if it is still selected, revealing it again changes nothing and fires
    // nothing, so select another control first. Polled, not awaited on onDidChangeSelection, because `selection` maps
    // the selected handles to elements when it is read, and a handle may resolve only after the view fetched it again.
    // This test runs before the filter and search tests on purpose: within a few hundred ms of a full refresh of the
    // view (a filter or search change), VS Code's TreeView.reveal() may resolve without selecting anything (see
    // docs/e2e.md, "Pitfalls").
    assert.strictEqual(await tree().reveal('10.1.1'), true, 'views.catalog.reveal 10.1.1');
    await until(() => tree().treeView.selection.some((n) => n.id === 'control:10.1.1'), 30_000, 'control 10.1.1 to be selected in the Controls view');
    const ok = await deadline(Promise.resolve(vscode.commands.executeCommand<boolean>(CMD.reveal, '9.4.1')), 30_000, `${CMD.reveal} 9.4.1`);
    assert.strictEqual(ok, true, `${CMD.reveal} returns true`);
    await until(() => tree().treeView.selection.some((n) => n.id === 'control:9.4.1'), 30_000, 'control 9.4.1 to be selected in the Controls view').catch((e: Error) => {
      throw new Error(`${e.message}; selection: ${JSON.stringify(tree().treeView.selection.map((n) => n.id))}`);
    });
    assert.ok(tree().treeView.visible, 'the Controls view is visible');
    await pageTab('9.4.1');
    assert.deepStrictEqual(api.pages.openControls(), ['9.4.1']);
  });

  it('the "Show control … in catalog" code action of a diagnostic opens that control\'s page', async () => {
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(mainUri()), vscode.ViewColumn.One);
    const d = (await waitForDiagnostics(mainUri(), (ds) => ds.some((x) => codeOf(x) === RDS_UNENCRYPTED), RDS_UNENCRYPTED)).find((x) => codeOf(x) === RDS_UNENCRYPTED)!;
    assert.ok(controlsOf(d).includes('10.1.1'), `${RDS_UNENCRYPTED} names 10.1.1: ${d.message}`);
    const actions = await deadline(
      vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', mainUri(), d.range),
      30_000,
      'vscode.executeCodeActionProvider',
    );
    const titles = (actions ?? []).map((a) => a.title);
    const show = (actions ?? []).find((a): a is vscode.CodeAction => a.title === 'Show control 10.1.1 in catalog' && typeof (a as vscode.Command).command !== 'string');
    assert.ok(show?.command, `the action is offered with a command: ${JSON.stringify(titles)}`);
    assert.strictEqual(show.command.command, CMD.reveal);
    const ok = await deadline(Promise.resolve(vscode.commands.executeCommand<boolean>(show.command.command, ...(show.command.arguments ?? []))), 30_000, 'the "Show control 10.1.1" action');
    assert.strictEqual(ok, true, 'the action succeeds');
    const tab = await pageTab('10.1.1');
    assert.ok(tab.isActive, 'the page is active');
    assert.deepStrictEqual(api.pages.openControls(), ['10.1.1']);
    assert.notStrictEqual(tab.group.viewColumn, editor.viewColumn, 'from an editor, the page opens beside the code');
  });

  it('"Show Only Controls with Findings" hides the controls (and groups) without findings; "Show All" brings them back', async () => {
    const byControl = diagnosticsByControl();
    const withFindings = catalogData.controls.map((c) => c.id).filter((id) => (byControl.get(id)?.length ?? 0) > 0);
    await vscode.commands.executeCommand(CMD.onlyWithFindings);
    assert.strictEqual(tree().filter.withFindings, true, 'the filter is on');
    const shown = await controlsInTree();
    assert.deepStrictEqual([...shown.keys()].sort(), [...withFindings].sort(), 'exactly the controls the diagnostics name are listed');
    const groups = (await tree().getChildren()).map((g) => (g.kind === 'group' ? g.groupId : g.id));
    assert.deepStrictEqual(groups, catalogData.groups.filter((g) => g.controls.some((id) => withFindings.includes(id))).map((g) => g.id), 'groups without findings are hidden');
    const g9 = (await tree().getChildren()).find((g) => g.kind === 'group' && g.groupId === '9')!;
    const g9data = catalogData.groups.find((g) => g.id === '9')!;
    assert.match(String(tree().getTreeItem(g9).description), new RegExp(`^${g9data.controls.filter((id) => withFindings.includes(id)).length} of ${g9data.controls.length} controls`), 'a filtered group says how many it shows');
    assert.strictEqual(tree().treeView.message, 'Showing controls with findings.');

    await vscode.commands.executeCommand(CMD.showAll);
    assert.strictEqual(tree().filter.withFindings, false, 'the filter is off');
    assert.strictEqual((await controlsInTree()).size, catalogData.controls.length, 'every control is listed again');
    assert.strictEqual(tree().treeView.message, undefined);
  });

  it('iso27017.catalog.search filters the controls by id, title, summary, keywords and rules; Clear Search ends it', async () => {
    await vscode.commands.executeCommand('iso27017.catalog.search', 'backup');
    assert.strictEqual(tree().filter.query, 'backup');
    const shown = await controlsInTree();
    assert.ok(shown.has('12.3.1'), `12.3.1 Information backup matches "backup": ${[...shown.keys()].join(', ')}`);
    assert.ok(shown.size < catalogData.controls.length, 'the search hides controls');
    const label = tree().getTreeItem(shown.get('12.3.1')!.node).label as vscode.TreeItemLabel;
    assert.deepStrictEqual(label.highlights, [[label.label.toLowerCase().indexOf('backup'), label.label.toLowerCase().indexOf('backup') + 'backup'.length]], 'the match is highlighted');
    assert.strictEqual(tree().treeView.message, 'Showing controls matching "backup".');
    await vscode.commands.executeCommand('iso27017.catalog.search', 'no-such-word-anywhere');
    assert.deepStrictEqual(await tree().getChildren(), [], 'no match: no rows (the welcome view says so)');
    await vscode.commands.executeCommand(CMD.clearSearch);
    assert.strictEqual(tree().filter.query, '');
    assert.strictEqual((await controlsInTree()).size, catalogData.controls.length, 'every control is listed again');
  });

  it('updates the finding counts of the view and of an open page after an edit that fixes a finding, and back on undo', async () => {
    const doc = await vscode.workspace.openTextDocument(mainUri());
    await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
    const before = diagnosticsByControl().get('10.1.1')!.length;
    assert.ok(await api.pages.show('10.1.1'), 'the 10.1.1 page opens');
    const rowOf = async (id: string) => (await controlsInTree()).get(id)!.item;
    assert.strictEqual((await rowOf('10.1.1')).description, plural(before, 'finding'));

    const line = lineOf(doc, 'storage_encrypted');
    const old = 'var.environment == "prod"';
    const col = doc.lineAt(line).text.indexOf(old);
    assert.ok(col > 0, `line ${line + 1} sets storage_encrypted from the environment`);
    const fix = new vscode.WorkspaceEdit();
    fix.replace(mainUri(), new vscode.Range(line, col, line, col + old.length), 'true');
    assert.ok(await vscode.workspace.applyEdit(fix), 'edit applied');
    try {
      await waitForDiagnostics(mainUri(), (ds) => ds.length > 0 && !ds.some((d) => codeOf(d) === RDS_UNENCRYPTED), `${RDS_UNENCRYPTED} to clear after storage_encrypted = true`);
      await treeInSync(`the Controls view and the 10.1.1 page to count ${before - 1} findings of 10.1.1`, async () => api.pages.modelOf('10.1.1')?.findingCount === before - 1);
      assert.strictEqual((await rowOf('10.1.1')).description, plural(before - 1, 'finding'), 'the row counts one finding less');
      const rule = (await tree().getChildren((await controlsInTree()).get('10.1.1')!.node)).find((r) => r.kind === 'rule' && r.ruleId === RDS_UNENCRYPTED)!;
      assert.strictEqual(tree().getTreeItem(rule).description, 'passing', `${RDS_UNENCRYPTED} passes under 10.1.1`);
      assert.ok(!api.pages.modelOf('10.1.1')!.findings.some((f) => f.ruleId === RDS_UNENCRYPTED), 'the page no longer lists the finding');
    } finally {
      const back = new vscode.WorkspaceEdit();
      back.replace(mainUri(), new vscode.Range(line, col, line, col + 'true'.length), old);
      assert.ok(await vscode.workspace.applyEdit(back), 'edit undone');
      await doc.save();
    }
    await waitForDiagnostics(mainUri(), (ds) => ds.some((d) => codeOf(d) === RDS_UNENCRYPTED), `${RDS_UNENCRYPTED} to come back after the undo`);
    await treeInSync(`the view and the page to count ${before} findings of 10.1.1 again`, async () => api.pages.modelOf('10.1.1')?.findingCount === before);
    assert.strictEqual((await rowOf('10.1.1')).description, plural(before, 'finding'));
  });
});
