// LSP protocol tests: the bundled server over stdio, driven the way VS Code drives it.

import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { CodeAction, Diagnostic, MarkupContent, TextEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { GetControlResult, ListFindingsResult, ListRulesResult, ListSuppressionsResult, SuppressionEditResult } from '../../server/src/protocol';
import { LspServer, makeWorkspace, removeWorkspace, repoRoot, uri, writeFile } from './harness';

const VERSIONING = 'terraform/s3-versioning-disabled';
const SECRET = 'Hunter2-sup3r-s3cret-value';

const MAIN_TF = `resource "aws_s3_bucket" "data" {
  bucket = "acme-data"
}

resource "aws_s3_bucket_versioning" "data" {
  bucket = aws_s3_bucket.data.id
  versioning_configuration {
    status = "Suspended"
  }
}

resource "aws_s3_bucket" "archive" {
  bucket = "acme-archive"
}

resource "aws_s3_bucket_versioning" "archive" {
  bucket = aws_s3_bucket.archive.id
  versioning_configuration {
    mfa_delete = "Disabled"
  }
}

variable "db_password" {
  default = "${SECRET}"
}
`;

const LOGS_TF = `resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
}
`;

const LOGS_FIXED_TF = `resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
  versioning {
    enabled = true
  }
}
`;

const OLD_TF = `resource "aws_s3_bucket" "old" {
  bucket = "acme-old"
}
`;

const HALF_TYPED_TF = `resource "aws_s3_bucket" "complete" {
  bucket = "acme-complete"
}

resource "aws_s3_bucket" "cut" {
  bucket = "acme-cu
`;

const byRule = (ds: Diagnostic[], rule = VERSIONING): Diagnostic[] => ds.filter((d) => d.code === rule);
/** The text after applying the edits a code action carries for one URI (as the client would). */
const applyEdits = (text: string, edits: TextEdit[]): string => TextDocument.applyEdits(TextDocument.create('file:///x.tf', 'terraform', 1, text), edits);

const FIXABLE_TF = `resource "aws_kms_key" "k" { description = "key" }

resource "aws_cloudtrail" "t" {
  name           = "trail"
  s3_bucket_name = "logs"
}
`;
/** A diagnostic's message as text (LSP 3.18 allows markup too). */
const text = (d: Diagnostic): string => (typeof d.message === 'string' ? d.message : d.message.value);

describe('language server (stdio)', function () {
  let ws: string;
  let server: LspServer;
  let mainUri: string;
  let logsUri: string;
  let oldUri: string;

  before(async function () {
    ws = makeWorkspace({ 'main.tf': MAIN_TF, 'logs/logs.tf': LOGS_TF, 'old/old.tf': OLD_TF, 'node_modules/x/skip.tf': OLD_TF, '.terraform/modules/skip.tf': OLD_TF });
    mainUri = uri(join(ws, 'main.tf'));
    logsUri = uri(join(ws, 'logs/logs.tf'));
    oldUri = uri(join(ws, 'old/old.tf'));
    server = await LspServer.start({ folders: [ws] });
  });

  after(function () {
    server?.kill();
    if (ws) removeWorkspace(ws);
  });

  it('advertises its capabilities', function () {
    const caps = server.initializeResult!.capabilities;
    assert.deepEqual(caps.experimental, { iso27017: { version: 1 } });
    assert.equal(caps.hoverProvider, true);
    assert.deepEqual(caps.executeCommandProvider, { commands: ['iso27017.server.rescan'] });
    assert.deepEqual(caps.codeActionProvider, { codeActionKinds: ['quickfix', 'source.fixAll.iso27017'] });
    assert.equal((caps.textDocumentSync as { change: number }).change, 2);
    assert.equal(caps.workspace?.workspaceFolders?.supported, true);
  });

  it('registers file watchers and configuration changes dynamically', async function () {
    await server.waitFor('file watcher registration', () => server.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles'));
    const watch = server.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles')!;
    const globs = (watch.registerOptions as { watchers: Array<{ globPattern: string }> }).watchers.map((w) => w.globPattern);
    assert.ok(globs.includes('**/*.{tf,tfvars}'), globs.join(', '));
    await server.waitFor('configuration registration', () => server.registrations.find((r) => r.method === 'workspace/didChangeConfiguration'));
  });

  it('scans the workspace and publishes diagnostics for files on disk', async function () {
    const ds = await server.diagnosticsFor(mainUri, (d) => byRule(d).length >= 2);
    const suspended = byRule(ds).find((d) => text(d).includes('Suspended'));
    assert.ok(suspended, JSON.stringify(ds, null, 1));
    assert.equal(suspended.source, 'iso27017');
    assert.equal(suspended.code, VERSIONING);
    // The rule's page ships beside the catalog (docs/rules/ next to dist/), so the link works offline.
    assert.equal(suspended.codeDescription?.href, uri(join(repoRoot, 'docs/rules', `${VERSIONING}.md`)));
    assert.match(text(suspended), /ISO 27017/);
    assert.match(text(suspended), /12\.3\.1 Information backup/);
    assert.equal(suspended.severity, 2);
    assert.deepEqual(suspended.data, { ruleId: VERSIONING, controls: ['12.3.1', 'CLD.8.1.5'], fixable: true });
    // The value "Suspended" on line 8 is what is wrong.
    assert.equal(suspended.range.start.line, 7);

    // The bucket whose linked versioning resource has no status points at that resource.
    const missing = byRule(ds).find((d) => d.range.start.line === 11);
    assert.ok(missing, JSON.stringify(byRule(ds), null, 1));
    assert.equal(missing.relatedInformation?.length, 1);
    assert.equal(missing.relatedInformation![0]!.location.uri, mainUri);
    assert.equal(missing.relatedInformation![0]!.location.range.start.line, 15);

    const logs = await server.diagnosticsFor(logsUri, (d) => byRule(d).length === 1);
    assert.equal(byRule(logs)[0]!.range.start.line, 0);
    await server.diagnosticsFor(oldUri, (d) => byRule(d).length === 1);
  });

  it('reports scan progress and status, and skips node_modules and .terraform', async function () {
    await server.scanEnded();
    const kinds = server.progress.map((p) => p.value.kind);
    assert.equal(kinds[0], 'begin');
    assert.equal(kinds.at(-1), 'end');
    const idle = await server.waitFor('an idle status with findings', () => server.statuses.find((s) => s.state === 'idle' && s.findings > 0));
    assert.equal(idle.files, 3);
    assert.ok(idle.catalog && idle.catalog.controls > 0);
    assert.ok(server.statuses.some((s) => s.state === 'scanning'));
    assert.ok(![...server.diagnostics.keys()].some((u) => u.includes('node_modules') || u.includes('.terraform')));
  });

  it('shows the rule, the controls with titles and the rationale on hover', async function () {
    const ds = byRule(server.diagnostics.get(mainUri)!.diagnostics);
    const suspended = ds.find((d) => text(d).includes('Suspended'))!;
    const hover = await server.hover(mainUri, suspended.range.start);
    assert.ok(hover);
    const md = (hover.contents as MarkupContent).value;
    assert.equal((hover.contents as MarkupContent).kind, 'markdown');
    assert.match(md, /S3 buckets have versioning enabled/);
    assert.match(md, /\*\*12\.3\.1\*\* Information backup/);
    assert.match(md, /\*\*CLD\.8\.1\.5\*\*/);
    assert.match(md, /Versioning keeps every previous copy/);

    // The header of a flagged resource also hovers.
    const onHeader = await server.hover(mainUri, { line: 11, character: 3 });
    assert.ok(onHeader);
    assert.match((onHeader.contents as MarkupContent).value, /12\.3\.1/);

    // Nothing on a clean line.
    assert.equal(await server.hover(mainUri, { line: 22, character: 2 }), null);
  });

  it('returns code actions for a diagnostic', async function () {
    const d = byRule(server.diagnostics.get(mainUri)!.diagnostics)[0]!;
    const actions: CodeAction[] = await server.codeActions(mainUri, d.range, [d]);
    const titles = actions.map((a) => a.title);
    assert.deepEqual(titles, [
      'Fix: Set status = "Enabled"',
      `Fix all "${VERSIONING}" problems in the workspace…`,
      `Suppress ${VERSIONING} for this resource…`,
      'Show control 12.3.1 in catalog',
      'Show control CLD.8.1.5 in catalog',
      `Learn more about ${VERSIONING}`,
    ]);
    for (const a of actions) assert.equal(a.kind, 'quickfix');
    assert.deepEqual(actions[1]!.command, { title: titles[1], command: 'iso27017.fixRuleInWorkspace', arguments: [VERSIONING] });
    assert.deepEqual(actions[3]!.command, { title: titles[3], command: 'iso27017.catalog.reveal', arguments: ['12.3.1'] });
    assert.deepEqual(actions[5]!.command, { title: titles[5], command: 'iso27017.rule.show', arguments: [VERSIONING] });
  });

  it('offers a fix as an inline edit, preferred, and suppression as a client command', async function () {
    const d = byRule(server.diagnostics.get(mainUri)!.diagnostics).find((x) => text(x).includes('Suspended'))!;
    const actions: CodeAction[] = await server.codeActions(mainUri, d.range, [d]);
    const fix = actions[0]!;
    assert.equal(fix.isPreferred, true);
    assert.deepEqual(fix.diagnostics, [d]);
    assert.deepEqual(fix.edit, { changes: { [mainUri]: [{ range: d.range, newText: '"Enabled"' }] } });
    assert.equal(applyEdits(MAIN_TF, fix.edit!.changes![mainUri]!).split('\n')[7], '    status = "Enabled"');
    const suppress = actions.find((a) => a.title.startsWith('Suppress '))!;
    assert.deepEqual(suppress.command, { title: suppress.title, command: 'iso27017.suppress', arguments: [{ uri: mainUri, ruleId: VERSIONING, range: d.range }] });
    // Fix-all is a source action: not offered to the light bulb, only when asked for by kind.
    assert.ok(!actions.some((a) => a.kind === 'source.fixAll.iso27017'));
  });

  it('fixes a whole document with source.fixAll.iso27017, leaving placeholder fixes out', async function () {
    const fixUri = uri(join(ws, 'fixall/main.tf'));
    await server.open(fixUri, FIXABLE_TF);
    const ds = await server.diagnosticsFor(fixUri, (x) => x.some((d) => d.code === 'terraform/kms-key-rotation-disabled'), 'the findings of the fix-all document');
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const actions: CodeAction[] = await server.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: fixUri }, range, context: { diagnostics: [], only: ['source.fixAll'] } });
    assert.equal(actions.length, 1, JSON.stringify(actions));
    assert.equal(actions[0]!.kind, 'source.fixAll.iso27017');
    const fixed = applyEdits(FIXABLE_TF, actions[0]!.edit!.changes![fixUri]!);
    assert.match(fixed, /resource "aws_kms_key" "k" \{\n  description {9}= "key"\n  enable_key_rotation = true\n\}/);
    assert.match(fixed, /enable_log_file_validation += true/);
    assert.ok(!fixed.includes('REPLACE_ME'), 'placeholder fixes (the trail KMS key) are left out of fix-all');
    await server.replace(fixUri, fixed);
    const after = await server.diagnosticsFor(fixUri, (x) => !x.some((d) => d.code === 'terraform/kms-key-rotation-disabled'), 'the fixed document');
    assert.ok(!after.some((d) => d.code === 'terraform/cloudtrail-log-validation-disabled'));
    assert.ok(after.some((d) => d.code === 'terraform/cloudtrail-not-kms-encrypted'), 'the placeholder fix is still offered one by one');
    assert.ok(ds.length > after.length);
    await server.close(fixUri);
  });

  it('writes a suppression with iso27017/suppressionEdit, lists what it silences, and reports one without a reason', async function () {
    const supUri = uri(join(ws, 'suppress/main.tf'));
    const bucket = 'resource "aws_s3_bucket" "scratch" {\n  bucket = "scratch"\n}\n';
    await server.open(supUri, bucket);
    const d = byRule(await server.diagnosticsFor(supUri, (x) => byRule(x).length === 1))[0]!;
    const noReason: SuppressionEditResult = await server.request('iso27017/suppressionEdit', { uri: supUri, ruleId: VERSIONING, range: d.range, reason: '  ' });
    assert.ok(!noReason.edit && noReason.error);
    const r: SuppressionEditResult = await server.request('iso27017/suppressionEdit', { uri: supUri, ruleId: VERSIONING, range: d.range, reason: 'scratch bucket, rebuilt daily', until: '2999-01-01' });
    const edits = r.edit!.changes[supUri]!;
    assert.deepEqual(edits, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: `# iso27017:ignore ${VERSIONING} until=2999-01-01 -- scratch bucket, rebuilt daily\n` }]);
    await server.replace(supUri, applyEdits(bucket, edits));
    await server.diagnosticsFor(supUri, (x) => byRule(x).length === 0, 'the suppressed finding to go');
    const listed: ListSuppressionsResult = await server.request('iso27017/listSuppressions', { uri: supUri });
    const mine = listed.suppressed.filter((x) => x.ruleId === VERSIONING);
    assert.equal(mine.length, 1);
    assert.deepEqual(
      { syntax: mine[0]!.suppression.syntax, scope: mine[0]!.suppression.scope, reason: mine[0]!.suppression.reason, expires: mine[0]!.suppression.expires, line: mine[0]!.suppression.range.start.line },
      { syntax: 'iso27017', scope: 'block', reason: 'scratch bucket, rebuilt daily', expires: '2999-01-01', line: 0 },
    );
    // Without a reason the comment is reported and does not suppress.
    await server.replace(supUri, `# iso27017:ignore ${VERSIONING}\n${bucket}`);
    const ds = await server.diagnosticsFor(supUri, (x) => byRule(x).length === 1 && x.some((y) => y.code === 'iso27017/invalid-suppression'), 'the invalid suppression');
    const invalid = ds.find((y) => y.code === 'iso27017/invalid-suppression')!;
    assert.equal(invalid.severity, 2);
    assert.equal(invalid.range.start.line, 0);
    const actions: CodeAction[] = await server.codeActions(supUri, invalid.range, [invalid]);
    assert.ok(!actions.some((a) => a.title.startsWith('Suppress')), 'an invalid suppression cannot itself be suppressed');
    await server.close(supUri);
  });

  it('clears a diagnostic when an open document is fixed, and reverts to disk on close', async function () {
    await server.open(logsUri, LOGS_TF);
    await server.diagnosticsFor(logsUri, (d) => byRule(d).length === 1, 'the finding of the opened file');
    // Two quick edits: only the newest counts.
    await server.replace(logsUri, LOGS_TF.replace('acme-logs', 'acme-logs-2'));
    const fixedVersion = await server.replace(logsUri, LOGS_FIXED_TF);
    await server.diagnosticsFor(logsUri, (d) => byRule(d).length === 0, 'the fixed file to be clean');
    assert.equal(server.diagnostics.get(logsUri)!.version, fixedVersion);
    // Every publish for an open document carries the version it was computed for, never an older one than the last edit.
    const afterFix = server.published.filter((p) => p.uri === logsUri && p.version !== undefined);
    assert.equal(afterFix.at(-1)!.version, fixedVersion);

    await server.close(logsUri);
    await server.diagnosticsFor(logsUri, (d) => byRule(d).length === 1, 'the disk content to count again after close');
  });

  it('analyses an incremental edit', async function () {
    await server.open(logsUri, LOGS_TF);
    await server.diagnosticsFor(logsUri, (d) => byRule(d).length === 1);
    await server.edit(logsUri, { start: { line: 1, character: 22 }, end: { line: 1, character: 22 } }, '\n  versioning {\n    enabled = true\n  }');
    await server.diagnosticsFor(logsUri, (d) => byRule(d).length === 0, 'the incrementally fixed file to be clean');
    await server.close(logsUri);
    await server.diagnosticsFor(logsUri, (d) => byRule(d).length === 1);
  });

  it('still analyses the complete blocks of a half-typed file and reports one syntax error', async function () {
    const halfUri = uri(join(ws, 'half/broken.tf'));
    await server.open(halfUri, HALF_TYPED_TF);
    const ds = await server.diagnosticsFor(halfUri, (d) => d.some((x) => x.code === 'iso27017/syntax'));
    const syntax = ds.filter((d) => d.code === 'iso27017/syntax');
    assert.equal(syntax.length, 1, JSON.stringify(ds, null, 1));
    assert.equal(syntax[0]!.severity, 3);
    assert.equal(syntax[0]!.source, 'iso27017');
    const complete = byRule(ds).filter((d) => d.range.start.line === 0);
    assert.equal(complete.length, 1, JSON.stringify(ds, null, 1));
    await server.close(halfUri);
    // Not on disk: closing drops it.
    await server.diagnosticsFor(halfUri, (d) => d.length === 0);
  });

  it('drops the diagnostics of a rule turned off in the settings, and restores them', async function () {
    const requests = server.configurationRequests.length;
    await server.configure({ rules: { [VERSIONING]: 'off' } });
    await server.diagnosticsFor(mainUri, (d) => byRule(d).length === 0, 'the rule to be off');
    await server.diagnosticsFor(oldUri, (d) => byRule(d).length === 0, 'the rule to be off');
    assert.ok(server.configurationRequests.length > requests, 'the server pulls the settings');
    assert.ok((server.diagnostics.get(mainUri)?.diagnostics.length ?? 0) > 0, 'other rules still report');

    await server.configure({ rules: { [VERSIONING]: 'error' } });
    const ds = await server.diagnosticsFor(mainUri, (d) => byRule(d).length >= 2, 'the rule to be back');
    assert.ok(byRule(ds).every((d) => d.severity === 1));
    await server.configure({});
    await server.diagnosticsFor(mainUri, (d) => byRule(d).length >= 2 && byRule(d).every((x) => x.severity === 2));
  });

  it('honours iso27017.exclude and iso27017.enable', async function () {
    await server.configure({ exclude: ['old/**'] });
    await server.diagnosticsFor(oldUri, (d) => d.length === 0, 'the excluded file to be cleared');
    await server.configure({ enable: false });
    await server.diagnosticsFor(mainUri, (d) => d.length === 0, 'everything to be cleared');
    await server.diagnosticsFor(logsUri, (d) => d.length === 0, 'everything to be cleared');
    await server.waitFor('a disabled status', () => server.statuses.at(-1)?.enabled === false);
    await server.configure({});
    await server.diagnosticsFor(mainUri, (d) => byRule(d).length >= 2, 're-enabled analysis');
    await server.diagnosticsFor(oldUri, (d) => byRule(d).length === 1, 'the file no longer excluded');
  });

  it('picks up files created and deleted on disk', async function () {
    const newPath = writeFile(ws, 'new/new.tf', OLD_TF.replace(/old/g, 'new'));
    const newUri = uri(newPath);
    await server.watched([{ uri: newUri, type: 1 }]);
    await server.diagnosticsFor(newUri, (d) => byRule(d).length === 1, 'the created file');

    rmSync(join(ws, 'old/old.tf'));
    await server.watched([{ uri: oldUri, type: 3 }]);
    await server.diagnosticsFor(oldUri, (d) => d.length === 0, 'the deleted file to be cleared');

    rmSync(join(ws, 'new'), { recursive: true });
    await server.watched([{ uri: uri(join(ws, 'new')), type: 3 }]);
    await server.diagnosticsFor(newUri, (d) => d.length === 0, 'the file of a deleted folder to be cleared');
  });

  it('answers iso27017/listFindings, listRules and getControl', async function () {
    const { findings } = await server.request<ListFindingsResult>('iso27017/listFindings', {});
    assert.ok(findings.some((f) => f.uri === mainUri && f.ruleId === VERSIONING));
    assert.ok(findings.every((f) => f.uri.startsWith('file://')));
    const only = await server.request<ListFindingsResult>('iso27017/listFindings', { uri: logsUri });
    assert.ok(only.findings.length > 0 && only.findings.every((f) => f.uri === logsUri));

    const { rules } = await server.request<ListRulesResult>('iso27017/listRules', {});
    const rule = rules.find((r) => r.id === VERSIONING);
    assert.ok(rule);
    assert.deepEqual(rule.controls[0], { id: '12.3.1', title: 'Information backup' });
    assert.equal(rule.docsUrl, uri(join(repoRoot, 'docs/rules', `${VERSIONING}.md`)));
    assert.deepEqual([...rules.map((r) => r.id)].sort(), rules.map((r) => r.id));

    const { control } = await server.request<GetControlResult>('iso27017/getControl', { id: '12.3.1' });
    assert.equal(control?.title, 'Information backup');
    assert.ok(control?.rules.includes(VERSIONING));
    assert.deepEqual(await server.request<GetControlResult>('iso27017/getControl', { id: 'nope' }), {});
  });

  it('rescans on iso27017.server.rescan', async function () {
    writeFile(ws, 'late/late.tf', OLD_TF.replace(/old/g, 'late'));
    const result = await server.request<{ files: number; findings: number }>('workspace/executeCommand', { command: 'iso27017.server.rescan', arguments: [] });
    assert.ok(result.files >= 3);
    await server.diagnosticsFor(uri(join(ws, 'late/late.tf')), (d) => byRule(d).length === 1);
  });

  it('never logs file contents', function () {
    assert.ok(!server.logText().includes(SECRET));
    assert.ok(!server.logText().includes('acme-data'));
  });

  it('exits with 0 after shutdown and exit', async function () {
    assert.equal(await server.stop(), 0);
  });
});

