// Types and helpers for the merged control catalog (dist/controls.json, built by scripts/build-catalog.mjs).
// Pure TypeScript, no I/O: the shapes mirror controls-data/schema/*.schema.json.

/** Which party a piece of guidance is written for. */
export type Party = 'customer' | 'provider';
/** Default owner of a control under one service model. */
export type Owner = 'customer' | 'provider' | 'shared';
export type ControlKind = 'cloud-specific' | '27002-extended';
/** How well infrastructure code can evidence the control. */
export type IacStrength = 'strong' | 'medium' | 'weak' | 'none';

export const PARTIES: readonly Party[] = ['customer', 'provider'];
export const OWNERS: readonly Owner[] = ['customer', 'provider', 'shared'];
export const CONTROL_KINDS: readonly ControlKind[] = ['cloud-specific', '27002-extended'];
export const IAC_STRENGTHS: readonly IacStrength[] = ['strong', 'medium', 'weak', 'none'];
export const SERVICE_MODELS = ['IaaS', 'PaaS', 'SaaS'] as const;
export type ServiceModel = (typeof SERVICE_MODELS)[number];

/** `CLD.9.5.2` or `10.1.1`. */
export const CONTROL_ID_PATTERN = /^(CLD\.)?\d+\.\d+\.\d+$/;

export interface ControlObjective {
  /** e.g. `10.1` or `CLD.9.5`. */
  id: string;
  title: string;
}

export interface ControlGuidance {
  /** Short, actionable sentences for the cloud service customer (our words). */
  customer: string[];
  /** Short, actionable sentences for the cloud service provider (our words). */
  provider: string[];
}

/** Default owner per service model; inferred, users may override it. */
export interface Responsibility {
  IaaS: Owner;
  PaaS: Owner;
  SaaS: Owner;
  /** Where the split comes from (and that it is inferred). */
  basis: string;
}

/** One control, as in controls-data/controls/<id>.json without `$schema`. */
export interface ControlRecord {
  id: string;
  kind: ControlKind;
  /** Short title from the standard. */
  title: string;
  objective: ControlObjective;
  /** Two or three sentences in our words. */
  summary: string;
  guidance: ControlGuidance;
  /** The parties the standard's own guidance addresses. */
  guidanceFor: Party[];
  guidanceForConfidence: string;
  /** Corresponding ISO/IEC 27002:2022 control ids. */
  iso27002_2022: string[];
  /** false when the 27002:2022 mapping is inferred (all CLD controls). */
  iso27002_2022Official: boolean;
  responsibility: Responsibility;
  iacRelevant: boolean;
  iacStrength: IacStrength;
  iacNote?: string;
  keywords: string[];
}

export interface CatalogGroup {
  /** Clause number (`5` … `18`) or `CLD`. */
  id: string;
  title: string;
  /** Control ids in clause order. */
  controls: string[];
}

export interface Iso27018Control {
  /** e.g. `A.11.6`. */
  id: string;
  title: string;
  summary: string;
  iacHint?: string;
}

export interface Iso27018Area {
  /** e.g. `A.11`. */
  id: string;
  title: string;
  summary: string;
  /** Empty when the area adds no control. */
  controls: Iso27018Control[];
}

export interface Iso27018Catalog {
  standard: 'ISO/IEC 27018';
  edition: string;
  dataVersion: string;
  note?: string;
  areas: Iso27018Area[];
}

/** The merged catalog: dist/controls.json. */
export interface Catalog {
  standard: 'ISO/IEC 27017';
  edition: string;
  dataVersion: string;
  groups: CatalogGroup[];
  /** All records, in group order. */
  controls: ControlRecord[];
  iso27018: Iso27018Catalog;
}

/** Map from control id to record. */
export function indexControls(catalog: Catalog): Map<string, ControlRecord> {
  const index = new Map<string, ControlRecord>();
  for (const record of catalog.controls) index.set(record.id, record);
  return index;
}

/** `10.1.1 Policy on the use of cryptographic controls`. */
export function controlLabel(record: Pick<ControlRecord, 'id' | 'title'>): string {
  return `${record.id} ${record.title}`;
}

/** Catalog order: numeric clause order (`5.1.1` < `10.1.1`), with all `CLD.` ids after the plain ones. */
export function compareControlIds(a: string, b: string): number {
  const ca = a.startsWith('CLD.');
  if (ca !== b.startsWith('CLD.')) return ca ? 1 : -1;
  const pa = a.replace(/^CLD\./, '').split('.').map(Number);
  const pb = b.replace(/^CLD\./, '').split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.localeCompare(b);
}

// --- structural validation (no Ajv at runtime) ----------------------------------------------------

