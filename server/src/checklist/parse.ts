// Reads a checklist file: JSON with comments, checked against controls-data/schema/checklist.schema.json (by hand,
// so that every problem carries the exact offset of the value concerned) and against the catalog.

import { describeNode, ISO_DATE, isIsoDate, type Node, parseTree, type ParseError, pointerSegment, syntaxMessage, valueOf } from './jsonc';
import { CONTROL_ID_PATTERN, type Owner, OWNERS, SERVICE_MODELS, type ServiceModel } from '../catalog/catalog';
import { LineMap } from '../engine/lines';
import {
  type Checklist,
  type ChecklistCatalogRef,
  type ChecklistItem,
  type ChecklistLocations,
  type ChecklistProblem,
  type ChecklistService,
  CHECKLIST_VERSION,
  EVIDENCE_KINDS,
  ITEM_STATUSES,
  type ParsedChecklist,
  type ProblemSeverity,
} from './types';

/** The parts of the catalog the reader checks against. */
export interface CatalogRef {
  dataVersion: string;
  edition?: string;
  controls: ReadonlyArray<{ id: string }>;
}

const DATE = ISO_DATE;
export { isIsoDate };

/** Strings in messages are cut at 40 characters: a checklist value can be a long note. */
const describe = (n: Node): string => describeNode(n, 40);

const listOf = (xs: readonly string[]): string => xs.map((x) => JSON.stringify(x)).join(', ');

class Reader {
  readonly problems: ChecklistProblem[] = [];
  private readonly lines: LineMap;

  constructor(readonly text: string) {
    this.lines = new LineMap(text);
  }

  range(offset: number, length: number) {
    return this.lines.range(offset, offset + length);
  }

  report(severity: ProblemSeverity, code: string, message: string, pointer: string, offset: number, length: number, controlId?: string): void {
    const p: ChecklistProblem = { severity, code, message, pointer, offset, length, range: this.range(offset, length) };
    if (controlId !== undefined) p.controlId = controlId;
    this.problems.push(p);
  }

  /** A problem about a value node. */
  at(n: Node, pointer: string, message: string, controlId?: string, code = 'schema'): void {
    this.report('error', code, message, pointer, n.offset, n.length, controlId);
  }

  /** The properties of an object node, reporting duplicate keys. */
  properties(obj: Node, pointer: string, controlId?: string): Map<string, { key: Node; value: Node }> {
    const out = new Map<string, { key: Node; value: Node }>();
    for (const prop of obj.children ?? []) {
      const key = prop.children?.[0];
      const value = prop.children?.[1];
      if (!key || !value) continue;
      const name = String(key.value);
      if (out.has(name)) {
        this.report('error', 'duplicate-key', `Duplicate key ${JSON.stringify(name)}: readers would keep only the last one. Remove one of them.`, `${pointer}/${pointerSegment(name)}`, key.offset, key.length, controlId);
        continue;
      }
      out.set(name, { key, value });
    }
    return out;
  }

  /** Reports fields outside `allowed` in an object that admits no others. */
  closed(props: Map<string, { key: Node }>, allowed: readonly string[], what: string, pointer: string, controlId?: string): boolean {
    let ok = true;
    for (const [name, { key }] of props) {
      if (allowed.includes(name)) continue;
      this.at(key, `${pointer}/${pointerSegment(name)}`, `Unknown field ${JSON.stringify(name)} in ${what}; the fields are ${allowed.join(', ')}.`, controlId);
      ok = false;
    }
    return ok;
  }

  string(n: Node, pointer: string, field: string, opts: { nonBlank?: boolean; pattern?: RegExp; hint?: string } = {}, controlId?: string): string | undefined {
    if (n.type !== 'string') {
      this.at(n, pointer, `${field} must be a string; found ${describe(n)}.`, controlId);
      return undefined;
    }
    const s = String(n.value);
    if (opts.nonBlank && !/\S/.test(s)) {
      this.at(n, pointer, `${field} must not be empty.`, controlId);
      return undefined;
    }
    if (opts.pattern && !opts.pattern.test(s)) {
      this.at(n, pointer, `${field} must be ${opts.hint ?? `a string matching ${String(opts.pattern)}`}; found ${describe(n)}.`, controlId);
      return undefined;
    }
    return s;
  }