describe('language server without a usable catalog', function () {
  let ws: string;
  let server: LspServer;

  before(async function () {
    ws = makeWorkspace({ 'main.tf': LOGS_TF });
    server = await LspServer.start({ folders: [ws], catalogPath: join(ws, 'missing-controls.json') });
  });

  after(function () {
    server?.kill();
    if (ws) removeWorkspace(ws);
  });

  it('tells the user and keeps analysing, with control ids only', async function () {
    const msg = await server.waitFor('an error message', () => server.shownMessages.find((m) => m.type === 1));
    assert.match(msg.message, /catalog/i);
    assert.match(msg.message, /missing-controls\.json/);
    const ds = await server.diagnosticsFor(uri(join(ws, 'main.tf')), (d) => byRule(d).length === 1);
    assert.match(text(byRule(ds)[0]!), /ISO 27017 12\.3\.1; CLD\.8\.1\.5/);
    // No rule pages beside this catalog: the code links to the stable web address instead.
    assert.equal(byRule(ds)[0]!.codeDescription?.href, `https://iso27017.dev/rules/${VERSIONING}`);
    const status = await server.waitFor('an idle status', () => server.statuses.find((s) => s.state === 'idle' && s.findings > 0));
    assert.equal(status.catalog, undefined);
    assert.ok(status.problems.some((p) => /catalog/i.test(p)));
    assert.match(server.logText(), /missing-controls\.json/);
    const hover = await server.hover(uri(join(ws, 'main.tf')), { line: 0, character: 2 });
    assert.match((hover!.contents as MarkupContent).value, /\*\*12\.3\.1\*\*/);
    assert.equal(await server.stop(), 0);
  });
});