type Problems = string[];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkKeys(v: Record<string, unknown>, at: string, required: string[], optional: string[], out: Problems): void {
  for (const k of required) if (!(k in v)) out.push(`${at || '/'} must have required property '${k}'`);
  for (const k of Object.keys(v)) {
    if (!required.includes(k) && !optional.includes(k)) out.push(`${at || '/'} must NOT have additional property '${k}'`);
  }
}

function checkString(v: unknown, at: string, out: Problems, pattern?: RegExp): void {
  if (typeof v !== 'string' || v.length === 0) out.push(`${at} must be a non-empty string`);
  else if (pattern && !pattern.test(v)) out.push(`${at} must match ${pattern}`);
}

function checkStringArray(v: unknown, at: string, out: Problems, opts: { min?: number; max?: number; pattern?: RegExp } = {}): void {
  if (!Array.isArray(v)) {
    out.push(`${at} must be an array`);
    return;
  }
  if (opts.min !== undefined && v.length < opts.min) out.push(`${at} must have at least ${opts.min} items`);
  if (opts.max !== undefined && v.length > opts.max) out.push(`${at} must have at most ${opts.max} items`);
  if (new Set(v).size !== v.length) out.push(`${at} must not contain duplicates`);
  v.forEach((item, i) => checkString(item, `${at}/${i}`, out, opts.pattern));
}