  oneOf<T extends string>(n: Node, allowed: readonly T[], pointer: string, field: string, controlId?: string): T | undefined {
    if (n.type === 'string' && allowed.includes(n.value as T)) return n.value as T;
    this.at(n, pointer, `${field} must be one of ${listOf(allowed)}; found ${describe(n)}.`, controlId);
    return undefined;
  }

  stringArray(n: Node, pointer: string, field: string, opts: { unique?: boolean; nonBlank?: boolean; pattern?: RegExp; hint?: string } = {}, controlId?: string): string[] | undefined {
    if (n.type !== 'array') {
      this.at(n, pointer, `${field} must be an array of strings; found ${describe(n)}.`, controlId);
      return undefined;
    }
    const out: string[] = [];
    let ok = true;
    (n.children ?? []).forEach((item, i) => {
      const s = this.string(item, `${pointer}/${i}`, `Each entry of ${field}`, opts, controlId);
      if (s === undefined) ok = false;
      else if (opts.unique && out.includes(s)) {
        this.at(item, `${pointer}/${i}`, `${JSON.stringify(s)} is listed twice in ${field}.`, controlId);
        ok = false;
      } else out.push(s);
    });
    return ok ? out : undefined;
  }
}

const PROVIDER = /^[a-z][a-z0-9-]*$/;
const ITEM_FIELDS = ['responsibility', 'customerDoes', 'providerDoes', 'applicable', 'justification', 'status', 'owner', 'notes', 'evidence', 'lastReviewed'];

function readItem(r: Reader, id: string, keyNode: Node, n: Node, pointer: string): ChecklistItem | undefined {
  if (n.type !== 'object') {
    r.at(n, pointer, `Control ${id} must be an object such as { "responsibility": "customer", "applicable": true, "status": "todo" }; found ${describe(n)}.`, id);
    return undefined;
  }
  const before = r.problems.length;
  const props = r.properties(n, pointer, id);
  const get = (k: string) => props.get(k)?.value;
  const item: Record<string, unknown> = {};
  // Unknown fields are kept as they are (files from newer versions stay readable).
  for (const [k, { value }] of props) if (!ITEM_FIELDS.includes(k)) item[k] = valueOf(value);

  for (const [field, hint] of [['responsibility', `one of ${listOf(OWNERS)}`], ['applicable', 'true or false'], ['status', `one of ${listOf(ITEM_STATUSES)}`]] as const) {
    if (!props.has(field)) r.at(keyNode, pointer, `Control ${id} has no "${field}" (${hint}).`, id);
  }
  const resp = get('responsibility');
  if (resp) item.responsibility = r.oneOf<Owner>(resp, OWNERS, `${pointer}/responsibility`, '"responsibility"', id);
  for (const f of ['customerDoes', 'providerDoes'] as const) {
    const v = get(f);
    if (v) item[f] = r.string(v, `${pointer}/${f}`, `"${f}"`, {}, id);
  }
  const applicable = get('applicable');
  if (applicable) {
    if (applicable.type === 'boolean') item.applicable = applicable.value as boolean;
    else r.at(applicable, `${pointer}/applicable`, `"applicable" must be true or false; found ${describe(applicable)}.`, id);
  }
  const justification = get('justification');
  if (justification) item.justification = r.string(justification, `${pointer}/justification`, '"justification"', { nonBlank: true }, id);
  if (applicable?.type === 'boolean' && applicable.value === false && !justification) {
    r.report('error', 'justification-required', `Control ${id} is marked not applicable but has no "justification": say why it does not apply.`, `${pointer}/applicable`, applicable.offset, applicable.length, id);
  }
  const status = get('status');
  if (status) item.status = r.oneOf(status, ITEM_STATUSES, `${pointer}/status`, '"status"', id);
  const owner = get('owner');
  if (owner) item.owner = r.string(owner, `${pointer}/owner`, '"owner"', { nonBlank: true }, id);
  const notes = get('notes');
  if (notes) item.notes = r.stringArray(notes, `${pointer}/notes`, '"notes"', {}, id);
  const evidence = get('evidence');
  if (evidence) {
    if (evidence.type !== 'array') r.at(evidence, `${pointer}/evidence`, `"evidence" must be an array of { "kind", "ref", "note"? } entries; found ${describe(evidence)}.`, id);
    else {
      item.evidence = (evidence.children ?? []).map((e, i) => {
        const at = `${pointer}/evidence/${i}`;
        if (e.type !== 'object') {
          r.at(e, at, `Each evidence entry must be an object such as { "kind": "url", "ref": "https://…" }; found ${describe(e)}.`, id);
          return undefined;
        }
        const ep = r.properties(e, at, id);
        r.closed(ep, ['kind', 'ref', 'note'], 'an evidence entry', at, id);
        const out: Record<string, unknown> = {};
        for (const f of ['kind', 'ref'] as const) if (!ep.has(f)) r.at(e, at, `This evidence entry has no "${f}".`, id);
        const kind = ep.get('kind')?.value;
        if (kind) out.kind = r.oneOf(kind, EVIDENCE_KINDS, `${at}/kind`, '"kind"', id);
        const ref = ep.get('ref')?.value;
        if (ref) out.ref = r.string(ref, `${at}/ref`, '"ref"', { nonBlank: true }, id);
        const note = ep.get('note')?.value;
        if (note) out.note = r.string(note, `${at}/note`, '"note"', {}, id);
        return out;
      });
    }
  }
  const reviewed = get('lastReviewed');
  if (reviewed) {
    const s = r.string(reviewed, `${pointer}/lastReviewed`, '"lastReviewed"', { pattern: DATE, hint: 'a date written YYYY-MM-DD' }, id);
    if (s !== undefined && !isIsoDate(s)) r.at(reviewed, `${pointer}/lastReviewed`, `"lastReviewed" ${JSON.stringify(s)} is not a real date.`, id);
    else if (s !== undefined) item.lastReviewed = s;
  }
  const failed = r.problems.slice(before).some((p) => p.severity === 'error');
  if (failed) return undefined;
  // Drop the optional fields that were absent, keep the file's field order for the rest.
  for (const k of Object.keys(item)) if (item[k] === undefined) delete item[k];
  return item as unknown as ChecklistItem;
}