describe('language server with several workspace folders', function () {
  let a: string;
  let b: string;
  let server: LspServer;

  before(async function () {
    a = makeWorkspace({ 'a.tf': LOGS_TF });
    b = makeWorkspace({ 'b.tf': LOGS_TF.replace(/logs/g, 'other') });
    server = await LspServer.start({ folders: [a, b] });
  });

  after(function () {
    server?.kill();
    for (const d of [a, b]) if (d) removeWorkspace(d);
  });

  it('scans every folder and asks for the settings of each', async function () {
    await server.diagnosticsFor(uri(join(a, 'a.tf')), (d) => byRule(d).length === 1);
    await server.diagnosticsFor(uri(join(b, 'b.tf')), (d) => byRule(d).length === 1);
    const scopes = server.configurationRequests.flatMap((p) => (p as { items: Array<{ scopeUri?: string }> }).items.map((i) => i.scopeUri));
    assert.ok(scopes.includes(uri(a)) && scopes.includes(uri(b)), JSON.stringify(scopes));
    assert.equal(await server.stop(), 0);
  });

  it('follows workspace folders being added and removed', async function () {
    const s = await LspServer.start({ folders: [a] });
    try {
      await s.diagnosticsFor(uri(join(a, 'a.tf')), (d) => byRule(d).length === 1);
      const folder = (p: string): { uri: string; name: string } => ({ uri: uri(p), name: p.split('/').pop()! });
      await s.connection.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [folder(b)], removed: [folder(a)] } });
      await s.diagnosticsFor(uri(join(b, 'b.tf')), (d) => byRule(d).length === 1, 'the added folder');
      await s.diagnosticsFor(uri(join(a, 'a.tf')), (d) => d.length === 0, 'the removed folder to be cleared');
      assert.equal(await s.stop(), 0);
    } finally {
      s.kill();
    }
  });

  it('analyses a folder nested in another one only once', async function () {
    const outer = makeWorkspace({ 'outer.tf': LOGS_TF, 'inner/inner.tf': LOGS_TF.replace(/logs/g, 'inner') });
    const s = await LspServer.start({ folders: [outer, join(outer, 'inner')] });
    try {
      const innerUri = uri(join(outer, 'inner/inner.tf'));
      await s.diagnosticsFor(innerUri, (d) => byRule(d).length === 1);
      await s.diagnosticsFor(uri(join(outer, 'outer.tf')), (d) => byRule(d).length === 1);
      await s.waitFor('the end of both scans', () => s.statuses.find((x) => x.state === 'idle' && x.files === 2));
      assert.equal(s.published.filter((p) => p.uri === innerUri && p.diagnostics.length > 0).length, 1);
      assert.equal(await s.stop(), 0);
    } finally {
      s.kill();
      removeWorkspace(outer);
    }
  });

  it('analyses a file outside every folder while it is open', async function () {
    const loose = makeWorkspace({});
    const s = await LspServer.start({ folders: [a] });
    try {
      const looseUri = uri(join(loose, 'loose.tf'));
      await s.open(looseUri, LOGS_TF);
      await s.diagnosticsFor(looseUri, (d) => byRule(d).length === 1);
      await s.close(looseUri);
      await s.diagnosticsFor(looseUri, (d) => d.length === 0);
      assert.equal(await s.stop(), 0);
    } finally {
      s.kill();
      removeWorkspace(loose);
    }
  });
});