function checkEnum<T extends string>(v: unknown, allowed: readonly T[], at: string, out: Problems): void {
  if (!allowed.includes(v as T)) out.push(`${at} must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
}

/** Checks one control record (without `$schema`); returns problems as `<pointer> <message>`. */
export function checkControlRecord(v: unknown, at = ''): string[] {
  const out: Problems = [];
  if (!isObject(v)) return [`${at || '/'} must be an object`];
  checkKeys(
    v,
    at,
    ['id', 'kind', 'title', 'objective', 'summary', 'guidance', 'guidanceFor', 'guidanceForConfidence',
      'iso27002_2022', 'iso27002_2022Official', 'responsibility', 'iacRelevant', 'iacStrength', 'keywords'],
    ['iacNote'],
    out,
  );
  checkString(v.id, `${at}/id`, out, CONTROL_ID_PATTERN);
  checkEnum(v.kind, CONTROL_KINDS, `${at}/kind`, out);
  checkString(v.title, `${at}/title`, out);
  if (!isObject(v.objective)) out.push(`${at}/objective must be an object`);
  else {
    checkKeys(v.objective, `${at}/objective`, ['id', 'title'], [], out);
    checkString(v.objective.id, `${at}/objective/id`, out, /^(CLD\.)?\d+\.\d+$/);
    checkString(v.objective.title, `${at}/objective/title`, out);
  }
  checkString(v.summary, `${at}/summary`, out);
  if (!isObject(v.guidance)) out.push(`${at}/guidance must be an object`);
  else {
    checkKeys(v.guidance, `${at}/guidance`, ['customer', 'provider'], [], out);
    checkStringArray(v.guidance.customer, `${at}/guidance/customer`, out, { min: 2, max: 5 });
    checkStringArray(v.guidance.provider, `${at}/guidance/provider`, out, { min: 2, max: 5 });
  }
  if (!Array.isArray(v.guidanceFor) || v.guidanceFor.length === 0) out.push(`${at}/guidanceFor must be a non-empty array`);
  else {
    if (new Set(v.guidanceFor).size !== v.guidanceFor.length) out.push(`${at}/guidanceFor must not contain duplicates`);
    v.guidanceFor.forEach((p, i) => checkEnum(p, PARTIES, `${at}/guidanceFor/${i}`, out));
  }
  checkString(v.guidanceForConfidence, `${at}/guidanceForConfidence`, out);
  checkStringArray(v.iso27002_2022, `${at}/iso27002_2022`, out, { min: 1, pattern: /^[5-8]\.\d+$/ });
  if (typeof v.iso27002_2022Official !== 'boolean') out.push(`${at}/iso27002_2022Official must be boolean`);
  if (!isObject(v.responsibility)) out.push(`${at}/responsibility must be an object`);
  else {
    checkKeys(v.responsibility, `${at}/responsibility`, [...SERVICE_MODELS, 'basis'], [], out);
    for (const m of SERVICE_MODELS) checkEnum(v.responsibility[m], OWNERS, `${at}/responsibility/${m}`, out);
    checkString(v.responsibility.basis, `${at}/responsibility/basis`, out);
  }
  if (typeof v.iacRelevant !== 'boolean') out.push(`${at}/iacRelevant must be boolean`);
  checkEnum(v.iacStrength, IAC_STRENGTHS, `${at}/iacStrength`, out);
  if ('iacNote' in v) checkString(v.iacNote, `${at}/iacNote`, out);
  checkStringArray(v.keywords, `${at}/keywords`, out, { min: 1, pattern: /^[a-z0-9][a-z0-9.-]*$/ });
  return out;
}

function checkIso27018(v: unknown, at: string, out: Problems): void {
  if (!isObject(v)) {
    out.push(`${at} must be an object`);
    return;
  }
  checkKeys(v, at, ['standard', 'edition', 'dataVersion', 'areas'], ['note'], out);
  if (v.standard !== 'ISO/IEC 27018') out.push(`${at}/standard must be "ISO/IEC 27018"`);
  checkString(v.edition, `${at}/edition`, out, /^\d{4}$/);
  checkString(v.dataVersion, `${at}/dataVersion`, out, /^\d+\.\d+\.\d+$/);
  if ('note' in v) checkString(v.note, `${at}/note`, out);
  if (!Array.isArray(v.areas) || v.areas.length === 0) {
    out.push(`${at}/areas must be a non-empty array`);
    return;
  }
  v.areas.forEach((area, a) => {
    const aat = `${at}/areas/${a}`;
    if (!isObject(area)) {
      out.push(`${aat} must be an object`);
      return;
    }
    checkKeys(area, aat, ['id', 'title', 'summary', 'controls'], [], out);
    checkString(area.id, `${aat}/id`, out, /^A\.\d+$/);
    checkString(area.title, `${aat}/title`, out);
    checkString(area.summary, `${aat}/summary`, out);
    if (!Array.isArray(area.controls)) {
      out.push(`${aat}/controls must be an array`);
      return;
    }
    area.controls.forEach((control, c) => {
      const cat = `${aat}/controls/${c}`;
      if (!isObject(control)) {
        out.push(`${cat} must be an object`);
        return;
      }
      checkKeys(control, cat, ['id', 'title', 'summary'], ['iacHint'], out);
      checkString(control.id, `${cat}/id`, out, /^A\.\d+\.\d+$/);
      checkString(control.title, `${cat}/title`, out);
      checkString(control.summary, `${cat}/summary`, out);
      if ('iacHint' in control) checkString(control.iacHint, `${cat}/iacHint`, out);
    });
  });
}

/**
 * Checks that a value has the shape of a merged {@link Catalog} and is internally consistent
 * (unique ids, every group member exists, every control in exactly one group).
 * Returns problems as `<json pointer> <message>`; empty when valid.
 */
export function checkCatalog(v: unknown): string[] {
  const out: Problems = [];
  if (!isObject(v)) return ['/ must be an object'];
  checkKeys(v, '', ['standard', 'edition', 'dataVersion', 'groups', 'controls', 'iso27018'], [], out);
  if (v.standard !== 'ISO/IEC 27017') out.push('/standard must be "ISO/IEC 27017"');
  checkString(v.edition, '/edition', out, /^\d{4}$/);
  checkString(v.dataVersion, '/dataVersion', out, /^\d+\.\d+\.\d+$/);

  const ids = new Set<string>();
  if (!Array.isArray(v.controls) || v.controls.length === 0) out.push('/controls must be a non-empty array');
  else {
    v.controls.forEach((record, i) => {
      out.push(...checkControlRecord(record, `/controls/${i}`));
      const id = isObject(record) ? record.id : undefined;
      if (typeof id === 'string') {
        if (ids.has(id)) out.push(`/controls/${i}/id duplicate id "${id}"`);
        ids.add(id);
      }
    });
  }

  if (!Array.isArray(v.groups) || v.groups.length === 0) out.push('/groups must be a non-empty array');
  else {
    const member = new Map<string, string>();
    const groupIds = new Set<string>();
    v.groups.forEach((group, g) => {
      const at = `/groups/${g}`;
      if (!isObject(group)) {
        out.push(`${at} must be an object`);
        return;
      }
      checkKeys(group, at, ['id', 'title', 'controls'], [], out);
      checkString(group.id, `${at}/id`, out, /^(CLD|\d+)$/);
      if (typeof group.id === 'string') {
        if (groupIds.has(group.id)) out.push(`${at}/id duplicate group id "${group.id}"`);
        groupIds.add(group.id);
      }
      checkString(group.title, `${at}/title`, out);
      checkStringArray(group.controls, `${at}/controls`, out, { min: 1, pattern: CONTROL_ID_PATTERN });
      if (!Array.isArray(group.controls)) return;
      group.controls.forEach((id, i) => {
        if (typeof id !== 'string') return;
        if (!ids.has(id)) out.push(`${at}/controls/${i} "${id}" is not a known control`);
        const first = member.get(id);
        if (first !== undefined) out.push(`${at}/controls/${i} "${id}" is already in ${first}`);
        else member.set(id, at);
      });
    });
    for (const id of ids) if (!member.has(id)) out.push(`/groups control "${id}" is in no group`);
  }

  checkIso27018(v.iso27018, '/iso27018', out);
  return out;
}
