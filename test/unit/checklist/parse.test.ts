// Reading checklist files: syntax and schema problems with exact positions, unknown controls kept, and the
// hand-written validator agreeing with the JSON Schema (Ajv) on valid and invalid documents.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { createChecklist, formatProblem, parseChecklist } from '../../../server/src/checklist/index';
import { repoRoot } from '../support/project';
import { catalog, HAND } from './helpers';

const at = (text: string, needle: string, nth = 0): number => {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
  assert.ok(i >= 0, `${needle} in text`);
  return i;
};

describe('checklist: parse', () => {
  it('reads a created checklist without any problem', () => {
    const { text, checklist } = createChecklist({ catalog: catalog(), providers: ['aws'], models: ['IaaS'], services: [], today: '2024-05-01' });
    const p = parseChecklist(text, { catalog: catalog() });
    assert.deepEqual(p.problems, []);
    assert.equal(p.valid, true);
    assert.deepEqual(p.checklist, checklist);
    assert.equal(p.locations.controls.size, 44);
  });

  it('reads a hand-written file with comments, trailing commas and unknown fields, keeping them', () => {
    const p = parseChecklist(HAND, { catalog: catalog() });
    assert.equal(p.valid, true, JSON.stringify(p.problems));
    assert.deepEqual(Object.keys(p.checklist!.controls), ['5.1.1', '6.1.1', '9.9.9', '11.2.7']);
    assert.equal((p.checklist as unknown as Record<string, unknown>)['x-team'] !== undefined, true);
    assert.equal((p.checklist!.controls['9.9.9'] as unknown as Record<string, unknown>)['x-source'], 'old tool');
    assert.equal(p.checklist!.controls['11.2.7']!.justification, 'No own hardware.');
    assert.deepEqual(p.checklist!.controls['11.2.7']!.evidence, [{ kind: 'url', ref: 'https://aws.amazon.com/compliance/data-center/' }]);
  });

  it('keeps unknown control ids and reports them as warnings naming the catalog version', () => {
    const p = parseChecklist(HAND, { catalog: catalog() });
    assert.deepEqual(p.unknownControls, ['9.9.9']);
    assert.ok(p.checklist!.controls['9.9.9'], 'kept');
    const w = p.problems.find((x) => x.code === 'unknown-control')!;
    assert.equal(w.severity, 'warning');
    assert.match(w.message, new RegExp(`not in catalog ${catalog().dataVersion.replace(/\./g, '\\.')}`));
    assert.equal(w.offset, at(HAND, '"9.9.9"'));
    assert.equal(w.length, '"9.9.9"'.length);
    assert.deepEqual(w.range.start, { line: 17, character: 4 });
    assert.equal(w.controlId, '9.9.9');
  });

  it('notes an older catalog version and the catalog controls the file lacks', () => {
    const p = parseChecklist(HAND, { catalog: catalog() });
    const v = p.problems.find((x) => x.code === 'catalog-version')!;
    assert.equal(v.severity, 'info');
    assert.equal(v.offset, at(HAND, '"1.0.0"'));
    const m = p.problems.find((x) => x.code === 'missing-controls')!;
    assert.equal(m.severity, 'info');
    assert.match(m.message, /^41 controls of catalog/);
  });

  it('reports JSON syntax errors with exact offsets, line and column, and returns no checklist', () => {
    const text = '{\n  "version": 1,\n  "catalog": { "standard": "ISO/IEC 27017" "dataVersion": "1.0.0" },\n  "controls": {}\n}\n';
    const p = parseChecklist(text);
    assert.equal(p.valid, false);
    assert.equal(p.checklist, undefined);
    const e = p.problems[0]!;
    assert.equal(e.code, 'syntax');
    assert.equal(e.offset, at(text, '"dataVersion"'));
    assert.deepEqual(e.range.start, { line: 2, character: 43 });
    assert.match(e.message, /Expected a comma/);
    assert.equal(formatProblem(e, 'c.json'), 'c.json:3:44: error: Expected a comma (,) between entries.');
  });

  it('reports an unterminated file and an empty file', () => {
    const p = parseChecklist('{ "version": 1,');
    assert.equal(p.valid, false);
    assert.ok(p.problems.some((x) => x.code === 'syntax'));
    const empty = parseChecklist('  \n');
    assert.equal(empty.valid, false);
    assert.match(empty.problems[0]!.message, /empty/);
  });

  it('reports schema violations at the offending value, with a JSON pointer and a clear message', () => {
    const text = `{
  "version": 1,
  "catalog": { "standard": "ISO/IEC 27017", "dataVersion": "1.0.0", "source": "x" },
  "controls": {
    "5.1.1": { "responsibility": "us", "applicable": "yes", "status": "complete", "lastReviewed": "2024-02-30" },
    "6.1.1": { "responsibility": "customer", "status": "todo" },
    "9.1": { "responsibility": "customer", "applicable": true, "status": "todo" },
    "7.2.2": { "responsibility": "shared", "applicable": true, "status": "done", "evidence": [{ "kind": "wiki", "ref": "" }] }
  }
}`;
    const p = parseChecklist(text, { catalog: catalog() });
    assert.equal(p.valid, false);
    const byPointer = new Map(p.problems.filter((x) => x.severity === 'error').map((x) => [x.pointer, x]));
    const expect = (pointer: string, needle: string, message: RegExp, nth = 0): void => {
      const x = byPointer.get(pointer);
      assert.ok(x, `problem at ${pointer}; got ${[...byPointer.keys()].join(', ')}`);
      assert.equal(x.offset, at(text, needle, nth), pointer);
      assert.match(x.message, message);
    };
    expect('/catalog/source', '"source"', /Unknown field "source" in "catalog"/);
    expect('/controls/5.1.1/responsibility', '"us"', /"responsibility" must be one of "customer", "provider", "shared"; found the string "us"/);
    expect('/controls/5.1.1/applicable', '"yes"', /"applicable" must be true or false/);
    expect('/controls/5.1.1/status', '"complete"', /"status" must be one of "todo", "in-progress", "done"/);
    expect('/controls/5.1.1/lastReviewed', '"2024-02-30"', /not a real date/);
    expect('/controls/6.1.1', '"6.1.1"', /Control 6\.1\.1 has no "applicable"/);
    expect('/controls/9.1', '"9.1"', /is not a control id/);
    expect('/controls/7.2.2/evidence/0/kind', '"wiki"', /"kind" must be one of "file", "url", "ticket"/);
    expect('/controls/7.2.2/evidence/0/ref', '""', /must not be empty/);
    // Broken items are left out of the checklist but never dropped silently.
    assert.deepEqual(p.invalidItems.sort(), ['5.1.1', '6.1.1', '7.2.2', '9.1']);
    assert.deepEqual(Object.keys(p.checklist!.controls), []);
  });

  it('requires a justification when a control is not applicable', () => {
    const text = '{"version": 1, "catalog": {"standard": "ISO/IEC 27017", "dataVersion": "1.0.0"}, "controls": {"11.2.7": {"responsibility": "provider", "applicable": false, "status": "todo"}}}';
    const p = parseChecklist(text);
    const e = p.problems.find((x) => x.code === 'justification-required')!;
    assert.equal(e.severity, 'error');
    assert.equal(e.offset, at(text, 'false'));
    assert.match(e.message, /not applicable but has no "justification"/);
    assert.equal(p.valid, false);
  });

  it('reports duplicate keys, a newer format version and missing top-level fields', () => {
    const dup = parseChecklist('{"version": 1, "catalog": {"standard": "ISO/IEC 27017", "dataVersion": "1.0.0"}, "controls": {"5.1.1": {"responsibility": "shared", "applicable": true, "status": "todo", "status": "done"}}}');
    assert.ok(dup.problems.some((x) => x.code === 'duplicate-key' && x.pointer === '/controls/5.1.1/status'));
    const newer = parseChecklist('{"version": 2, "catalog": {"standard": "ISO/IEC 27017", "dataVersion": "1.0.0"}, "controls": {}}');
    assert.match(newer.problems[0]!.message, /newer than this version of iso27017 reads/);
    const bare = parseChecklist('{}');
    assert.deepEqual(bare.problems.map((x) => x.message), [
      'The checklist has no "version" (the format version, 1).',
      'The checklist has no "catalog" (the catalog the checklist was created from).',
      'The checklist has no "controls" (an object of control id → item).',
    ]);
    const arr = parseChecklist('[]');
    assert.match(arr.problems[0]!.message, /must be a JSON object/);
  });

  it('agrees with the JSON Schema (Ajv, draft 2020-12) on valid and invalid documents', () => {
    const schema = JSON.parse(readFileSync(join(repoRoot, 'controls-data/schema/checklist.schema.json'), 'utf8'));
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    const base = (): any => JSON.parse(JSON.stringify(createChecklist({ catalog: catalog(), providers: ['aws'], models: ['PaaS'], services: [{ name: 'S3', provider: 'aws', model: 'PaaS', detectedFrom: ['aws_s3_bucket'] }], today: '2024-05-01' }).checklist));
    const cases: Array<[string, boolean, (d: any) => void]> = [
      ['as created', true, () => {}],
      ['unknown top-level field', true, (d) => (d.future = { a: 1 })],
      ['unknown item field', true, (d) => (d.controls['5.1.1'].reviewer = 'x')],
      ['all optional item fields', true, (d) => Object.assign(d.controls['5.1.1'], { customerDoes: 'a', providerDoes: 'b', owner: 'o', notes: ['n'], evidence: [{ kind: 'ticket', ref: 'SEC-1', note: 'n' }], lastReviewed: '2024-02-29', justification: 'j' })],
      ['not applicable with justification', true, (d) => Object.assign(d.controls['5.1.1'], { applicable: false, justification: 'Because.' })],
      ['control id unknown to the catalog', true, (d) => (d.controls['9.9.9'] = { responsibility: 'shared', applicable: true, status: 'todo' })],
      ['no providers, services, models', true, (d) => { delete d.providers; delete d.services; delete d.models; }],
      ['version 2', false, (d) => (d.version = 2)],
      ['no catalog', false, (d) => delete d.catalog],
      ['extra catalog field', false, (d) => (d.catalog.x = 1)],
      ['bad dataVersion', false, (d) => (d.catalog.dataVersion = 'one')],
      ['status complete', false, (d) => (d.controls['5.1.1'].status = 'complete')],
      ['no status', false, (d) => delete d.controls['5.1.1'].status],
      ['not applicable without justification', false, (d) => (d.controls['5.1.1'].applicable = false)],
      ['blank justification', false, (d) => Object.assign(d.controls['5.1.1'], { applicable: false, justification: '  ' })],
      ['evidence kind wiki', false, (d) => (d.controls['5.1.1'].evidence = [{ kind: 'wiki', ref: 'x' }])],
      ['evidence extra field', false, (d) => (d.controls['5.1.1'].evidence = [{ kind: 'url', ref: 'x', by: 'me' }])],
      ['evidence without ref', false, (d) => (d.controls['5.1.1'].evidence = [{ kind: 'url' }])],
      ['impossible date', false, (d) => (d.controls['5.1.1'].lastReviewed = '2023-02-29')],
      ['date in another format', false, (d) => (d.controls['5.1.1'].lastReviewed = '29/02/2024')],
      ['malformed control id', false, (d) => (d.controls['9.1'] = { responsibility: 'shared', applicable: true, status: 'todo' })],
      ['service model FaaS', false, (d) => (d.services[0].model = 'FaaS')],
      ['service extra field', false, (d) => (d.services[0].region = 'eu')],
      ['service without name', false, (d) => delete d.services[0].name],
      ['duplicate provider', false, (d) => (d.providers = ['aws', 'aws'])],
      ['provider in capitals', false, (d) => (d.providers = ['AWS'])],
      ['duplicate model', false, (d) => (d.models = ['PaaS', 'PaaS'])],
      ['notes as a string', false, (d) => (d.controls['5.1.1'].notes = 'n')],
      ['empty owner', false, (d) => (d.controls['5.1.1'].owner = '')],
      ['customerDoes a number', false, (d) => (d.controls['5.1.1'].customerDoes = 3)],
      ['item an array', false, (d) => (d.controls['5.1.1'] = [])],
      ['controls an array', false, (d) => (d.controls = [])],
    ];
    for (const [name, expected, mutate] of cases) {
      const doc = base();
      mutate(doc);
      const ajvOk = validate(doc) as boolean;
      const ours = parseChecklist(JSON.stringify(doc, null, 2), { catalog: catalog() });
      assert.equal(ajvOk, expected, `Ajv on "${name}": ${ajv.errorsText(validate.errors)}`);
      assert.equal(ours.valid, expected, `parseChecklist on "${name}": ${ours.problems.map((x) => x.message).join(' | ')}`);
    }
  });
});