describe('language server with modules', function () {
  const caller = (name: string, status: string): string => `module "${name}" {\n  source = "../../modules/store"\n  status = "${status}"\n}\n`;
  const STORE = `variable "status" {
  type = string
}

resource "aws_s3_bucket" "b" {
  bucket = "acme-store"
}

resource "aws_s3_bucket_versioning" "b" {
  bucket = aws_s3_bucket.b.id
  versioning_configuration {
    status = var.status
  }
}
`;
  let ws: string;
  let server: LspServer;

  before(async function () {
    ws = makeWorkspace({ 'envs/prod/main.tf': caller('store_prod', 'Enabled'), 'envs/dev/main.tf': caller('store_dev', 'Suspended'), 'modules/store/main.tf': STORE });
    server = await LspServer.start({ folders: [ws] });
  });

  after(function () {
    server?.kill();
    if (ws) removeWorkspace(ws);
  });

  const suspendedFrom = (ds: Diagnostic[], name: string): boolean => byRule(ds).some((d) => text(d).includes(`module.${name}.`) && text(d).includes('Suspended'));

  it('keeps the findings one root gives a shared module when another root is edited', async function () {
    const storeUri = uri(join(ws, 'modules/store/main.tf'));
    const prodUri = uri(join(ws, 'envs/prod/main.tf'));
    await server.diagnosticsFor(storeUri, (d) => suspendedFrom(d, 'store_dev'), 'the finding the dev root gives the module');
    await server.open(prodUri, caller('store_prod', 'Enabled'));
    const from = server.published.length;
    await server.replace(prodUri, `# edited\n${caller('store_prod', 'Enabled')}`);
    const republished = await server.waitFor('the module to be republished', () => server.published.slice(from).find((p) => p.uri === storeUri));
    assert.ok(suspendedFrom(republished.diagnostics, 'store_dev'), JSON.stringify(republished.diagnostics.map(text), null, 1));

    // prod now also suspends: both roots' findings are there.
    await server.replace(prodUri, caller('store_prod', 'Suspended'));
    await server.diagnosticsFor(storeUri, (d) => suspendedFrom(d, 'store_dev') && suspendedFrom(d, 'store_prod'));
  });

  it('drops the findings a root gave a module it no longer calls', async function () {
    const storeUri = uri(join(ws, 'modules/store/main.tf'));
    const devUri = uri(join(ws, 'envs/dev/main.tf'));
    await server.open(devUri, caller('store_dev', 'Suspended'));
    await server.replace(devUri, '# no module any more\n');
    await server.diagnosticsFor(storeUri, (d) => !suspendedFrom(d, 'store_dev') && suspendedFrom(d, 'store_prod'), 'only the prod finding to remain');
    assert.equal(await server.stop(), 0);
  });
});

