// LSP tests of the shared-responsibility checklist: iso27017/getChecklist, setChecklistItem (through
// workspace/applyEdit), createChecklist, renderSoa, iso27017/checklistChanged and the diagnostics in the file.

import assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { ApplyWorkspaceEditParams, ApplyWorkspaceEditResult, CreateFile, Diagnostic, TextDocumentEdit } from 'vscode-languageserver-protocol';
import { parseChecklist } from '../../server/src/checklist/index';
import type {
  ChecklistChangedParams,
  CreateChecklistResult,
  GetChecklistResult,
  RenderSoaResult,
  SetChecklistItemResult,
} from '../../server/src/protocol';
import { catalogPath, LspServer, makeWorkspace, removeWorkspace, repoRoot, uri, writeFile } from './harness';

const dataVersion = (JSON.parse(readFileSync(catalogPath, 'utf8')) as { dataVersion: string }).dataVersion;

const MAIN_TF = `resource "aws_s3_bucket" "data" {
  bucket = "acme-data"
}
`;

const MAIN_FIXED_TF = `resource "aws_s3_bucket" "data" {
  bucket = "acme-data"
  versioning {
    enabled = true
  }
}
`;

/** Comments, an unknown top-level field, an unknown item field, an unknown control id and trailing commas. */
const CHECKLIST = `// Our checklist: keep this comment.
{
  "version": 1,
  "catalog": { "standard": "ISO/IEC 27017", "edition": "2015", "dataVersion": "${dataVersion}" },
  "x-team": { "chat": "#security" }, /* unknown top-level field */
  "providers": ["aws"],
  "models": ["PaaS"],
  "controls": {
    // Backups: the restore test is pending.
    "12.3.1": { "responsibility": "customer", "applicable": true, "status": "todo", "x-ticket": "SEC-1" }, // trailing
    "9.9.9": { "responsibility": "shared", "applicable": true, "status": "todo" },
    "12.4.1": {
      "responsibility": "customer",
      "applicable": true,
      "status": "in-progress",
    },
  },
}
`;

