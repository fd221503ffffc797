// Node loaders for the control catalog: straight from controls-data/ (tests, CLI in development)
// or from a merged dist/controls.json. Both validate and throw an Error listing every problem.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Catalog, type ControlRecord, checkCatalog, checkControlRecord, compareControlIds } from './catalog';

function readJson(file: string, label: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`Cannot read ${label}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new Error(`${label} is not valid JSON: ${(err as Error).message}`);
  }
}

function fail(what: string, problems: string[]): never {
  throw new Error(`Invalid control catalog (${what}):\n${problems.map((p) => `  ${p}`).join('\n')}`);
}

/** `/id must …` stays as is; ` must …` (the pointer was the prefix itself) becomes `/ must …`. */
const relative = (rest: string): string => (rest.startsWith('/') ? rest : `/${rest}`);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Removes `$schema`, which the source files carry and the merged catalog does not. */
function withoutSchema(v: unknown, label: string, problems: string[]): unknown {
  if (!isObject(v) || !('$schema' in v)) return v;
  const { $schema, ...rest } = v;
  if (typeof $schema !== 'string') problems.push(`${label}: /$schema must be string`);
  return rest;
}

/**
 * Reads and validates a `controls-data/` directory (catalog.json, controls/<id>.json, iso27018/catalog.json)
 * and returns the merged catalog, controls in group order.
 */
export function loadCatalogFromDir(dir: string): Catalog {
  const problems: string[] = [];

  const index = withoutSchema(readJson(join(dir, 'catalog.json'), 'catalog.json'), 'catalog.json', problems);
  if (!isObject(index)) fail(dir, ['catalog.json: / must be an object']);
  for (const key of Object.keys(index)) {
    if (!['standard', 'edition', 'dataVersion', 'groups'].includes(key)) {
      problems.push(`catalog.json: / must NOT have additional property '${key}'`);
    }
  }

  let names: string[];
  try {
    names = readdirSync(join(dir, 'controls')).filter((n) => n.endsWith('.json'));
  } catch (err) {
    fail(dir, [`controls/: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`]);
  }
  const records = new Map<string, ControlRecord>();
  for (const name of names.sort((a, b) => compareControlIds(a.slice(0, -5), b.slice(0, -5)))) {
    const label = `controls/${name}`;
    const record = withoutSchema(readJson(join(dir, 'controls', name), label), label, problems);
    const own = checkControlRecord(record);
    if (own.length > 0) {
      problems.push(...own.map((p) => `${label}: ${p}`));
      continue;
    }
    const rec = record as ControlRecord;
    const expected = name.slice(0, -'.json'.length);
    if (rec.id !== expected) {
      problems.push(`${label}: /id must match the file name ("${expected}"), found "${rec.id}"`);
      continue;
    }
    records.set(rec.id, rec);
  }

  const iso27018 = withoutSchema(
    readJson(join(dir, 'iso27018', 'catalog.json'), 'iso27018/catalog.json'),
    'iso27018/catalog.json',
    problems,
  );
  if (problems.length > 0) fail(dir, problems);

  // Controls in group order; any control no group names goes last, so checkCatalog reports it.
  const order: string[] = [];
  const groups = Array.isArray(index.groups) ? index.groups : [];
  for (const group of groups) {
    if (!isObject(group) || !Array.isArray(group.controls)) continue;
    for (const id of group.controls) if (typeof id === 'string' && records.has(id) && !order.includes(id)) order.push(id);
  }
  for (const id of records.keys()) if (!order.includes(id)) order.push(id);

  const catalog = {
    standard: index.standard,
    edition: index.edition,
    dataVersion: index.dataVersion,
    groups: index.groups,
    controls: order.map((id) => records.get(id)),
    iso27018,
  };
  const merged = checkCatalog(catalog);
  if (merged.length > 0) {
    // Point each problem at the source file it comes from.
    fail(
      dir,
      merged.map((p) => {
        const control = /^\/controls\/(\d+)(.*)$/.exec(p);
        if (control) return `controls/${order[Number(control[1])]}.json: ${relative(control[2])}`;
        if (p.startsWith('/iso27018')) return `iso27018/catalog.json: ${relative(p.slice('/iso27018'.length))}`;
        return `catalog.json: ${p}`;
      }),
    );
  }
  return catalog as Catalog;
}

/** Reads and validates a merged catalog file (dist/controls.json). */
export function loadCatalogFile(path: string): Catalog {
  const data = readJson(path, path);
  const problems = checkCatalog(data);
  if (problems.length > 0) fail(path, problems);
  return data as Catalog;
}