describe('language server with modules terraform init installed', function () {
  const SOURCE = 'registry.terraform.io/terraform-aws-modules/s3-bucket/aws';
  const manifest = (version: string): string =>
    JSON.stringify({ Modules: [{ Key: '', Source: '', Dir: '.' }, { Key: 'logs', Source: SOURCE, Version: version, Dir: '.terraform/modules/logs' }] });
  const CALL = 'module "logs" {\n  source = "terraform-aws-modules/s3-bucket/aws"\n}\n';
  const INSTALLED = 'resource "aws_s3_bucket" "this" {\n  bucket = "logs"\n}\n';
  let ws: string;
  let server: LspServer;
  let mainUri: string;

  before(async function () {
    ws = makeWorkspace({
      'main.tf': CALL,
      '.terraform/modules/modules.json': manifest('4.1.2'),
      '.terraform/modules/logs/main.tf': INSTALLED,
      '.terraform/modules/logs/examples/complete/main.tf': LOGS_TF,
    });
    mainUri = uri(join(ws, 'main.tf'));
    server = await LspServer.start({ folders: [ws] });
  });

  after(function () {
    server?.kill();
    if (ws) removeWorkspace(ws);
  });

  const fromModule = (ds: Diagnostic[], version: string): Diagnostic | undefined =>
    byRule(ds).find((d) => text(d).includes('module.logs.aws_s3_bucket.this') && text(d).includes(`s3-bucket/aws ${version})`));

  it('reports the installed module\'s findings on the module call, and nothing in .terraform', async function () {
    const ds = await server.diagnosticsFor(mainUri, (d) => fromModule(d, '4.1.2') !== undefined, 'the finding of the installed module on the call');
    const d = fromModule(ds, '4.1.2')!;
    assert.equal(d.range.start.line, 0);
    assert.equal(d.relatedInformation?.[0]?.location.uri, uri(join(ws, '.terraform/modules/logs/main.tf')));
    await server.scanEnded();
    const inTerraformDir = [...server.diagnostics.values()].filter((p) => p.uri.includes('/.terraform/') && p.diagnostics.length > 0);
    assert.deepEqual(inTerraformDir.map((p) => p.uri), [], 'no diagnostics below .terraform (the example shipped with the module is not read)');
    // The call offers no fix (the module's code is not the user's to edit) but can be suppressed.
    const actions = await server.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: mainUri }, range: d.range, context: { diagnostics: [d] } });
    const titles = actions.map((a) => a.title);
    assert.ok(!titles.some((t) => t.startsWith('Fix')), JSON.stringify(titles));
    assert.ok(titles.some((t) => t.startsWith(`Suppress ${VERSIONING}`)), JSON.stringify(titles));
  });

  it('does not read installed modules the exclude setting leaves out', async function () {
    const other = await LspServer.start({ folders: [ws], settings: { exclude: ['.terraform/modules/logs/**'] } });
    try {
      // The scan publishes every file's findings before it ends; main.tf has none without the installed module.
      await other.scanEnded();
      assert.deepEqual(byRule(other.diagnostics.get(mainUri)?.diagnostics ?? []), []);
    } finally {
      assert.equal(await other.stop(), 0);
    }
  });

  it('scans again when terraform init rewrites the manifest, and forgets the modules when .terraform is deleted', async function () {
    writeFile(ws, '.terraform/modules/modules.json', manifest('4.2.0'));
    await server.watched([{ uri: uri(join(ws, '.terraform/modules/modules.json')), type: 2 }]);
    await server.diagnosticsFor(mainUri, (d) => fromModule(d, '4.2.0') !== undefined, 'the finding naming the new version');
    // An interrupted terraform init: the manifest cannot be read, which is said on it; written again, all is back.
    const manifestUri = uri(join(ws, '.terraform/modules/modules.json'));
    writeFile(ws, '.terraform/modules/modules.json', '{"Modules": [');
    await server.watched([{ uri: manifestUri, type: 2 }]);
    await server.diagnosticsFor(manifestUri, (ds) => ds.some((x) => /module manifest could not be read/.test(text(x))), 'the unreadable manifest reported on it');
    await server.diagnosticsFor(mainUri, (d) => byRule(d).length === 0, 'no module finding while the manifest is unreadable');
    writeFile(ws, '.terraform/modules/modules.json', manifest('4.2.0'));
    await server.watched([{ uri: manifestUri, type: 2 }]);
    await server.diagnosticsFor(manifestUri, (ds) => ds.length === 0, 'the manifest error cleared');
    await server.diagnosticsFor(mainUri, (d) => fromModule(d, '4.2.0') !== undefined, 'the finding back');
    rmSync(join(ws, '.terraform'), { recursive: true, force: true });
    const before = server.logs.length;
    await server.watched([{ uri: uri(join(ws, '.terraform')), type: 3 }]);
    await server.diagnosticsFor(mainUri, (d) => byRule(d).length === 0, 'no finding once the installed module is gone');
    // The scan after the deletion holds main.tf alone (the earlier ones held the module's files too).
    await server.waitFor('the scan after .terraform went', () => server.logs.slice(before).find((l) => /Scanned \S+ again: 1 files held/.test(l.message)));
  });

  it('notices a manifest whose write the file watcher missed, once it has seen the .terraform folder appear', async function () {
    // terraform init again: only the creation of .terraform is reported; the files below it come with no event.
    writeFile(ws, '.terraform/modules/logs/main.tf', INSTALLED);
    const from = server.logs.length;
    await server.watched([{ uri: uri(join(ws, '.terraform')), type: 1 }]);
    // The folder is scanned once (no manifest yet); the manifest written after that is found by looking at it.
    await server.waitFor('the scan after .terraform appeared', () => server.logs.slice(from).find((l) => /Scanned \S+ again: 1 files held/.test(l.message)));
    const after = server.logs.length;
    writeFile(ws, '.terraform/modules/modules.json', manifest('4.3.0'));
    await server.diagnosticsFor(mainUri, (d) => fromModule(d, '4.3.0') !== undefined, 'the finding of the module installed without watcher events');
    // Found by the scan that looking at the manifest started (its log line comes after its diagnostics).
    await server.waitFor('the scan the manifest started', () => server.logs.slice(after).find((l) => /Scanned \S+ again: 3 files held/.test(l.message)));
    assert.equal(await server.stop(), 0);
  });
});

