// LSP protocol tests of the repository config (.iso27017/config.json) and of fixing one rule across the workspace:
// a config change on disk re-analyses, a bad config gets diagnostics at the right range, and
// iso27017/workspaceFixes returns one annotated edit for every file with the rule's fixable findings.

import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ApplyWorkspaceEditParams, ApplyWorkspaceEditResult, CreateFile, Diagnostic } from 'vscode-languageserver-protocol';
import type { ChecklistChangedParams, CreateChecklistResult, GetChecklistResult, WireChangeAnnotation, WorkspaceFixesResult } from '../../server/src/protocol';
import { catalogPath, LspServer, makeWorkspace, removeWorkspace, uri, writeFile } from './harness';

const VERSIONING = 'terraform/s3-versioning-disabled';
const bucket = (name: string): string => `resource "aws_s3_bucket" "${name}" {\n  bucket = "${name}"\n}\n`;
const hasVersioning = (ds: Diagnostic[]): boolean => ds.some((d) => d.code === VERSIONING);
const FILE_CREATED = 1;
const FILE_CHANGED = 2;
const FILE_DELETED = 3;

describe('LSP: repository config', function () {
  this.timeout(60_000);
  let ws: string;
  let server: LspServer;
  let mainUri: string;
  let configPath: string;
  let configUri: string;

  before(async function () {
    ws = makeWorkspace({ 'main.tf': bucket('a'), 'modules/b/main.tf': bucket('b'), 'examples/c.tf': bucket('c') });
    mainUri = uri(join(ws, 'main.tf'));
    configPath = join(ws, '.iso27017/config.json');
    configUri = uri(configPath);
    server = await LspServer.start({ folders: [ws] });
    await server.scanEnded();
    await server.diagnosticsFor(mainUri, hasVersioning, 'the versioning finding');
  });

  after(async function () {
    if (server) assert.equal(await server.stop(), 0);
    removeWorkspace(ws);
  });

  it('registers a watcher for **/.iso27017/config.json', async function () {
    await server.waitFor('the file watchers', () => server.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles'));
    const watchers = (server.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles')!.registerOptions as { watchers: Array<{ globPattern: string }> }).watchers;
    assert.ok(watchers.some((w) => w.globPattern === '**/.iso27017/config.json'), JSON.stringify(watchers));
  });

  it('re-analyses when the config changes on disk: a rule turned off, a folder excluded, then the file deleted', async function () {
    const examplesUri = uri(join(ws, 'examples/c.tf'));
    await server.diagnosticsFor(examplesUri, hasVersioning, 'the finding in examples/');
    writeFile(ws, '.iso27017/config.json', `// team baseline\n{ "rules": { "${VERSIONING}": "off" }, "exclude": ["examples/**"] }\n`);
    await server.watched([{ uri: configUri, type: FILE_CREATED }]);
    await server.diagnosticsFor(mainUri, (ds) => !hasVersioning(ds) && ds.length > 0, 'main.tf without the versioning finding');
    await server.diagnosticsFor(examplesUri, (ds) => ds.length === 0, 'examples/ cleared (excluded)');

    // A person's setting overrides the repository per rule.
    await server.configure({ rules: { [VERSIONING]: 'error' } });
    const ds = await server.diagnosticsFor(mainUri, hasVersioning, 'the finding back, at the person\'s severity');
    assert.equal(ds.find((d) => d.code === VERSIONING)!.severity, 1);
    await server.configure({});
    await server.diagnosticsFor(mainUri, (x) => !hasVersioning(x) && x.length > 0, 'the repository setting again');

    rmSync(configPath);
    await server.watched([{ uri: configUri, type: FILE_DELETED }]);
    await server.diagnosticsFor(mainUri, hasVersioning, 'the finding back once the config is gone');
    await server.diagnosticsFor(examplesUri, hasVersioning, 'examples/ analysed again');
  });

  it('suppresses through sidecar entries, pointing at the entry', async function () {
    const bUri = uri(join(ws, 'modules/b/main.tf'));
    // Start from the finding being there, so that the wait below sees the re-analysis, not an older publish.
    await server.diagnosticsFor(bUri, hasVersioning, 'modules/b with the versioning finding before the config');
    writeFile(ws, '.iso27017/config.json', `{ "suppressions": { "sidecar": [ { "rule": "${VERSIONING}", "path": "modules/**", "reason": "vendored" } ] } }\n`);
    await server.watched([{ uri: configUri, type: FILE_CHANGED }]);
    await server.diagnosticsFor(bUri, (ds) => !hasVersioning(ds), 'modules/b without the versioning finding');
    assert.ok(hasVersioning(server.diagnostics.get(mainUri)!.diagnostics), 'main.tf keeps its finding');
    const list = await server.request<{ suppressed: Array<{ ruleId: string; uri: string; suppression: { uri: string; reason?: string; range: unknown } }> }>('iso27017/listSuppressions', {});
    const s = list.suppressed.find((x) => x.ruleId === VERSIONING && x.uri === bUri);
    assert.ok(s, JSON.stringify(list.suppressed));
    assert.equal(s.suppression.uri, configUri);
    assert.equal(s.suppression.reason, 'vendored');
    rmSync(configPath);
    await server.watched([{ uri: configUri, type: FILE_DELETED }]);
    await server.diagnosticsFor(bUri, hasVersioning, 'modules/b with its finding again');
  });

  it('publishes the problems of a bad config at their ranges, and clears them once fixed', async function () {
    const text = ['{', '  "rules": { "terraform/s3-versioning-disabled": "loud" },', '  "colour": "blue",', '  "exclude": ["examples/**"]', '}', ''].join('\n');
    writeFile(ws, '.iso27017/config.json', text);
    await server.watched([{ uri: configUri, type: FILE_CREATED }]);
    const ds = await server.diagnosticsFor(configUri, (x) => x.length >= 2, 'the config problems');
    const bad = ds.find((d) => d.code === 'config/schema')!;
    assert.equal(bad.severity, 1);
    assert.equal(bad.source, 'iso27017');
    const col = text.split('\n')[1]!.indexOf('"loud"');
    assert.deepEqual(bad.range, { start: { line: 1, character: col }, end: { line: 1, character: col + 6 } });
    const unknown = ds.find((d) => d.code === 'config/unknown-key')!;
    assert.equal(unknown.severity, 2);
    assert.deepEqual(unknown.range, { start: { line: 2, character: 2 }, end: { line: 2, character: 10 } });
    // The rest of the file applies.
    await server.diagnosticsFor(uri(join(ws, 'examples/c.tf')), (x) => x.length === 0, 'examples/ excluded despite the bad value');

    writeFile(ws, '.iso27017/config.json', '{ "exclude": ["examples/**"] }\n');
    await server.watched([{ uri: configUri, type: FILE_CHANGED }]);
    await server.diagnosticsFor(configUri, (x) => x.length === 0, 'the config problems cleared');
    rmSync(configPath);
    await server.watched([{ uri: configUri, type: FILE_DELETED }]);
    await server.diagnosticsFor(uri(join(ws, 'examples/c.tf')), hasVersioning, 'examples/ analysed again');
  });
});

describe('LSP: iso27017/workspaceFixes', function () {
  this.timeout(60_000);
  let ws: string;
  let server: LspServer;
  const files = ['main.tf', 'modules/b/main.tf', 'other/c.tf'];

  before(async function () {
    ws = makeWorkspace({ 'main.tf': bucket('a'), 'modules/b/main.tf': bucket('b'), 'other/c.tf': bucket('c') + bucket('d'), 'clean.tf': 'locals {}\n' });
    server = await LspServer.start({ folders: [ws] });
    await server.scanEnded();
    for (const f of files) await server.diagnosticsFor(uri(join(ws, f)), hasVersioning, `the finding of ${f}`);
  });

  after(async function () {
    if (server) assert.equal(await server.stop(), 0);
    removeWorkspace(ws);
  });

  it('lists the rules with fixable findings, with counts', async function () {
    const r = await server.request<WorkspaceFixesResult>('iso27017/workspaceFixes', {});
    const v = r.rules.find((x) => x.ruleId === VERSIONING);
    assert.ok(v, JSON.stringify(r.rules));
    assert.deepEqual({ findings: v.findings, files: v.files }, { findings: 4, files: 3 });
    assert.ok(v.title);
    assert.deepEqual(r.rules.map((x) => x.ruleId), [...r.rules.map((x) => x.ruleId)].sort());
    assert.equal(r.edit, undefined);
  });

  it('returns one edit with the rule\'s fixes in every file, each annotated for confirmation', async function () {
    const r = await server.request<WorkspaceFixesResult>('iso27017/workspaceFixes', { ruleId: VERSIONING });
    const edit = r.edit;
    assert.ok(edit, r.error);
    assert.equal(r.fixes, 4);
    assert.equal(r.files, 3);
    assert.equal(r.skipped, 0);
    assert.deepEqual(edit.documentChanges.map((c) => c.textDocument.uri), files.map((f) => uri(join(ws, f))).sort());
    for (const c of edit.documentChanges) {
      assert.equal(c.textDocument.version, null, 'files that are not open carry no version');
      for (const e of c.edits) {
        const a: WireChangeAnnotation | undefined = edit.changeAnnotations[e.annotationId];
        assert.ok(a, `annotation ${e.annotationId}`);
        assert.equal(a.needsConfirmation, true);
        assert.match(a.label, /versioning/i);
        assert.match(e.newText, /aws_s3_bucket_versioning/);
      }
    }
    assert.deepEqual(Object.values(edit.changeAnnotations).map((a) => a.description).sort(), ['aws_s3_bucket.a', 'aws_s3_bucket.b', 'aws_s3_bucket.c', 'aws_s3_bucket.d']);
  });

  it('uses the version of an open document, and answers an error for a rule without fixable findings', async function () {
    const mainUri = uri(join(ws, 'main.tf'));
    await server.open(mainUri, bucket('a'));
    await server.diagnosticsFor(mainUri, hasVersioning, 'the open document analysed');
    await server.waitFor('the open document\'s diagnostics versioned', () => server.diagnostics.get(mainUri)?.version === 1);
    const r = await server.request<WorkspaceFixesResult>('iso27017/workspaceFixes', { ruleId: VERSIONING });
    assert.equal(r.edit!.documentChanges.find((c) => c.textDocument.uri === mainUri)!.textDocument.version, 1);
    const none = await server.request<WorkspaceFixesResult>('iso27017/workspaceFixes', { ruleId: 'terraform/rds-storage-unencrypted' });
    assert.equal(none.edit, undefined);
    assert.match(none.error ?? '', /No finding/);
    const unknown = await server.request<WorkspaceFixesResult>('iso27017/workspaceFixes', { ruleId: 'terraform/nope' });
    assert.match(unknown.error ?? '', /Unknown rule/);
  });

  it('is offered from the code-action menu after the rule\'s own fix', async function () {
    const mainUri = uri(join(ws, 'main.tf'));
    const d = server.diagnostics.get(mainUri)!.diagnostics.find((x) => x.code === VERSIONING)!;
    const actions = await server.codeActions(mainUri, d.range, [d]);
    const titles = actions.map((a) => a.title);
    const i = titles.indexOf(`Fix all "${VERSIONING}" problems in the workspace…`);
    assert.ok(i > 0 && titles[i - 1]!.startsWith('Fix: '), JSON.stringify(titles));
    assert.deepEqual(actions[i]!.command, { title: titles[i], command: 'iso27017.fixRuleInWorkspace', arguments: [VERSIONING] });
  });
});

describe('LSP: checklist.path of the repository config', function () {
  this.timeout(60_000);
  const dataVersion = (JSON.parse(readFileSync(catalogPath, 'utf8')) as { dataVersion: string }).dataVersion;
  /** A checklist with one known control (at `status`) and one id the catalog does not know (a warning in the file). */
  const checklist = (id: string, status: string): string =>
    `{\n  "version": 1,\n  "catalog": { "standard": "ISO/IEC 27017", "dataVersion": "${dataVersion}" },\n  "controls": {\n    "${id}": { "responsibility": "customer", "applicable": true, "status": "${status}" },\n    "9.9.9": { "responsibility": "shared", "applicable": true, "status": "todo" }\n  }\n}\n`;
  let ws: string;
  let server: LspServer;
  let configUri: string;
  let customUri: string;
  let defaultUri: string;
  const applyEdits: ApplyWorkspaceEditParams[] = [];

  const changed = (): ChecklistChangedParams[] => server.notifications.filter((n) => n.method === 'iso27017/checklistChanged').map((n) => n.params as ChecklistChangedParams);
  const waitChanged = (from: number): Promise<ChecklistChangedParams> =>
    server.waitFor('iso27017/checklistChanged', () => changed().slice(from).find((c) => c.folders.includes(uri(ws))));
  const get = async (): Promise<GetChecklistResult['folders'][number]> => (await server.request<GetChecklistResult>('iso27017/getChecklist', { folder: uri(ws) })).folders[0]!;
  const unknownId = (ds: Diagnostic[]): boolean => ds.some((d) => d.code === 'checklist/unknown-control');

  before(async function () {
    ws = makeWorkspace({
      'main.tf': bucket('a'),
      '.iso27017/config.json': '{ "checklist": { "path": "compliance/iso.json" } }\n',
      'compliance/iso.json': checklist('12.3.1', 'in-progress'),
      // The default place holds another checklist, which must not be read while the config points elsewhere.
      '.iso27017/checklist.json': checklist('12.4.1', 'done'),
    });
    configUri = uri(join(ws, '.iso27017/config.json'));
    customUri = uri(join(ws, 'compliance/iso.json'));
    defaultUri = uri(join(ws, '.iso27017/checklist.json'));
    server = await LspServer.start({
      folders: [ws],
      workspaceCapabilities: { applyEdit: true, workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'] } },
    });
    server.connection.onRequest('workspace/applyEdit', (params: ApplyWorkspaceEditParams): ApplyWorkspaceEditResult => {
      applyEdits.push(params);
      return { applied: true };
    });
    await server.scanEnded();
  });

  after(async function () {
    if (server) assert.equal(await server.stop(), 0);
    removeWorkspace(ws);
  });

  it('reads the configured file (getChecklist, diagnostics) and watches it', async function () {
    const f = await get();
    assert.equal(f.uri, customUri);
    assert.equal(f.state, 'ready');
    assert.equal(f.rows.find((r) => r.controlId === '12.3.1')!.status, 'in-progress');
    assert.equal(f.rows.find((r) => r.controlId === '12.4.1')!.status, 'todo', 'the default file is not read');
    assert.deepEqual(f.unknownControls, ['9.9.9']);
    await server.diagnosticsFor(customUri, unknownId, 'the unknown control id in compliance/iso.json');
    assert.ok(!server.diagnostics.get(defaultUri)?.diagnostics.length, 'no diagnostics in the default file');
    const globs = await server.waitFor('a watcher for compliance/iso.json', () => {
      const all = server.registrations
        .filter((r) => r.method === 'workspace/didChangeWatchedFiles')
        .flatMap((r) => (r.registerOptions as { watchers: Array<{ globPattern: string }> }).watchers.map((w) => w.globPattern));
      return all.includes('**/compliance/iso.json') ? all : undefined;
    });
    assert.ok(globs.includes('**/.iso27017/checklist.json'), globs.join(', '));
  });

  it('asks the client to synchronise the configured file (didOpen, didChange, didClose), which its static selector does not name', async function () {
    const selectors = await server.waitFor('document synchronisation registrations for compliance/iso.json', () => {
      const bySync = new Map<string, unknown>();
      for (const r of server.registrations) {
        if (['textDocument/didOpen', 'textDocument/didChange', 'textDocument/didClose'].includes(r.method)) bySync.set(r.method, r.registerOptions);
      }
      return bySync.size === 3 ? bySync : undefined;
    });
    for (const [method, options] of selectors) {
      assert.deepEqual((options as { documentSelector: unknown }).documentSelector, [{ scheme: 'file', pattern: '**/compliance/iso.json' }], method);
    }
    assert.equal((selectors.get('textDocument/didChange') as { syncKind: number }).syncKind, 2, 'incremental, like the static sync');
    // The server takes what the editor holds: an unsaved edit counts, and closing it goes back to the disk.
    let from = changed().length;
    await server.open(customUri, checklist('12.3.1', 'todo'), 'json');
    await waitChanged(from);
    assert.equal((await get()).rows.find((r) => r.controlId === '12.3.1')!.status, 'todo', 'the unsaved status');
    from = changed().length;
    await server.close(customUri);
    await waitChanged(from);
    assert.equal((await get()).rows.find((r) => r.controlId === '12.3.1')!.status, 'in-progress', 'the status on disk again');
  });

  it('re-reads the configured file when it changes on disk', async function () {
    const from = changed().length;
    writeFile(ws, 'compliance/iso.json', checklist('12.3.1', 'done'));
    await server.watched([{ uri: customUri, type: FILE_CHANGED }]);
    await waitChanged(from);
    assert.equal((await get()).rows.find((r) => r.controlId === '12.3.1')!.status, 'done');
  });

  it('moves with the config: clears the old file\'s diagnostics, reads the new one, tells the client, creates there', async function () {
    let from = changed().length;
    writeFile(ws, '.iso27017/config.json', '{ "checklist": { "path": "audit/checklist.json" } }\n');
    await server.watched([{ uri: configUri, type: FILE_CHANGED }]);
    await waitChanged(from);
    await server.diagnosticsFor(customUri, (ds) => ds.length === 0, 'compliance/iso.json cleared');
    const moved = await get();
    assert.equal(moved.uri, uri(join(ws, 'audit/checklist.json')));
    assert.equal(moved.state, 'missing');

    // Created where the config says.
    const before = applyEdits.length;
    const r = await server.request<CreateChecklistResult>('iso27017/createChecklist', { folder: uri(ws), create: true });
    assert.equal(r.error, undefined);
    assert.equal(r.created, true);
    assert.equal(r.uri, uri(join(ws, 'audit/checklist.json')));
    const create = applyEdits.slice(before)[0]!.edit.documentChanges![0] as CreateFile;
    assert.equal(create.kind, 'create');
    assert.equal(create.uri, r.uri);

    // Without the config, the default file counts again.
    from = changed().length;
    rmSync(join(ws, '.iso27017/config.json'));
    await server.watched([{ uri: configUri, type: FILE_DELETED }]);
    await waitChanged(from);
    const back = await get();
    assert.equal(back.uri, defaultUri);
    assert.equal(back.rows.find((x) => x.controlId === '12.4.1')!.status, 'done');
    await server.diagnosticsFor(defaultUri, unknownId, 'the unknown control id in the default file');
  });
});