export interface ParseOptions {
  /** When given, control ids are checked against it and the catalog version is compared. */
  catalog?: CatalogRef;
}

/**
 * Reads a checklist file. Never throws: every JSON syntax error, schema violation and catalog mismatch is
 * returned as a problem with its offset, length and range. Unknown control ids are kept (with a warning).
 */
export function parseChecklist(text: string, options: ParseOptions = {}): ParsedChecklist {
  const r = new Reader(text);
  const locations: ChecklistLocations = { controls: new Map() };
  const result = (checklist: Checklist | undefined, invalidItems: string[] = [], unknownControls: string[] = []): ParsedChecklist => {
    r.problems.sort((a, b) => a.offset - b.offset || (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
    return { checklist, problems: r.problems, valid: !r.problems.some((p) => p.severity === 'error'), invalidItems, unknownControls, locations };
  };

  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
  for (const e of errors) r.report('error', 'syntax', `${syntaxMessage(e.error)}.`, '', e.offset, e.length);
  if (!root) {
    if (errors.length === 0) r.report('error', 'syntax', 'The file is empty; it should hold a JSON object with "version", "catalog" and "controls".', '', 0, 0);
    return result(undefined);
  }
  if (errors.length > 0) return result(undefined);
  if (root.type !== 'object') {
    r.at(root, '', `The checklist must be a JSON object ({ … }); found ${describe(root)}.`);
    return result(undefined);
  }

  const props = r.properties(root, '');
  const rootStart = { offset: root.offset, length: 1 };
  for (const [field, hint] of [['version', `the format version, ${CHECKLIST_VERSION}`], ['catalog', 'the catalog the checklist was created from'], ['controls', 'an object of control id → item']] as const) {
    if (!props.has(field)) r.report('error', 'schema', `The checklist has no "${field}" (${hint}).`, '', rootStart.offset, rootStart.length);
  }
  const checklist: Checklist = { version: CHECKLIST_VERSION, catalog: { standard: 'ISO/IEC 27017', dataVersion: '' }, providers: [], services: [], controls: {} };
  // Unknown top-level fields are kept as they are.
  const known = ['$schema', 'version', 'catalog', 'providers', 'models', 'services', 'controls'];
  for (const [k, { value }] of props) if (!known.includes(k)) (checklist as unknown as Record<string, unknown>)[k] = valueOf(value);

  const schema = props.get('$schema')?.value;
  if (schema) r.string(schema, '/$schema', '"$schema"');

  const version = props.get('version')?.value;
  if (version) {
    if (version.type === 'number' && version.value === CHECKLIST_VERSION) checklist.version = CHECKLIST_VERSION;
    else if (version.type === 'number' && Number.isInteger(version.value) && (version.value as number) > CHECKLIST_VERSION) {
      r.at(version, '/version', `This checklist has format version ${String(version.value)}, which is newer than this version of iso27017 reads (${CHECKLIST_VERSION}). Update the extension.`);
    } else r.at(version, '/version', `"version" must be ${CHECKLIST_VERSION}; found ${describe(version)}.`);
  }

  const cat = props.get('catalog')?.value;
  let catalogRef: ChecklistCatalogRef | undefined;
  if (cat) {
    if (cat.type !== 'object') r.at(cat, '/catalog', `"catalog" must be an object such as { "standard": "ISO/IEC 27017", "dataVersion": "1.0.0" }; found ${describe(cat)}.`);
    else {
      const cp = r.properties(cat, '/catalog');
      r.closed(cp, ['standard', 'edition', 'dataVersion'], '"catalog"', '/catalog');
      for (const f of ['standard', 'dataVersion'] as const) if (!cp.has(f)) r.at(cat, '/catalog', `"catalog" has no "${f}".`);
      const standard = cp.get('standard')?.value;
      if (standard && !(standard.type === 'string' && standard.value === 'ISO/IEC 27017')) r.at(standard, '/catalog/standard', `"standard" must be "ISO/IEC 27017"; found ${describe(standard)}.`);
      const edition = cp.get('edition')?.value;
      const ed = edition ? r.string(edition, '/catalog/edition', '"edition"', { pattern: /^\d{4}$/, hint: 'a year such as "2015"' }) : undefined;
      const dv = cp.get('dataVersion')?.value;
      const dataVersion = dv ? r.string(dv, '/catalog/dataVersion', '"dataVersion"', { pattern: /^\d+\.\d+\.\d+$/, hint: 'a version such as "1.0.0"' }) : undefined;
      if (dataVersion !== undefined) {
        catalogRef = { standard: 'ISO/IEC 27017', dataVersion };
        if (ed !== undefined) catalogRef.edition = ed;
        checklist.catalog = catalogRef;
        if (options.catalog && dataVersion !== options.catalog.dataVersion) {
          r.report('info', 'catalog-version', `The checklist was created from catalog ${dataVersion}; this version of iso27017 has catalog ${options.catalog.dataVersion}.`, '/catalog/dataVersion', dv!.offset, dv!.length);
        }
      }
    }
  }

  const providers = props.get('providers')?.value;
  if (providers) checklist.providers = r.stringArray(providers, '/providers', '"providers"', { unique: true, pattern: PROVIDER, hint: 'a lowercase provider name such as "aws"' }) ?? [];

  const models = props.get('models')?.value;
  if (models) {
    const list = r.stringArray(models, '/models', '"models"', { unique: true });
    if (list) {
      const bad = list.findIndex((m) => !(SERVICE_MODELS as readonly string[]).includes(m));
      if (bad >= 0) r.at(models.children![bad]!, `/models/${bad}`, `Each entry of "models" must be one of ${listOf(SERVICE_MODELS)}; found ${describe(models.children![bad]!)}.`);
      else checklist.models = list as ServiceModel[];
    }
  }

  const services = props.get('services')?.value;
  if (services) {
    if (services.type !== 'array') r.at(services, '/services', `"services" must be an array of { "name", "provider", "model" } entries; found ${describe(services)}.`);
    else {
      (services.children ?? []).forEach((s, i) => {
        const at = `/services/${i}`;
        if (s.type !== 'object') {
          r.at(s, at, `Each service must be an object such as { "name": "EC2", "provider": "aws", "model": "IaaS" }; found ${describe(s)}.`);
          return;
        }
        const before = r.problems.length;
        const sp = r.properties(s, at);
        r.closed(sp, ['name', 'provider', 'model', 'detectedFrom'], 'a service', at);
        for (const f of ['name', 'provider', 'model'] as const) if (!sp.has(f)) r.at(s, at, `This service has no "${f}".`);
        const svc: Partial<ChecklistService> = {};
        const name = sp.get('name')?.value;
        if (name) svc.name = r.string(name, `${at}/name`, '"name"', { nonBlank: true });
        const provider = sp.get('provider')?.value;
        if (provider) svc.provider = r.string(provider, `${at}/provider`, '"provider"', { pattern: PROVIDER, hint: 'a lowercase provider name such as "aws"' });
        const model = sp.get('model')?.value;
        if (model) svc.model = r.oneOf(model, SERVICE_MODELS, `${at}/model`, '"model"');
        const from = sp.get('detectedFrom')?.value;
        if (from) svc.detectedFrom = r.stringArray(from, `${at}/detectedFrom`, '"detectedFrom"', { unique: true, nonBlank: true });
        if (r.problems.length === before) checklist.services.push(svc as ChecklistService);
      });
    }
  }

  const invalidItems: string[] = [];
  const unknownControls: string[] = [];
  const controls = props.get('controls');
  if (controls) {
    const { key: controlsKey, value: cn } = controls;
    locations.controlsKey = r.range(controlsKey.offset, controlsKey.length);
    if (cn.type !== 'object') r.at(cn, '/controls', `"controls" must be an object of control id → item; found ${describe(cn)}.`);
    else {
      const known = options.catalog ? new Set(options.catalog.controls.map((c) => c.id)) : undefined;
      const items = r.properties(cn, '/controls');
      for (const [id, { key, value }] of items) {
        const pointer = `/controls/${pointerSegment(id)}`;
        const prop = key.parent!;
        locations.controls.set(id, { range: r.range(prop.offset, prop.length), keyRange: r.range(key.offset, key.length), offset: prop.offset, length: prop.length });
        if (!CONTROL_ID_PATTERN.test(id)) {
          r.at(key, pointer, `${JSON.stringify(id)} is not a control id (expected an id such as "9.1.2" or "CLD.9.5.1").`, id);
          invalidItems.push(id);
          continue;
        }
        if (known && !known.has(id)) {
          unknownControls.push(id);
          r.report('warning', 'unknown-control', `Control ${id} is not in catalog ${options.catalog!.dataVersion}; it is kept as it is but not checked against the catalog.`, pointer, key.offset, key.length, id);
        }
        const item = readItem(r, id, key, value, pointer);
        if (item) checklist.controls[id] = item;
        else invalidItems.push(id);
      }
      if (options.catalog) {
        const missing = options.catalog.controls.map((c) => c.id).filter((id) => !items.has(id));
        if (missing.length > 0) {
          const shown = missing.length > 8 ? `${missing.slice(0, 8).join(', ')} and ${missing.length - 8} more` : missing.join(', ');
          r.report('info', 'missing-controls', `${missing.length} control${missing.length === 1 ? '' : 's'} of catalog ${options.catalog.dataVersion} ${missing.length === 1 ? 'is' : 'are'} not in the checklist: ${shown}.`, '/controls', controlsKey.offset, controlsKey.length);
        }
      }
    }
  }
  return result(checklist, invalidItems, unknownControls);
}

/** `path:line:col: severity: message` (one-based line and column), for the command line. */
export function formatProblem(p: ChecklistProblem, file: string): string {
  return `${file}:${p.range.start.line + 1}:${p.range.start.character + 1}: ${p.severity}: ${p.message}`;
}