describe('language server with Dockerfiles', function () {
  const DOCKERFILE = 'FROM alpine:3.20\nHEALTHCHECK CMD true\nADD app.tar.gz /opt/\nADD config/ /etc/app/\nRUN sudo ls\nUSER app\n';
  let ws: string;
  let server: LspServer;
  let dockerUri: string;

  before(async function () {
    ws = makeWorkspace({ 'svc/Dockerfile': DOCKERFILE, 'main.tf': LOGS_TF });
    dockerUri = uri(join(ws, 'svc/Dockerfile'));
    server = await LspServer.start({ folders: [ws] });
  });

  after(function () {
    server?.kill();
    if (ws) removeWorkspace(ws);
  });

  it('publishes the findings of a Dockerfile on disk, with rule, controls and line', async function () {
    const ds = await server.diagnosticsFor(dockerUri, (d) => d.length === 2, 'the two findings of svc/Dockerfile');
    assert.deepEqual(ds.map((d) => `${d.range.start.line + 1} ${d.code}`).sort(), ['4 dockerfile/add-instead-of-copy', '5 dockerfile/sudo-in-run']);
    assert.match(text(ds.find((d) => d.code === 'dockerfile/sudo-in-run')!), /\(ISO 27017 9\.4\.4 /);
  });

  it('analyses the open document as it is typed, offers the fix and the suppression, and writes the suppression comment', async function () {
    await server.open(dockerUri, DOCKERFILE, 'dockerfile');
    await server.replace(dockerUri, DOCKERFILE.replace('USER app', 'USER root'));
    const ds = await server.diagnosticsFor(dockerUri, (d) => d.some((x) => x.code === 'dockerfile/user-root'), 'USER root reported while typing');
    const add = ds.find((d) => d.code === 'dockerfile/add-instead-of-copy')!;
    const actions = await server.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: dockerUri }, range: add.range, context: { diagnostics: [add] } });
    const titles = actions.map((a) => a.title);
    assert.equal(titles[0], 'Fix: Use COPY', JSON.stringify(titles));
    assert.ok(titles.includes('Suppress dockerfile/add-instead-of-copy for this instruction…'), JSON.stringify(titles));
    const edit = actions[0]!.edit!.changes![dockerUri]!;
    assert.deepEqual(edit.map((e) => [e.range.start.line, e.newText]), [[3, 'COPY']]);

    const sudo = ds.find((d) => d.code === 'dockerfile/sudo-in-run')!;
    const r: SuppressionEditResult = await server.request('iso27017/suppressionEdit', { uri: dockerUri, ruleId: 'dockerfile/sudo-in-run', range: sudo.range, reason: 'legacy base image' });
    const change = r.edit!.changes![dockerUri]![0]!;
    assert.deepEqual([change.range.start.line, change.newText], [4, '# iso27017:ignore dockerfile/sudo-in-run -- legacy base image\n']);
    await server.replace(dockerUri, applyEdits(DOCKERFILE.replace('USER app', 'USER root'), [change]));
    await server.diagnosticsFor(dockerUri, (d) => !d.some((x) => x.code === 'dockerfile/sudo-in-run') && d.some((x) => x.code === 'dockerfile/user-root'), 'sudo suppressed, the rest kept');
    // The Suppressions view lists it, with what it silences.
    const listed: ListSuppressionsResult = await server.request('iso27017/listSuppressions', { uri: dockerUri });
    assert.deepEqual(listed.comments?.map((c) => [c.syntax, c.status, c.reason, c.findings.map((f) => f.ruleId)]), [['iso27017', 'valid', 'legacy base image', ['dockerfile/sudo-in-run']]]);
    assert.equal(await server.stop(), 0);
  });
});

