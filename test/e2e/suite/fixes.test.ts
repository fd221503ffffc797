// Quick fixes, fix-all on save and suppressions (issue 5), in the real editor: the code actions VS Code collects for a
// finding (`vscode.executeCodeActionProvider`) and their order, a fix's edit applied with `workspace.applyEdit`,
// `editor.codeActionsOnSave` running `source.fixAll.iso27017` on `document.save()`, and a suppression comment from
// `iso27017/suppressionEdit`. Every wait is on `onDidChangeDiagnostics` with a deadline; every file is restored.

import * as assert from 'assert';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../client/src/extension';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { ListSuppressionsResult, SuppressionEditParams, SuppressionEditResult, WireChangeAnnotation, WorkspaceFixesResult } from '../../../server/src/protocol';
import { codeOf, deadline, describeDiagnostics, fileUri, lineOf, ours, SOURCE, startExtension, waitForDiagnostics, workspaceRoot } from './helpers';

const PUBLIC_ACL = 'terraform/s3-bucket-public-acl';
const VERSIONING = 'terraform/s3-versioning-disabled';
const OPEN_SSH = 'terraform/security-group-open-ssh';
const RDS_UNENCRYPTED = 'terraform/rds-storage-unencrypted';
const DEFAULT_SG = 'terraform/ec2-instance-uses-default-security-group';
/** Fixable (without placeholders) in main.tf and in modules/logs-bucket/main.tf of the example project. */
const ENCRYPTION = 'terraform/s3-encryption-missing';

/** Plain Commands have a string `command`; CodeActions have an object one (or none). */
const isCodeAction = (a: vscode.CodeAction | vscode.Command): a is vscode.CodeAction => typeof (a as vscode.Command).command !== 'string';

async function codeActionsAt(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  const all = await deadline(
    vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', uri, range),
    30_000,
    'vscode.executeCodeActionProvider',
  );
  return (all ?? []).filter(isCodeAction);
}

/** Replaces the whole text of `doc` with `text` and saves it (no-op when it already is that text, on disk too). */
async function restore(doc: vscode.TextDocument, text: string): Promise<void> {
  if (doc.getText() !== text) {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
    assert.ok(await vscode.workspace.applyEdit(edit), `restored ${vscode.workspace.asRelativePath(doc.uri)}`);
  }
  if (doc.isDirty) assert.ok(await doc.save(), `saved ${vscode.workspace.asRelativePath(doc.uri)}`);
}