const ACCEPT_ALL = { applyEdit: true, workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'] } };

/** Applies the text edits of a `workspace/applyEdit` for one URI to `text`. */
function applyTo(text: string, params: ApplyWorkspaceEditParams, fileUri: string): string {
  const edits = (params.edit.documentChanges ?? [])
    .filter((c): c is TextDocumentEdit => 'textDocument' in c && c.textDocument.uri === fileUri)
    .flatMap((c) => c.edits.filter((e): e is Extract<typeof e, { newText: string }> => 'newText' in e));
  return TextDocument.applyEdits(TextDocument.create(fileUri, 'jsonc', 1, text), edits);
}

/** The offset of the `n`th occurrence of `needle` after `after`. */
function offsetOf(text: string, needle: string, after = ''): number {
  const start = after ? text.indexOf(after) : 0;
  assert.ok(start >= 0, `no ${after}`);
  const i = text.indexOf(needle, start);
  assert.ok(i >= 0, `no ${needle} after ${after}`);
  return i;
}

describe('the shared-responsibility checklist over LSP', function () {
  let a: string;
  let b: string;
  let server: LspServer;
  let mainUri: string;
  let fileA: string;
  let fileUriA: string;
  /** What the test client answers to `workspace/applyEdit`. */
  let accept = true;
  const applyEdits: ApplyWorkspaceEditParams[] = [];
  /** The checklist text as the test client holds it (what "the editor" saved). */
  let diskA = CHECKLIST;

  const changed = (): ChecklistChangedParams[] => server.notifications.filter((n) => n.method === 'iso27017/checklistChanged').map((n) => n.params as ChecklistChangedParams);
  const waitChanged = (from: number, folder: string): Promise<ChecklistChangedParams> =>
    server.waitFor(`iso27017/checklistChanged for ${folder}`, () => changed().slice(from).find((c) => c.folders.includes(uri(folder))));
  const getA = async (): Promise<GetChecklistResult['folders'][number]> => {
    const r = await server.request<GetChecklistResult>('iso27017/getChecklist', { folder: uri(a) });
    assert.equal(r.folders.length, 1);
    return r.folders[0]!;
  };
  const conflictOf = (ds: Diagnostic[]): Diagnostic | undefined => ds.find((d) => d.code === 'checklist/done-but-failing');

  before(async function () {
    a = makeWorkspace({ 'main.tf': MAIN_TF, '.iso27017/checklist.json': CHECKLIST });
    b = makeWorkspace({});
    cpSync(join(repoRoot, 'examples/terraform-aws'), b, { recursive: true });
    mainUri = uri(join(a, 'main.tf'));
    fileA = join(a, '.iso27017/checklist.json');
    fileUriA = uri(fileA);
    server = await LspServer.start({ folders: [a, b], workspaceCapabilities: ACCEPT_ALL });
    server.connection.onRequest('workspace/applyEdit', (params: ApplyWorkspaceEditParams): ApplyWorkspaceEditResult => {
      applyEdits.push(params);
      return accept ? { applied: true } : { applied: false, failureReason: 'refused by the test' };
    });
    await server.scanEnded();
    await server.diagnosticsFor(mainUri, (d) => d.some((x) => x.code === 'terraform/s3-versioning-disabled'));
  });

  after(function () {
    server?.kill();
    if (a) removeWorkspace(a);
    if (b) removeWorkspace(b);
  });

  it('watches checklist files', async function () {
    const watch = await server.waitFor('file watcher registration', () => server.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles'));
    const globs = (watch.registerOptions as { watchers: Array<{ globPattern: string }> }).watchers.map((w) => w.globPattern);
    assert.ok(globs.includes('**/.iso27017/checklist.json'), globs.join(', '));
  });

  it('reads a checklist with comments and an unknown control id: rows, progress, problems, automatic evidence', async function () {
    const r = await server.request<GetChecklistResult>('iso27017/getChecklist', {});
    assert.equal(r.loaded, true);
    assert.equal(r.dataVersion, dataVersion);
    assert.deepEqual(r.folders.map((f) => f.folder), [uri(a), uri(b)]);
    assert.equal(r.folders[1]!.state, 'missing');
    assert.deepEqual(r.folders[1]!.rows, []);

    const f = r.folders[0]!;
    assert.equal(f.state, 'ready');
    assert.equal(f.uri, fileUriA);
    assert.equal(f.fromEditor, false);
    assert.deepEqual(f.unknownControls, ['9.9.9']);
    assert.deepEqual(f.providers, ['aws']);
    assert.deepEqual(f.models, ['PaaS']);
    assert.equal(f.rows.length, 45, '44 catalog controls, then the unknown id');
    const last = f.rows.at(-1)!;
    assert.equal(last.controlId, '9.9.9');
    assert.equal(last.known, false);
    assert.equal(last.title, undefined);

    const backup = f.rows.find((x) => x.controlId === '12.3.1')!;
    assert.equal(backup.source, 'checklist');
    assert.equal(backup.status, 'todo');
    assert.equal(backup.title, 'Information backup');
    assert.equal(backup.group?.id, '12');
    assert.equal(backup.conflict, false);
    const versioning = backup.automatic.find((e) => e.ruleId === 'terraform/s3-versioning-disabled')!;
    assert.equal(versioning.findings, 1);
    assert.equal(versioning.locations[0]!.uri, mainUri);
    assert.equal(versioning.locations[0]!.resource, 'aws_s3_bucket.data');
    assert.ok(versioning.title, 'rules carry their titles');
    assert.equal(backup.openFindings, backup.automatic.reduce((n, e) => n + e.findings, 0));
    const keyStart = offsetOf(CHECKLIST, '"12.3.1"');
    const lines = CHECKLIST.slice(0, keyStart).split('\n');
    assert.deepEqual(backup.keyRange?.start, { line: lines.length - 1, character: lines.at(-1)!.length });

    const defaulted = f.rows.find((x) => x.controlId === '5.1.1')!;
    assert.equal(defaulted.source, 'default');
    assert.equal(defaulted.status, 'todo');
    assert.equal(defaulted.keyRange, undefined);
    assert.equal(defaulted.responsibility, defaulted.defaultResponsibility);

    assert.equal(f.progress.total, 44);
    assert.equal(f.progress.inProgress, 1);
    assert.equal(f.progress.done, 0);
    assert.equal(f.progress.todo, 43);
    assert.equal(f.byResponsibility.customer.total + f.byResponsibility.shared.total + f.byResponsibility.provider.total, 44);
    assert.ok(f.problems.some((p) => p.code === 'unknown-control' && p.severity === 'warning' && p.controlId === '9.9.9'));
    assert.ok(f.problems.some((p) => p.code === 'missing-controls' && p.severity === 'info'));
    assert.deepEqual(f.conflicts, []);
  });

  it('publishes the unknown control id as a warning at its key, and keeps it', async function () {
    const ds = await server.diagnosticsFor(fileUriA, (d) => d.some((x) => x.code === 'checklist/unknown-control'));
    const w = ds.find((x) => x.code === 'checklist/unknown-control')!;
    assert.equal(w.severity, 2);
    assert.equal(w.source, 'iso27017');
    const at = offsetOf(CHECKLIST, '"9.9.9"');
    const line = CHECKLIST.slice(0, at).split('\n').length - 1;
    const character = at - CHECKLIST.lastIndexOf('\n', at - 1) - 1;
    assert.deepEqual(w.range, { start: { line, character }, end: { line, character: character + '"9.9.9"'.length } });
    assert.deepEqual(w.data, { controlId: '9.9.9' });
    assert.equal(conflictOf(ds), undefined);
  });

  it('needs the folder when several are open', async function () {
    const r = await server.request<SetChecklistItemResult>('iso27017/setChecklistItem', { controlId: '12.3.1', status: 'done' });
    assert.equal(r.applied, false);
    assert.match(r.error ?? '', /Several workspace folders/);
  });

  it('marks a control done with one minimal edit through workspace/applyEdit, keeping comments and unknown fields', async function () {
    const before = applyEdits.length;
    const r = await server.request<SetChecklistItemResult>('iso27017/setChecklistItem', { folder: uri(a), controlId: '12.3.1', status: 'done' });
    assert.deepEqual(r, { applied: true, changed: true });
    assert.equal(applyEdits.length, before + 1);
    const params = applyEdits.at(-1)!;
    assert.match(params.label ?? '', /12\.3\.1/);
    const changes = params.edit.documentChanges as TextDocumentEdit[];
    assert.equal(changes.length, 1);
    assert.equal(changes[0]!.textDocument.uri, fileUriA);
    assert.equal(changes[0]!.textDocument.version, null, 'the file is not open: no version');
    assert.equal(changes[0]!.edits.length, 1);

    const after = applyTo(diskA, params, fileUriA);
    const at = offsetOf(diskA, '"todo"', '"12.3.1"');
    assert.equal(after, `${diskA.slice(0, at)}"done"${diskA.slice(at + '"todo"'.length)}`, 'only the value changed, byte for byte');
    // The client saves the clean file (as the extension does), and the watcher reports it.
    diskA = after;
    writeFile(a, '.iso27017/checklist.json', diskA);
    await server.watched([{ uri: fileUriA, type: 2 }]);
    const f = await getA();
    assert.equal(f.rows.find((x) => x.controlId === '12.3.1')!.status, 'done');
    assert.equal(f.progress.done, 1);
  });

  it('warns on the key of a control marked done while its rules have open findings, with the findings as related locations', async function () {
    const ds = await server.diagnosticsFor(fileUriA, (d) => conflictOf(d) !== undefined, 'a done-but-failing warning');
    const c = conflictOf(ds)!;
    assert.equal(c.severity, 2);
    assert.match(JSON.stringify(c.message), /12\.3\.1 is marked done/);
    assert.deepEqual((c.data as { controlId: string }).controlId, '12.3.1');
    const f = await getA();
    const row = f.rows.find((x) => x.controlId === '12.3.1')!;
    assert.deepEqual(c.range, row.keyRange);
    assert.ok(c.relatedInformation?.some((ri) => ri.location.uri === mainUri && JSON.stringify(ri.message).includes('terraform/s3-versioning-disabled')));
    assert.equal(row.conflict, true);
    assert.deepEqual(f.conflicts.map((x) => x.controlId), ['12.3.1']);
  });

  it('drops the warning and tells the view when the finding is fixed', async function () {
    const from = changed().length;
    await server.open(mainUri, MAIN_FIXED_TF);
    await server.diagnosticsFor(mainUri, (d) => !d.some((x) => x.code === 'terraform/s3-versioning-disabled'));
    await server.diagnosticsFor(fileUriA, (d) => conflictOf(d) === undefined, 'the done-but-failing warning to go');
    await waitChanged(from, a);
    const f = await getA();
    const row = f.rows.find((x) => x.controlId === '12.3.1')!;
    assert.equal(row.conflict, false);
    assert.equal(row.automatic.find((e) => e.ruleId === 'terraform/s3-versioning-disabled')!.findings, 0);
    // Closed, the file reverts to its disk content: the finding, and the warning, come back.
    await server.close(mainUri);
    await server.diagnosticsFor(fileUriA, (d) => conflictOf(d) !== undefined, 'the done-but-failing warning to return');
  });

  it('makes several changes of one control in one edit', async function () {
    const r = await server.request<SetChecklistItemResult>('iso27017/setChecklistItem', {
      folder: uri(a),
      controlId: '12.4.1',
      owner: 'Platform team',
      note: 'Logs kept 400 days.',
      evidence: { kind: 'ticket', ref: 'SEC-7' },
      reviewed: '2024-06-30',
    });
    assert.deepEqual(r, { applied: true, changed: true });
    const params = applyEdits.at(-1)!;
    const after = applyTo(diskA, params, fileUriA);
    const parsed = parseChecklist(after);
    assert.equal(parsed.valid, true);
    const item = parsed.checklist!.controls['12.4.1']!;
    assert.equal(item.owner, 'Platform team');
    assert.deepEqual(item.notes, ['Logs kept 400 days.']);
    assert.deepEqual(item.evidence, [{ kind: 'ticket', ref: 'SEC-7' }]);
    assert.equal(item.lastReviewed, '2024-06-30');
    // Everything before the item is untouched.
    const itemStart = offsetOf(diskA, '"12.4.1"');
    assert.equal(after.slice(0, itemStart), diskA.slice(0, itemStart));
    diskA = after;
    writeFile(a, '.iso27017/checklist.json', diskA);
    await server.watched([{ uri: fileUriA, type: 2 }]);
  });

  it('refuses "not applicable" without a justification, and does not touch the file', async function () {
    const before = applyEdits.length;
    const r = await server.request<SetChecklistItemResult>('iso27017/setChecklistItem', { folder: uri(a), controlId: '11.2.7', applicable: false });
    assert.equal(r.applied, false);
    assert.match(r.error ?? '', /justification/);
    assert.equal(applyEdits.length, before);
  });

  it('reports an edit the editor refused', async function () {
    accept = false;
    try {
      const r = await server.request<SetChecklistItemResult>('iso27017/setChecklistItem', { folder: uri(a), controlId: '12.3.1', status: 'in-progress' });
      assert.equal(r.applied, false);
      assert.match(r.error ?? '', /refused by the test/);
    } finally {
      accept = true;
    }
    assert.equal((await getA()).rows.find((x) => x.controlId === '12.3.1')!.status, 'done', 'a refused edit changes nothing');
  });

  it('reads the open document instead of the disk, and versions its edits against it', async function () {
    const edited = diskA.replace('"x-team"', '"owner-note": "unsaved", "x-team"');
    const from = changed().length;
    await server.open(fileUriA, edited, 'jsonc');
    await waitChanged(from, a);
    const f = await getA();
    assert.equal(f.fromEditor, true);
    const r = await server.request<SetChecklistItemResult>('iso27017/setChecklistItem', { folder: uri(a), controlId: '9.9.9', status: 'done' });
    assert.deepEqual(r, { applied: true, changed: true });
    const change = (applyEdits.at(-1)!.edit.documentChanges as TextDocumentEdit[])[0]!;
    assert.equal(change.textDocument.version, 1, 'versioned against the open document');
    const after = applyTo(edited, applyEdits.at(-1)!, fileUriA);
    assert.ok(after.includes('"owner-note": "unsaved"'), 'the unsaved text is edited, not replaced');
    assert.equal(readFileSync(fileA, 'utf8'), diskA, 'the server never writes the file itself');
    const closedFrom = changed().length;
    await server.close(fileUriA);
    await waitChanged(closedFrom, a);
    assert.equal((await getA()).fromEditor, false);
  });

  it('tells the client when the file changes on disk (didChangeWatchedFiles)', async function () {
    const from = changed().length;
    diskA = diskA.replace('"status": "in-progress"', '"status": "done"');
    writeFile(a, '.iso27017/checklist.json', diskA);
    await server.watched([{ uri: fileUriA, type: 2 }]);
    const n = await waitChanged(from, a);
    assert.deepEqual(n.folders, [uri(a)]);
    assert.equal((await getA()).rows.find((x) => x.controlId === '12.4.1')!.status, 'done');
  });

  it('refuses to edit an invalid file, names the problem, and publishes it at its exact range', async function () {
    const broken = diskA.replace('"providers": ["aws"],', '"providers": ["aws"]');
    const from = changed().length;
    writeFile(a, '.iso27017/checklist.json', broken);
    await server.watched([{ uri: fileUriA, type: 2 }]);
    await waitChanged(from, a);
    const f = await getA();
    assert.equal(f.state, 'invalid');
    assert.deepEqual(f.rows, []);
    const at = offsetOf(broken, '"models"');
    const line = broken.slice(0, at).split('\n').length - 1;
    assert.match(f.error ?? '', new RegExp(`^Line ${line + 1}, column 3: Expected a comma`));
    const ds = await server.diagnosticsFor(fileUriA, (d) => d.some((x) => x.code === 'checklist/syntax'));
    const syntax = ds.find((x) => x.code === 'checklist/syntax')!;
    assert.equal(syntax.severity, 1);
    assert.equal(syntax.range.start.line, line);

    const before = applyEdits.length;
    const r = await server.request<SetChecklistItemResult>('iso27017/setChecklistItem', { folder: uri(a), controlId: '12.3.1', status: 'todo' });
    assert.equal(r.applied, false);
    assert.match(r.error ?? '', /error.*line \d+, column \d+/i);
    assert.ok(r.problems?.some((p) => p.code === 'syntax'));
    assert.equal(applyEdits.length, before, 'no edit was sent');
    assert.equal(readFileSync(fileA, 'utf8'), broken, 'the file was not touched');
    const soa = await server.request<RenderSoaResult>('iso27017/renderSoa', { folder: uri(a), format: 'md' });
    assert.equal(soa.text, undefined);
    assert.match(soa.error ?? '', /errors/);

    writeFile(a, '.iso27017/checklist.json', diskA);
    await server.watched([{ uri: fileUriA, type: 2 }]);
    await server.diagnosticsFor(fileUriA, (d) => !d.some((x) => x.code === 'checklist/syntax'));
  });

  it('renders the Statement of Applicability from the checklist', async function () {
    const md = await server.request<RenderSoaResult>('iso27017/renderSoa', { folder: uri(a), format: 'md' });
    assert.equal(md.source, 'checklist');
    assert.equal(md.controls, 45);
    assert.match(md.text ?? '', /## Summary/);
    assert.match(md.text ?? '', /12\.3\.1/);
    const csv = await server.request<RenderSoaResult>('iso27017/renderSoa', { folder: uri(a), format: 'csv' });
    assert.match(csv.text ?? '', /\r\n/);
    const none = await server.request<RenderSoaResult>('iso27017/renderSoa', { folder: uri(b), format: 'json' });
    assert.equal(none.source, 'defaults');
    assert.doesNotThrow(() => JSON.parse(none.text!));
  });

  it('proposes a checklist for the example project from the services its Terraform uses', async function () {
    const r = await server.request<CreateChecklistResult>('iso27017/createChecklist', { folder: uri(b) });
    assert.equal(r.error, undefined);
    assert.equal(r.created, false);
    assert.equal(r.exists, false);
    assert.equal(r.uri, uri(join(b, '.iso27017/checklist.json')));
    assert.deepEqual(r.detected.providers, ['aws']);
    assert.deepEqual(r.detected.models, ['IaaS', 'PaaS']);
    for (const name of ['EC2', 'RDS', 'S3', 'KMS']) assert.ok(r.detected.services.some((s) => s.name === name), name);
    assert.ok(r.detected.services.find((s) => s.name === 'RDS')!.detectedFrom!.includes('aws_db_instance'));
    assert.ok(r.detected.files >= 1 && r.detected.resources >= 1);
    assert.deepEqual(r.models, ['IaaS', 'PaaS']);
    const parsed = parseChecklist(r.text);
    assert.equal(parsed.valid, true);
    assert.equal(Object.keys(parsed.checklist!.controls).length, 44);
    assert.ok(!existsSync(join(b, '.iso27017')), 'a proposal creates nothing');

    const saas = await server.request<CreateChecklistResult>('iso27017/createChecklist', { folder: uri(b), models: ['SaaS'], providers: ['aws', 'azure'] });
    assert.deepEqual(saas.models, ['SaaS']);
    assert.deepEqual(saas.providers, ['aws', 'azure']);
    assert.ok(saas.notes.some((n) => /IaaS/.test(n)), 'says which detected models were left out');
  });

  it('creates the file through workspace/applyEdit (CreateFile, then one insert), and never over an existing one', async function () {
    const before = applyEdits.length;
    const from = changed().length;
    const r = await server.request<CreateChecklistResult>('iso27017/createChecklist', { folder: uri(b), create: true });
    assert.equal(r.error, undefined);
    assert.equal(r.created, true);
    assert.equal(applyEdits.length, before + 1);
    const [create, insert] = applyEdits.at(-1)!.edit.documentChanges as [CreateFile, TextDocumentEdit];
    assert.equal(create.kind, 'create');
    assert.equal(create.uri, r.uri);
    assert.deepEqual(create.options, { overwrite: false, ignoreIfExists: false });
    assert.equal(insert.textDocument.uri, r.uri);
    assert.deepEqual(insert.edits, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: r.text }]);
    await waitChanged(from, b);
    const got = await server.request<GetChecklistResult>('iso27017/getChecklist', { folder: uri(b) });
    assert.equal(got.folders[0]!.state, 'ready');
    assert.equal(got.folders[0]!.progress.total, 44);

    // The test client "applies" it: the file now exists on disk.
    writeFile(b, '.iso27017/checklist.json', r.text);
    await server.watched([{ uri: r.uri, type: 1 }]);
    const again = await server.request<CreateChecklistResult>('iso27017/createChecklist', { folder: uri(b), create: true });
    assert.equal(again.created, false);
    assert.equal(again.exists, true);
    assert.match(again.error ?? '', /already exists/);
    assert.equal(applyEdits.length, before + 1);
  });

  it('reports a checklist deleted with its folder as missing', async function () {
    const from = changed().length;
    removeWorkspace(join(b, '.iso27017'));
    await server.watched([{ uri: uri(join(b, '.iso27017')), type: 3 }]);
    await waitChanged(from, b);
    const got = await server.request<GetChecklistResult>('iso27017/getChecklist', { folder: uri(b) });
    assert.equal(got.folders[0]!.state, 'missing');
  });
});