describe('language server with Kubernetes manifests', function () {
  const MANIFEST = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  automountServiceAccountToken: false\n  containers:\n  - name: app\n    image: nginx:1.27\n    securityContext:\n      privileged: true\n      allowPrivilegeEscalation: false\n      runAsNonRoot: true\n      readOnlyRootFilesystem: true\n      capabilities:\n        drop: ["ALL"]\n';
  let ws: string;
  let server: LspServer;
  let podUri: string;

  before(async function () {
    ws = makeWorkspace({ 'k8s/pod.yaml': MANIFEST, 'k8s/values.yaml': 'replicas: 2\n', 'main.tf': LOGS_TF });
    podUri = uri(join(ws, 'k8s/pod.yaml'));
    server = await LspServer.start({ folders: [ws] });
  });

  after(function () {
    server?.kill();
    if (ws) removeWorkspace(ws);
  });

  it('publishes the findings of a manifest on disk, and none for YAML that is not Kubernetes', async function () {
    const ds = await server.diagnosticsFor(podUri, (d) => d.length > 0, 'the findings of k8s/pod.yaml');
    assert.deepEqual(ds.map((d) => `${d.range.start.line + 1} ${d.code}`), ['11 kubernetes/privileged-container']);
    await server.scanEnded();
    assert.equal(server.diagnostics.get(uri(join(ws, 'k8s/values.yaml')))?.diagnostics.length ?? 0, 0);
    // A manifest written on disk later is picked up through the file watcher (its name alone does not say it is one).
    const later = uri(join(ws, 'k8s/later.yaml'));
    writeFile(ws, 'k8s/later.yaml', MANIFEST.replace('name: web', 'name: later'));
    await server.watched([{ uri: later, type: 1 }]);
    await server.diagnosticsFor(later, (d) => d.some((x) => x.code === 'kubernetes/privileged-container'), 'the findings of a manifest created on disk');
  });

  it('analyses the open manifest as it is typed and fixes it by merging into its securityContext', async function () {
    await server.open(podUri, MANIFEST, 'yaml');
    const typed = MANIFEST.replace('      readOnlyRootFilesystem: true\n', '');
    await server.replace(podUri, typed);
    const ds = await server.diagnosticsFor(podUri, (d) => d.some((x) => x.code === 'kubernetes/root-filesystem-writable'), 'the writable root filesystem while typing');
    const d = ds.find((x) => x.code === 'kubernetes/root-filesystem-writable')!;
    const actions = await server.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: podUri }, range: d.range, context: { diagnostics: [d] } });
    assert.equal(actions[0]!.title, 'Fix: Set readOnlyRootFilesystem: true');
    const fixed = applyEdits(typed, actions[0]!.edit!.changes![podUri]!);
    assert.match(fixed, /\n {6}capabilities:\n {8}drop: \["ALL"\]\n {6}readOnlyRootFilesystem: true\n$/);
    await server.replace(podUri, fixed);
    await server.diagnosticsFor(podUri, (x) => !x.some((y) => y.code === 'kubernetes/root-filesystem-writable'), 'the finding gone after the fix');
    assert.equal(await server.stop(), 0);
  });
});

