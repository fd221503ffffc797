// The Suppressions view in the real editor, through the extension API (`views.suppressions`): a file with three
// suppression comments (ours, expiring soon; Checkov's; ours without a reason) written to disk shows up in the
// view with its labels, icons and descriptions, grouped by file and by rule; an entry's command puts the cursor on
// the comment; `iso27017.suppressions.honourOtherTools: false` brings the finding Checkov's comment hid back.
// Every wait is on an event (`onDidRefresh`, `onDidChangeDiagnostics`) with a deadline; the file is deleted and the
// setting reset at the end.

import * as assert from 'assert';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../client/src/extension';
import type { SuppressionCommentNode, SuppressionGroupNode, SuppressionsViewApi } from '../../../client/src/views/suppressionsTree';
import type { SuppressionCommentInfo } from '../../../server/src/protocol';
import { DIAG_MS, codeOf, deadline, describeDiagnostics, fileUri, startExtension, waitForDiagnostics, workspaceRoot } from './helpers';

const VERSIONING = 'terraform/s3-versioning-disabled';
const INVALID = 'iso27017/invalid-suppression';
const FILE = 'e2e-suppressions.tf';

/** A local date `days` from today, `YYYY-MM-DD` (the server judges expiries with its local date). */
function localDate(days: number): string {
  const d = new Date();
  d.setDate(d.getDate() + days);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
const SOON = localDate(10);
const SOON_REASON = 'e2e: scratch bucket, rebuilt daily';
const CHECKOV_REASON = 'e2e: versioning handled by the backup vault';

const LINES = [
  `# iso27017:ignore ${VERSIONING} until=${SOON} -- ${SOON_REASON}`, // 0
  'resource "aws_s3_bucket" "e2e_soon" {',
  '  bucket = "e2e-soon"',
  '}',
  '',
  'resource "aws_s3_bucket" "e2e_checkov" {', // 5
  `  #checkov:skip=CKV_AWS_21:${CHECKOV_REASON}`, // 6
  '  bucket = "e2e-checkov"',
  '}',
  '',
  `# iso27017:ignore ${VERSIONING}`, // 10
  'resource "aws_s3_bucket" "e2e_noreason" {', // 11
  '  bucket = "e2e-noreason"',
  '}',
  '',
];
const LINE = { soon: 0, checkovResource: 5, checkov: 6, noReason: 10, noReasonResource: 11 } as const;

/** Waits until `check` holds, re-checking after each refresh of the view; rejects after `ms` with `what` and `explain()`. */
function waitForView(view: SuppressionsViewApi, check: () => boolean, what: string, explain: () => string, ms = DIAG_MS): Promise<void> {
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

const labelOf = (item: vscode.TreeItem): string => (typeof item.label === 'string' ? item.label : (item.label?.label ?? ''));
const iconOf = (item: vscode.TreeItem): string | undefined => (item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : undefined);

describe('Suppressions view', () => {
  let view: SuppressionsViewApi;
  const uri = () => fileUri(FILE);
  const sameFile = (u: string) => vscode.Uri.parse(u).fsPath === uri().fsPath;
  const ourComments = (): SuppressionCommentInfo[] => (view.data?.comments ?? []).filter((c) => sameFile(c.uri));
  const describeComments = () => JSON.stringify(ourComments().map((c) => `${c.range.start.line + 1}: ${c.syntax} ${c.status}`));
  const settings = () => vscode.workspace.getConfiguration('iso27017', workspaceRoot());

  /** The comment nodes of our file as the view shows them (grouped by file), in order. */
  async function fileEntries(): Promise<SuppressionCommentNode[]> {
    const roots = await view.getChildren();
    const group = roots.find((n): n is SuppressionGroupNode => n.kind === 'group' && n.by === 'file' && sameFile(n.key));
    assert.ok(group, `a group for ${FILE} among ${JSON.stringify(roots.map((n) => labelOf(view.getTreeItem(n))))}`);
    const item = view.getTreeItem(group);
    assert.strictEqual(labelOf(item), FILE, 'the group is labelled with the file\'s relative path');
    assert.strictEqual(item.description, '3 suppressions · 1 invalid · 1 expiring soon', 'the group\'s description');
    return (await view.getChildren(group)).filter((n): n is SuppressionCommentNode => n.kind === 'comment');
  }

  before(async () => {
    const started = await startExtension();
    view = (started.api as ExtensionApi).views.suppressions;
    view.setGrouping('file');
    await deadline(view.refresh(), 30_000, 'views.suppressions.refresh()');
    assert.deepStrictEqual(ourComments(), [], `${FILE} is not there yet`);
    // Written on disk, never opened: the server learns of it through its file watcher.
    await vscode.workspace.fs.writeFile(uri(), new TextEncoder().encode(LINES.join('\n')));
    await waitForView(view, () => ourComments().length === 3, `the view to list the three comments of ${FILE}`, () => `it has ${describeComments()}`);
  });

  after(async () => {
    view?.setGrouping('file');
    await settings().update('suppressions.honourOtherTools', undefined, vscode.ConfigurationTarget.Workspace);
    for (const tab of vscode.window.tabGroups.all.flatMap((g) => g.tabs)) {
      if (tab.input instanceof vscode.TabInputText && tab.input.uri.fsPath === uri().fsPath) await vscode.window.tabGroups.close(tab);
    }
    // A file operation (like the Explorer's Delete), so that VS Code lets go of the document the test opened.
    const del = new vscode.WorkspaceEdit();
    del.deleteFile(uri(), { ignoreIfNotExists: true });
    await vscode.workspace.applyEdit(del);
    await waitForDiagnostics(uri(), (ds) => ds.length === 0, `the diagnostics of the deleted ${FILE} to clear`);
    if (view) await waitForView(view, () => ourComments().length === 0, `the view to drop the comments of the deleted ${FILE}`, () => `it has ${describeComments()}`);
  });

  it('lists the three comments by file with their labels, icons and descriptions (expiring soon, valid, invalid)', async () => {
    const entries = await fileEntries();
    const shown = entries.map((n) => {
      const item = view.getTreeItem(n);
      return { line: n.comment.range.start.line, label: labelOf(item), icon: iconOf(item), description: item.description };
    });
    assert.deepStrictEqual(shown, [
      { line: LINE.soon, label: VERSIONING, icon: 'warning', description: `iso27017 · "${SOON_REASON}" · until ${SOON} (in 10 days) · silences 1 finding` },
      { line: LINE.checkov, label: `CKV_AWS_21 → ${VERSIONING}`, icon: 'eye-closed', description: `Checkov · "${CHECKOV_REASON}" · silences 1 finding` },
      { line: LINE.noReason, label: VERSIONING, icon: 'error', description: 'iso27017 · no reason given' },
    ]);
    assert.deepStrictEqual(entries.map((n) => n.comment.status), ['valid', 'valid', 'invalid']);
    assert.strictEqual(entries[0]!.comment.expiry?.status, 'soon');
    // The finding the comment without a reason failed to hide is visible, and the comment itself is a finding.
    const ds = await waitForDiagnostics(uri(), (all) => all.some((d) => codeOf(d) === INVALID), `${INVALID} in ${FILE}`);
    assert.deepStrictEqual(
      ds.filter((d) => codeOf(d) === VERSIONING).map((d) => d.range.start.line),
      [LINE.noReasonResource],
      `only the bucket under the comment without a reason shows ${VERSIONING}:${describeDiagnostics(ds)}`,
    );
  });

  it('groups by rule with setGrouping("rule"): one group for the rule, entries labelled by location', async () => {
    let refreshed = false;
    const sub = view.onDidRefresh(() => (refreshed = true));
    try {
      view.setGrouping('rule');
    } finally {
      sub.dispose();
    }
    assert.ok(refreshed, 'regrouping refreshes the view');
    assert.strictEqual(view.grouping, 'rule');
    const roots = await view.getChildren();
    const group = roots.find((n): n is SuppressionGroupNode => n.kind === 'group' && n.key === VERSIONING);
    assert.ok(group, `a group for ${VERSIONING} among ${JSON.stringify(roots.map((n) => labelOf(view.getTreeItem(n))))}`);
    assert.strictEqual(group.by, 'rule');
    assert.strictEqual(labelOf(view.getTreeItem(group)), VERSIONING);
    assert.ok(!roots.some((n) => n.kind === 'group' && n.by === 'file'), 'no file groups any more');
    const entries = (await view.getChildren(group)).filter((n): n is SuppressionCommentNode => n.kind === 'comment' && sameFile(n.comment.uri));
    assert.deepStrictEqual(
      entries.map((n) => {
        const item = view.getTreeItem(n);
        return [labelOf(item), iconOf(item), item.description];
      }),
      [
        [`${FILE}:${LINE.soon + 1}`, 'warning', `iso27017 · "${SOON_REASON}" · until ${SOON} (in 10 days) · silences 1 finding`],
        [`${FILE}:${LINE.checkov + 1}`, 'eye-closed', `Checkov · CKV_AWS_21 · "${CHECKOV_REASON}" · silences 1 finding`],
        [`${FILE}:${LINE.noReason + 1}`, 'error', 'iso27017 · no reason given'],
      ],
    );
    view.setGrouping('file');
    assert.strictEqual(view.grouping, 'file');
    assert.strictEqual((await fileEntries()).length, 3, 'back to grouping by file');
  });

  it('running an entry\'s command opens the file with the selection on the comment', async () => {
    for (const which of [LINE.checkov, LINE.noReason]) {
      const node = (await fileEntries()).find((n) => n.comment.range.start.line === which);
      assert.ok(node, `the entry of line ${which + 1}`);
      const command = view.getTreeItem(node).command;
      assert.ok(command, 'the entry has a command');
      await deadline(Promise.resolve(vscode.commands.executeCommand(command.command, ...(command.arguments ?? []))), 30_000, command.command);
      const editor = vscode.window.activeTextEditor;
      assert.ok(editor, 'an editor is active');
      assert.strictEqual(editor.document.uri.fsPath, uri().fsPath, `${FILE} is the active editor`);
      assert.strictEqual(editor.selection.start.line, which, `the selection starts on the comment's line ${which + 1}`);
      assert.strictEqual(editor.selection.end.line, which, 'and ends on it');
      assert.ok(editor.document.lineAt(which).text.slice(editor.selection.start.character).startsWith('#'), 'at the comment');
    }
  });

  it('iso27017.suppressions.honourOtherTools: false shows the finding Checkov\'s comment hid, and lists the comment as ignored', async () => {
    const inCheckovBucket = (d: vscode.Diagnostic) => codeOf(d) === VERSIONING && d.range.start.line >= LINE.checkovResource && d.range.start.line <= LINE.checkovResource + 3;
    assert.ok(!vscode.languages.getDiagnostics(uri()).some(inCheckovBucket), 'hidden while other tools are honoured');
    await settings().update('suppressions.honourOtherTools', false, vscode.ConfigurationTarget.Workspace);
    const ds = await waitForDiagnostics(uri(), (all) => all.some(inCheckovBucket), `${VERSIONING} in the bucket under #checkov:skip once other tools' comments are off`);
    const d = vscode.languages.getDiagnostics(uri()).find(inCheckovBucket)!;
    assert.strictEqual(d.source, 'iso27017');
    assert.ok(!ds.some((x) => codeOf(x) === VERSIONING && x.range.start.line <= LINE.soon + 3), `our own comment still hides its finding:${describeDiagnostics(ds)}`);
    await waitForView(view, () => ourComments().find((c) => c.syntax === 'checkov')?.status === 'ignored', 'the Checkov comment to be listed as ignored', () => `it has ${describeComments()}`);
    const node = (await fileEntries()).find((n) => n.comment.syntax === 'checkov');
    assert.ok(node, 'the Checkov entry');
    assert.strictEqual(iconOf(view.getTreeItem(node)), 'circle-slash', 'an ignored comment has the slashed circle');

    await settings().update('suppressions.honourOtherTools', undefined, vscode.ConfigurationTarget.Workspace);
    await waitForDiagnostics(uri(), (all) => all.length > 0 && !all.some(inCheckovBucket), `${VERSIONING} hidden again once the setting is reset`);
  });
});