describe('quick fixes, fix-all on save and suppressions', () => {
  let api: ExtensionApi;
  const mainUri = () => fileUri('main.tf');
  let doc: vscode.TextDocument;
  let original: string;

  before(async () => {
    api = (await startExtension()).api as ExtensionApi;
    doc = await vscode.workspace.openTextDocument(mainUri());
    await vscode.window.showTextDocument(doc);
    original = doc.getText();
    assert.ok(!doc.isDirty, 'main.tf starts saved');
  });

  afterEach(async () => {
    // Whatever a test did to main.tf (also when it failed half-way): back to the text it started with.
    await restore(doc, original);
  });

  after(async () => {
    await vscode.workspace.getConfiguration('editor', workspaceRoot()).update('codeActionsOnSave', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('offers, in order: the rule\'s fix (preferred), "Suppress <rule> for this resource…", "Show control …", "Learn more …"', async () => {
    const ds = await waitForDiagnostics(mainUri(), (all) => [PUBLIC_ACL, OPEN_SSH, RDS_UNENCRYPTED].every((c) => all.some((d) => codeOf(d) === c)), `${PUBLIC_ACL}, ${OPEN_SSH} and ${RDS_UNENCRYPTED}`);
    const cases: { rule: string; expected: string[] }[] = [
      {
        rule: PUBLIC_ACL,
        expected: ['Fix: Set acl = "private"', `Suppress ${PUBLIC_ACL} for this resource…`, 'Show control 9.4.1 in catalog', `Learn more about ${PUBLIC_ACL}`],
      },
      {
        // A fix that leaves a placeholder is still offered as a quick fix (fix-all leaves it out); several controls.
        rule: OPEN_SSH,
        expected: [
          'Fix: Replace 0.0.0.0/0 with a trusted CIDR range (placeholder to fill in)',
          `Suppress ${OPEN_SSH} for this resource…`,
          'Show control 13.1.3 in catalog',
          'Show control 9.1.2 in catalog',
          'Show control 9.4.1 in catalog',
          `Learn more about ${OPEN_SSH}`,
        ],
      },
      {
        // No fix: the list starts with the suppression.
        rule: RDS_UNENCRYPTED,
        expected: [`Suppress ${RDS_UNENCRYPTED} for this resource…`, 'Show control 10.1.1 in catalog', `Learn more about ${RDS_UNENCRYPTED}`],
      },
    ];
    for (const c of cases) {
      const d = ds.find((x) => codeOf(x) === c.rule)!;
      const actions = await codeActionsAt(mainUri(), d.range);
      const titles = actions.map((a) => a.title);
      // "Fix all "<rule>" problems in the workspace…" (being added alongside these tests) may follow the fixes.
      const workspaceFix = titles.indexOf(`Fix all "${c.rule}" problems in the workspace…`);
      if (workspaceFix >= 0) {
        const fixes = titles.filter((t) => t.startsWith('Fix: ')).length;
        assert.strictEqual(workspaceFix, fixes, `the workspace-wide fix comes right after the fixes: ${JSON.stringify(titles)}`);
      }
      assert.deepStrictEqual(
        titles.filter((_, i) => i !== workspaceFix),
        c.expected,
        `the code actions of ${c.rule} at line ${d.range.start.line + 1}, in order`,
      );
      // (vscode.executeCodeActionProvider does not copy an action's `diagnostics` into its result: not checked.)
      for (const a of actions) assert.strictEqual(a.kind?.value, vscode.CodeActionKind.QuickFix.value, `"${a.title}" is a quick fix`);
      const fix = actions.find((a) => a.title.startsWith('Fix: '));
      if (fix) {
        assert.strictEqual(fix.isPreferred, true, `the fix of ${c.rule} is preferred (Shift+Alt+. applies it)`);
        assert.ok(fix.edit && fix.edit.size > 0, `the fix of ${c.rule} carries its edit`);
        assert.strictEqual(fix.command, undefined, `the fix of ${c.rule} is an edit, not a command`);
      }
      assert.ok(!actions.some((a) => a.isPreferred && !a.title.startsWith('Fix: ')), `only the fix is preferred: ${JSON.stringify(actions.map((a) => [a.title, a.isPreferred]))}`);
      const suppress = actions.find((a) => a.title.startsWith('Suppress '))!;
      assert.strictEqual(suppress.command?.command, 'iso27017.suppress', 'the suppression runs iso27017.suppress');
      assert.deepStrictEqual(
        suppress.command.arguments,
        [{ uri: mainUri().toString(), ruleId: c.rule, range: { start: { line: d.range.start.line, character: d.range.start.character }, end: { line: d.range.end.line, character: d.range.end.character } } }],
        'iso27017.suppress gets the document, the rule and the finding\'s range',
      );
    }
  });

  it('applying the fix\'s edit (workspace.applyEdit) clears that diagnostic and only that one', async () => {
    const line = lineOf(doc, 'acl    = "public-read"');
    const before = await waitForDiagnostics(mainUri(), (all) => all.some((d) => codeOf(d) === PUBLIC_ACL && d.range.start.line === line), `${PUBLIC_ACL} on line ${line + 1}`);
    const d = before.find((x) => codeOf(x) === PUBLIC_ACL)!;
    const fix = (await codeActionsAt(mainUri(), d.range)).find((a) => a.title.startsWith('Fix: '));
    assert.ok(fix?.edit, `a fix for ${PUBLIC_ACL}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit), 'the fix\'s edit applied');
    assert.strictEqual(doc.lineAt(line).text.trim(), 'acl    = "private"', 'the fix rewrote the value in place');
    const after = await waitForDiagnostics(mainUri(), (all) => all.length > 0 && !all.some((x) => codeOf(x) === PUBLIC_ACL), `${PUBLIC_ACL} to clear after applying its fix (unsaved)`);
    assert.deepStrictEqual(
      after.map((x) => `${codeOf(x)}@${x.range.start.line}`).sort(),
      before.filter((x) => codeOf(x) !== PUBLIC_ACL).map((x) => `${codeOf(x)}@${x.range.start.line}`).sort(),
      `every other finding stays where it was:${describeDiagnostics(after)}`,
    );
    // afterEach puts the line back; the finding comes back with it.
    await restore(doc, original);
    await waitForDiagnostics(mainUri(), (all) => all.some((x) => codeOf(x) === PUBLIC_ACL && x.range.start.line === line), `${PUBLIC_ACL} to come back after restoring main.tf`);
  });

  it('fixes a file on save with "editor.codeActionsOnSave": { "source.fixAll.iso27017": "explicit" }', async () => {
    await vscode.workspace.getConfiguration('editor', workspaceRoot()).update('codeActionsOnSave', { 'source.fixAll.iso27017': 'explicit' }, vscode.ConfigurationTarget.Workspace);
    const uri = fileUri('e2e-fix-all.tf');
    const header = '# e2e: fix-all on save.\n';
    const body = [
      'resource "aws_kms_key" "e2e" {',
      '  description = "e2e fix-all"',
      '}',
      '',
      'resource "aws_instance" "e2e" {',
      '  ami                         = "ami-12345678"',
      '  instance_type               = "t3.micro"',
      '  associate_public_ip_address = true',
      '',
      '  metadata_options {',
      '    http_tokens = "optional"',
      '  }',
      '}',
      '',
    ].join('\n');
    // What `iso27017 fix` makes of it (`node dist/cli.js fix --dry-run`): four fixes, none with a placeholder.
    const fixed = [
      '# e2e: fix-all on save.',
      'resource "aws_kms_key" "e2e" {',
      '  description = "e2e fix-all"',
      '  enable_key_rotation = true',
      '}',
      '',
      'resource "aws_instance" "e2e" {',
      '  ami                         = "ami-12345678"',
      '  instance_type               = "t3.micro"',
      '  associate_public_ip_address = false',
      '',
      '  metadata_options {',
      '    http_tokens = "required"',
      '  }',
      '  root_block_device {',
      '    encrypted = true',
      '  }',
      '}',
      '',
    ].join('\n');
    const fixable = ['terraform/kms-key-rotation-disabled', 'terraform/ec2-root-volume-unencrypted', 'terraform/ec2-instance-public-ip', 'terraform/ec2-imdsv2-not-required'];
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(header));
    try {
      const file = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(file);
      // Typed in (unsaved), so that the save is a real one: VS Code skips the save participants of a clean file.
      const edit = new vscode.WorkspaceEdit();
      edit.insert(uri, file.positionAt(file.getText().length), body);
      assert.ok(await vscode.workspace.applyEdit(edit), 'the resources inserted');
      const before = await waitForDiagnostics(uri, (ds) => [...fixable, DEFAULT_SG].every((c) => ds.some((d) => codeOf(d) === c)), `the findings ${[...fixable, DEFAULT_SG].join(', ')}`);
      for (const d of before) {
        const data = (d as vscode.Diagnostic & { data?: { fixable?: boolean } }).data;
        if (data) assert.strictEqual(data.fixable, fixable.includes(codeOf(d)!), `${codeOf(d)}: data.fixable`);
      }
      assert.ok(await deadline(file.save(), 60_000, 'document.save() with the fix-all save participant'), 'saved');
      const onDisk = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      assert.strictEqual(onDisk, fixed, 'the saved file has the four fixes applied');
      assert.strictEqual(file.getText(), fixed, 'the editor holds what was saved');
      assert.ok(!file.isDirty, 'the document is clean after the save');
      const after = await waitForDiagnostics(uri, (ds) => ds.length > 0 && !ds.some((d) => fixable.includes(codeOf(d)!)), 'the fixable findings to clear after the save');
      assert.deepStrictEqual(after.map(codeOf), [DEFAULT_SG], 'only the finding without a fix is left');
    } finally {
      await vscode.workspace.getConfiguration('editor', workspaceRoot()).update('codeActionsOnSave', undefined, vscode.ConfigurationTarget.Workspace);
      // Deleted the way the Explorer deletes (a file operation): VS Code then lets go of the document, so that its
      // language client closes it. (After `workspace.fs.delete` the document the test opened stays open, unsaved
      // and "deleted", for up to 3 minutes, and so do its diagnostics.)
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      const del = new vscode.WorkspaceEdit();
      del.deleteFile(uri, { ignoreIfNotExists: true });
      await vscode.workspace.applyEdit(del);
    }
    await waitForDiagnostics(uri, (ds) => ds.length === 0, 'the diagnostics of the deleted e2e-fix-all.tf to clear');
  });

  it('a suppression comment from iso27017/suppressionEdit hides the finding; the other findings of the resource stay', async () => {
    const line = lineOf(doc, 'acl    = "public-read"');
    const before = await waitForDiagnostics(mainUri(), (all) => all.some((d) => codeOf(d) === PUBLIC_ACL) && all.some((d) => codeOf(d) === VERSIONING), `${PUBLIC_ACL} and ${VERSIONING}`);
    const d = before.find((x) => codeOf(x) === PUBLIC_ACL)!;
    const suppress = (await codeActionsAt(mainUri(), d.range)).find((a) => a.title === `Suppress ${PUBLIC_ACL} for this resource…`);
    assert.ok(suppress?.command, 'the Suppress action');
    // iso27017.suppress asks for the reason and the expiry in input boxes (no arguments skip them): send the request
    // it sends, with its own arguments and a reason, and apply the edit the way it does.
    const args = suppress.command.arguments![0] as Omit<SuppressionEditParams, 'reason'>;
    const params: SuppressionEditParams = { ...args, reason: 'e2e: public website bucket, approved in SEC-123', until: '2099-12-31' };
    const result = await deadline(api.client.sendRequest<SuppressionEditResult>('iso27017/suppressionEdit', params), 30_000, 'iso27017/suppressionEdit');
    assert.ok(result.edit, `the server computed the edit (${result.error ?? ''})`);
    assert.ok(await vscode.workspace.applyEdit(await api.client.protocol2CodeConverter.asWorkspaceEdit(result.edit)), 'the suppression edit applied');

    const resourceLine = lineOf(doc, 'resource "aws_s3_bucket" "exports"');
    assert.strictEqual(
      doc.lineAt(resourceLine - 1).text,
      `# iso27017:ignore ${PUBLIC_ACL} until=2099-12-31 -- e2e: public website bucket, approved in SEC-123`,
      'the comment goes right above the resource',
    );
    assert.strictEqual(doc.lineAt(resourceLine - 2).text, '# A bucket for exports: no versioning, no encryption, public ACL.', 'the comment before it is kept');
    const after = await waitForDiagnostics(mainUri(), (all) => all.length > 0 && !all.some((x) => codeOf(x) === PUBLIC_ACL), `${PUBLIC_ACL} to be suppressed`);
    assert.ok(
      after.some((x) => codeOf(x) === VERSIONING && x.range.start.line === resourceLine),
      `${VERSIONING} of the same bucket is still reported, one line lower:${describeDiagnostics(after)}`,
    );
    assert.strictEqual(after.length, before.length - 1, `one finding fewer:${describeDiagnostics(after)}`);

    // Hidden, not lost: the server lists it as suppressed, with the reason and expiry.
    const list = await deadline(api.client.sendRequest<ListSuppressionsResult>('iso27017/listSuppressions', { uri: mainUri().toString() }), 30_000, 'iso27017/listSuppressions');
    const s = list.suppressed.find((x) => x.ruleId === PUBLIC_ACL);
    assert.ok(s, `iso27017/listSuppressions lists the suppressed ${PUBLIC_ACL}: ${JSON.stringify(list.suppressed.map((x) => x.ruleId))}`);
    assert.strictEqual(s.range.start.line, line + 1, 'at the acl line (moved down by the comment)');
    assert.strictEqual(s.suppression.reason, 'e2e: public website bucket, approved in SEC-123');
    assert.strictEqual(s.suppression.expires, '2099-12-31');

    await restore(doc, original);
    await waitForDiagnostics(mainUri(), (all) => all.some((x) => codeOf(x) === PUBLIC_ACL && x.range.start.line === line), `${PUBLIC_ACL} to come back when the comment is removed`);
    assert.strictEqual(ours(mainUri()).length, before.length, 'every finding is back');
  });

  it('fixes one rule across the workspace: iso27017/workspaceFixes covers every file with its fixable findings, each change needing confirmation; applied, they go', async () => {
    // The command takes a rule id (the code action passes one), but with needsConfirmation VS Code opens the refactor
    // preview, which a test in the extension host cannot click: the test sends the command's request instead.
    assert.ok((await vscode.commands.getCommands(true)).includes('iso27017.fixRuleInWorkspace'), 'iso27017.fixRuleInWorkspace is registered');
    const moduleUri = fileUri('modules', 'logs-bucket', 'main.tf');
    await waitForDiagnostics(mainUri(), (ds) => ds.some((d) => codeOf(d) === ENCRYPTION), `${ENCRYPTION} in main.tf`);
    await waitForDiagnostics(moduleUri, (ds) => ds.some((d) => codeOf(d) === ENCRYPTION), `${ENCRYPTION} in modules/logs-bucket/main.tf`);
    // The oracle: every diagnostic of the rule in the workspace that says it is fixable.
    const fixable = vscode.languages
      .getDiagnostics()
      .flatMap(([uri, ds]) => ds.filter((d) => d.source === SOURCE && codeOf(d) === ENCRYPTION && (d as vscode.Diagnostic & { data?: { fixable?: boolean } }).data?.fixable !== false).map((d) => ({ uri, d })));
    const expectedFiles = [...new Set(fixable.map((x) => x.uri.fsPath))].sort();
    assert.deepStrictEqual(expectedFiles, [mainUri().fsPath, moduleUri.fsPath].sort(), 'the example has the rule\'s fixable findings in two files');

    const client = api.client as LanguageClient;
    const result = await deadline(client.sendRequest<WorkspaceFixesResult>('iso27017/workspaceFixes', { ruleId: ENCRYPTION }), 30_000, 'iso27017/workspaceFixes');
    const wire = result.edit;
    assert.ok(wire, `an edit for ${ENCRYPTION} (${result.error ?? ''})`);
    assert.strictEqual(result.fixes, fixable.length, 'one fix per fixable finding');
    assert.strictEqual(result.files, expectedFiles.length);
    assert.strictEqual(result.skipped, 0);
    assert.deepStrictEqual(wire.documentChanges.map((c) => vscode.Uri.parse(c.textDocument.uri).fsPath).sort(), expectedFiles, 'the edit changes exactly the files with fixable findings');
    for (const c of wire.documentChanges) {
      assert.ok(c.edits.length > 0, `edits for ${c.textDocument.uri}`);
      for (const e of c.edits) {
        const a: WireChangeAnnotation | undefined = wire.changeAnnotations[e.annotationId];
        assert.ok(a, `the change in ${vscode.workspace.asRelativePath(vscode.Uri.parse(c.textDocument.uri))} carries an annotation (${e.annotationId})`);
        assert.strictEqual(a.needsConfirmation, true, `annotation ${e.annotationId} needs confirmation`);
        assert.match(e.newText, /aws_s3_bucket_server_side_encryption_configuration/);
      }
    }

    // Applied as the preview's "Apply" would: the same edit, confirmed (with needsConfirmation VS Code would open the preview).
    const confirmed = { ...wire, changeAnnotations: Object.fromEntries(Object.entries(wire.changeAnnotations).map(([id, a]) => [id, { ...a, needsConfirmation: false }])) };
    const originals = new Map<string, string>();
    for (const f of expectedFiles) originals.set(f, (await vscode.workspace.openTextDocument(vscode.Uri.file(f))).getText());
    try {
      const edit = await client.protocol2CodeConverter.asWorkspaceEdit(confirmed as Parameters<LanguageClient['protocol2CodeConverter']['asWorkspaceEdit']>[0]);
      assert.ok(edit, 'the edit converted');
      assert.ok(await vscode.workspace.applyEdit(edit), 'the workspace edit applied');
      for (const f of expectedFiles) {
        const uri = vscode.Uri.file(f);
        await waitForDiagnostics(uri, (ds) => ds.length > 0 && !ds.some((d) => codeOf(d) === ENCRYPTION), `${ENCRYPTION} to clear in ${vscode.workspace.asRelativePath(uri)} after the workspace fix`);
      }
      const left = vscode.languages.getDiagnostics().flatMap(([uri, ds]) => ds.filter((d) => d.source === SOURCE && codeOf(d) === ENCRYPTION).map(() => vscode.workspace.asRelativePath(uri)));
      assert.deepStrictEqual(left, [], `no ${ENCRYPTION} left in the workspace`);
    } finally {
      for (const [f, text] of originals) await restore(await vscode.workspace.openTextDocument(vscode.Uri.file(f)), text);
    }
    await waitForDiagnostics(moduleUri, (ds) => ds.some((d) => codeOf(d) === ENCRYPTION), `${ENCRYPTION} back in modules/logs-bucket/main.tf after restoring it`);
    await waitForDiagnostics(mainUri(), (ds) => ds.some((d) => codeOf(d) === ENCRYPTION), `${ENCRYPTION} back in main.tf after restoring it`);
  });
});