describe('language server during a large scan', function () {
  let ws: string;
  let server: LspServer;

  before(function () {
    const files: Record<string, string> = {};
    for (let d = 0; d < 300; d++) for (let f = 0; f < 10; f++) files[`m${d}/f${f}.tf`] = `resource "aws_s3_bucket" "b${f}" {\n  bucket = "b-${d}-${f}"\n}\n`;
    ws = makeWorkspace(files);
  });

  after(function () {
    server?.kill();
    if (ws) removeWorkspace(ws);
  });

  it('serves an open document before the scan has finished', async function () {
    server = await LspServer.start({ folders: [ws] });
    await server.waitFor('the scan to start reading', () => server.progress.some((p) => p.value.kind === 'report'));
    const openUri = uri(join(ws, 'open/open.tf'));
    await server.open(openUri, LOGS_TF);
    await server.diagnosticsFor(openUri, (d) => byRule(d).length === 1);
    const opened = server.events.findIndex((e) => e.method === 'textDocument/publishDiagnostics' && e.uri === openUri);
    const ended = server.events.findIndex((e) => e.method === 'progress:end');
    assert.ok(ended === -1 || opened < ended, `the open document was answered at event ${opened}, after the scan ended at ${ended}`);
    await server.scanEnded();
    const status = await server.waitFor('the final status', () => [...server.statuses].reverse().find((s) => s.state === 'idle' && s.files === 3001));
    assert.equal(status.findings, 3001 * 4);
    assert.equal(await server.stop(), 0);
  });
});

describe('language server with a client that cannot answer workspace/configuration', function () {
  it('uses the settings pushed with didChangeConfiguration', async function () {
    const ws = makeWorkspace({ 'main.tf': LOGS_TF });
    const server = await LspServer.start({ folders: [ws], noConfiguration: true });
    try {
      const fileUri = uri(join(ws, 'main.tf'));
      await server.diagnosticsFor(fileUri, (d) => byRule(d).length === 1);
      await server.configure({ rules: { [VERSIONING]: 'off' } });
      await server.diagnosticsFor(fileUri, (d) => byRule(d).length === 0 && d.length > 0);
      assert.equal(server.configurationRequests.length, 0);
      assert.equal(await server.stop(), 0);
    } finally {
      server.kill();
      removeWorkspace(ws);
    }
  });
});
