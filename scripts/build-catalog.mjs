// Validates controls-data/ and writes the merged catalog to dist/controls.json.
//
//   node scripts/build-catalog.mjs
//
// Checks: every controls/<id>.json, catalog.json and iso27018/catalog.json against their JSON Schemas
// (draft 2020-12), file name = id, unique ids, every group member exists, every control in exactly one group.
// Any problem is printed as `<file>: <json pointer> <message>` and the script exits 1 without writing.
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dataDir = join(root, 'controls-data');
const controlsDir = join(dataDir, 'controls');
const schemaDir = join(dataDir, 'schema');
const catalogFile = join(dataDir, 'catalog.json');
const iso27018File = join(dataDir, 'iso27018', 'catalog.json');
const outFile = join(root, 'dist', 'controls.json');

/** Problems found, each already formatted as `<file>: <where> <what>`. */
const problems = [];
const rel = (file) => relative(root, file).split(sep).join('/');
const report = (file, pointer, message) => problems.push(`${rel(file)}: ${pointer || '/'} ${message}`);

function readJson(file) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    report(file, '', `cannot be read (${err.code ?? err.message})`);
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    report(file, '', `is not valid JSON (${err.message})`);
    return undefined;
  }
}

const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);

function compile(name) {
  const file = join(schemaDir, name);
  const schema = readJson(file);
  if (schema === undefined) return undefined;
  try {
    return ajv.compile(schema);
  } catch (err) {
    report(file, '', `is not a valid schema (${err.message})`);
    return undefined;
  }
}

/** Validates `data` and records every schema error against `file`; returns true when valid. */
function validate(validator, file, data) {
  if (!validator || data === undefined) return false;
  if (validator(data)) return true;
  for (const e of validator.errors ?? []) {
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'additionalProperties') message += ` (${e.params.additionalProperty})`;
    else if (e.keyword === 'enum') message += ` (${e.params.allowedValues.map((v) => JSON.stringify(v)).join(', ')})`;
    else if (e.keyword === 'const') message += ` (${JSON.stringify(e.params.allowedValue)})`;
    report(file, e.instancePath, message);
  }
  return false;
}

const validateControl = compile('control.schema.json');
const validateCatalog = compile('catalog.schema.json');
const validateIso27018 = compile('iso27018.schema.json');

// --- control records ---------------------------------------------------------------------------
/** @type {Map<string, object>} id -> record (without $schema) */
const records = new Map();
const files = existsSync(controlsDir) ? readdirSync(controlsDir).filter((f) => f.endsWith('.json')).sort() : [];
if (files.length === 0) report(controlsDir, '', 'holds no control files');
for (const name of files) {
  const file = join(controlsDir, name);
  const data = readJson(file);
  if (!validate(validateControl, file, data)) continue;
  const expected = name.slice(0, -'.json'.length);
  if (data.$schema !== '../schema/control.schema.json') {
    report(file, '/$schema', 'must be "../schema/control.schema.json"');
  }
  if (data.id !== expected) {
    report(file, '/id', `must match the file name ("${expected}"), found "${data.id}"`);
    continue;
  }
  if (records.has(data.id)) {
    report(file, '/id', `duplicate id "${data.id}"`);
    continue;
  }
  const { $schema: _schema, ...record } = data;
  records.set(data.id, record);
}

// --- catalog index -----------------------------------------------------------------------------
const catalog = readJson(catalogFile);
if (validate(validateCatalog, catalogFile, catalog) && catalog.$schema !== './schema/catalog.schema.json') {
  report(catalogFile, '/$schema', 'must be "./schema/catalog.schema.json"');
}
// Membership checks run even when the schema check failed, as long as the groups can be read.
const fileIds = new Set(files.map((f) => f.slice(0, -'.json'.length)));
if (Array.isArray(catalog?.groups)) {
  /** id -> pointers of the group entries naming it */
  const seen = new Map();
  const groupIds = new Set();
  catalog.groups.forEach((group, g) => {
    if (typeof group !== 'object' || group === null || !Array.isArray(group.controls)) return;
    if (groupIds.has(group.id)) report(catalogFile, `/groups/${g}/id`, `duplicate group id "${group.id}"`);
    groupIds.add(group.id);
    group.controls.forEach((id, i) => {
      if (typeof id !== 'string') return;
      const pointer = `/groups/${g}/controls/${i}`;
      if (!fileIds.has(id)) report(catalogFile, pointer, `"${id}" has no file controls-data/controls/${id}.json`);
      seen.set(id, [...(seen.get(id) ?? []), pointer]);
    });
  });
  for (const [id, pointers] of seen) {
    if (pointers.length > 1) report(catalogFile, pointers[1], `"${id}" is in more than one group (${pointers.join(', ')})`);
  }
  for (const id of fileIds) {
    if (!seen.has(id)) report(catalogFile, '/groups', `control "${id}" is in no group`);
  }
}

// --- ISO/IEC 27018 Annex A -----------------------------------------------------------------------
const iso27018 = readJson(iso27018File);
if (validate(validateIso27018, iso27018File, iso27018)) {
  if (iso27018.$schema !== '../schema/iso27018.schema.json') {
    report(iso27018File, '/$schema', 'must be "../schema/iso27018.schema.json"');
  }
  const ids = new Set();
  iso27018.areas.forEach((area, a) => {
    if (ids.has(area.id)) report(iso27018File, `/areas/${a}/id`, `duplicate id "${area.id}"`);
    ids.add(area.id);
    area.controls.forEach((control, c) => {
      const pointer = `/areas/${a}/controls/${c}/id`;
      if (ids.has(control.id)) report(iso27018File, pointer, `duplicate id "${control.id}"`);
      ids.add(control.id);
      if (!control.id.startsWith(`${area.id}.`)) report(iso27018File, pointer, `"${control.id}" does not belong to area "${area.id}"`);
    });
  });
}

if (problems.length > 0) {
  for (const p of problems) console.error(p);
  console.error(`catalog: ${problems.length} problem${problems.length === 1 ? '' : 's'}; dist/controls.json not written`);
  process.exit(1);
}

// --- merged output -----------------------------------------------------------------------------
const { $schema: _c, ...index } = catalog;
const { $schema: _i, ...annex } = iso27018;
const merged = {
  standard: index.standard,
  edition: index.edition,
  dataVersion: index.dataVersion,
  groups: index.groups,
  controls: index.groups.flatMap((g) => g.controls.map((id) => records.get(id))),
  iso27018: annex,
};
mkdirSync(dirname(outFile), { recursive: true });
// Write then rename, so a concurrent reader never sees a half-written file.
const tmp = `${outFile}.${process.pid}.tmp`;
writeFileSync(tmp, `${JSON.stringify(merged, null, 2)}\n`);
renameSync(tmp, outFile);
console.log(`catalog: ${merged.controls.length} controls, ${merged.groups.length} groups -> ${rel(outFile)}`);
