// Reads a repository config file (`.iso27017/config.json`, JSON with comments): the team's baseline of rules,
// excludes, formats, providers, suppression policy and sidecar suppressions. Pure: text in, config and problems
// (each with its exact range) out; it never throws. See docs/config.md and controls-data/schema/config.schema.json.

import { describeNode, isIsoDate, type Node, parseTree, type ParseError, pointerSegment, syntaxMessage, valueOf } from '../checklist/jsonc';
import { LineMap } from '../engine/lines';
import type { Range, RuleSetting, Severity } from '../engine/types';

/** Where the config lives, relative to a workspace folder (or to any folder above a path the CLI scans). */
export const CONFIG_PATH = '.iso27017/config.json';

/** The default location of the shared-responsibility checklist, relative to the config's folder. */
export const DEFAULT_CHECKLIST_PATH = '.iso27017/checklist.json';

/** The formats the config may name: those the engine analyses (rule platforms). */
export const CONFIG_FORMATS = ['terraform', 'dockerfile', 'kubernetes', 'compose'] as const;
export type ConfigFormat = (typeof CONFIG_FORMATS)[number];

/** The cloud providers the config may name (matched against each rule's `meta.provider`). */
export const CONFIG_PROVIDERS = ['aws', 'azure', 'gcp'] as const;
export type ConfigProvider = (typeof CONFIG_PROVIDERS)[number];

const RULE_VALUES: readonly RuleSetting[] = ['off', 'error', 'warning', 'info', 'hint'];
const SEVERITY_VALUES: readonly Severity[] = ['error', 'warning', 'info', 'hint'];
const CONTROL_ID = /^(CLD\.)?\d+\.\d+\.\d+$/;

/**
 * One suppression kept in the config rather than in a comment, for formats without comments (and for files
 * nobody wants to touch): findings of `rule` in files matching `path` are suppressed, with `reason`, until `until`.
 */
export interface SidecarSuppression {
  rule: string;
  /** A glob relative to the config's folder (picomatch; a glob without `/` matches at any depth). */
  path: string;
  reason: string;
  /** `YYYY-MM-DD`: the last day the entry counts. */
  until?: string;
  /** Where the entry is in the config file. */
  range: Range;
}

/** The suppression policy of a repository config (the flat shape of the `iso27017.suppressions.*` settings). */
export interface RepoSuppressionPolicy {
  requireReason?: boolean;
  forbidControls?: string[];
  forbidSeverities?: Severity[];
  honourOtherTools?: boolean;
  sidecar: SidecarSuppression[];
}

/** A repository config with every field checked; a field with an error is left out, the rest is kept. */
export interface RepoConfig {
  rules: Record<string, RuleSetting>;
  exclude: string[];
  /** Which formats to analyse; absent means all the engine supports. */
  formats?: ConfigFormat[];
  /** Which providers' rules run; absent means all. Rules that name no provider always run. */
  providers?: ConfigProvider[];
  suppressions: RepoSuppressionPolicy;
  checklist: { path: string };
  /** Keys the reader does not know, kept as they are (reported as warnings), so that newer files stay readable. */
  unknown: Record<string, unknown>;
}

/** One problem of a config file, at its exact place. */
export interface ConfigProblem {
  severity: 'error' | 'warning' | 'info';
  /** `syntax`, `duplicate-key`, `schema`, `unknown-key`, `unknown-rule`, `unknown-control`. */
  code: string;
  message: string;
  /** JSON Pointer of the value concerned; `''` for the whole file. */
  pointer: string;
  range: Range;
}

export interface ParsedRepoConfig {
  config: RepoConfig;
  problems: ConfigProblem[];
  /** True when no problem is an error. */
  valid: boolean;
}

export interface ParseConfigOptions {
  /** Rule ids the engine knows; ids outside it are reported as warnings (and kept). */
  knownRules?: ReadonlySet<string>;
  /** Control ids the catalog knows; ids outside it are reported as warnings (and kept). */
  knownControls?: ReadonlySet<string>;
}

/** An empty config: what applies when there is no file. */
export function emptyRepoConfig(): RepoConfig {
  return { rules: {}, exclude: [], suppressions: { sidecar: [] }, checklist: { path: DEFAULT_CHECKLIST_PATH }, unknown: {} };
}

const TOP_KEYS = ['$schema', 'rules', 'exclude', 'formats', 'providers', 'suppressions', 'checklist'];
const SUPPRESSION_KEYS = ['requireReason', 'forbidControls', 'forbidSeverities', 'honourOtherTools', 'sidecar'];
const SIDECAR_KEYS = ['rule', 'path', 'reason', 'until'];
const CHECKLIST_KEYS = ['path'];



class Reader {
  readonly problems: ConfigProblem[] = [];
  readonly lines: LineMap;

  constructor(text: string) {
    this.lines = new LineMap(text);
  }

  report(severity: ConfigProblem['severity'], code: string, message: string, pointer: string, offset: number, length: number): void {
    this.problems.push({ severity, code, message, pointer, range: this.lines.range(offset, offset + length) });
  }

  error(n: Node, pointer: string, message: string, code = 'schema'): void {
    this.report('error', code, message, pointer, n.offset, n.length);
  }

  warn(n: Node, pointer: string, message: string, code: string): void {
    this.report('warning', code, message, pointer, n.offset, n.length);
  }

  /** The properties of an object node; duplicate keys are errors (the first one counts). */
  props(obj: Node, pointer: string): Map<string, { key: Node; value: Node }> {
    const out = new Map<string, { key: Node; value: Node }>();
    for (const p of obj.children ?? []) {
      const key = p.children?.[0];
      const value = p.children?.[1];
      if (!key || !value) continue;
      const name = String(key.value);
      if (out.has(name)) {
        this.error(key, `${pointer}/${pointerSegment(name)}`, `Duplicate key ${JSON.stringify(name)}: remove one of them (the first one counts).`, 'duplicate-key');
        continue;
      }
      out.set(name, { key, value });
    }
    return out;
  }

  /** Reports keys outside `allowed` as warnings; returns them with their values. */
  unknownKeys(props: Map<string, { key: Node; value: Node }>, allowed: readonly string[], what: string, pointer: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [name, { key, value }] of props) {
      if (allowed.includes(name)) continue;
      this.warn(key, `${pointer}/${pointerSegment(name)}`, `Unknown key ${JSON.stringify(name)} in ${what}; it is kept but has no effect. The keys are ${allowed.filter((k) => k !== '$schema').join(', ')}.`, 'unknown-key');
      out[name] = valueOf(value);
    }
    return out;
  }

  object(n: Node, pointer: string, field: string): boolean {
    if (n.type === 'object') return true;
    this.error(n, pointer, `${field} must be an object; found ${describeNode(n)}.`);
    return false;
  }

  boolean(n: Node, pointer: string, field: string): boolean | undefined {
    if (n.type === 'boolean') return n.value as boolean;
    this.error(n, pointer, `${field} must be true or false; found ${describeNode(n)}.`);
    return undefined;
  }

  string(n: Node, pointer: string, field: string): string | undefined {
    if (n.type === 'string' && String(n.value).trim() !== '') return String(n.value).trim();
    this.error(n, pointer, n.type === 'string' ? `${field} must not be empty.` : `${field} must be a string; found ${describeNode(n)}.`);
    return undefined;
  }

  /** A list of strings, each checked by `check` (which returns a message for a bad item); bad items are dropped, duplicates too. */
  strings(n: Node, pointer: string, field: string, check: (s: string, item: Node, ptr: string) => string | undefined = () => undefined): string[] | undefined {
    if (n.type !== 'array') {
      this.error(n, pointer, `${field} must be a list; found ${describeNode(n)}.`);
      return undefined;
    }
    const out: string[] = [];
    (n.children ?? []).forEach((item, i) => {
      const ptr = `${pointer}/${i}`;
      const s = this.string(item, ptr, `Each entry of ${field}`);
      if (s === undefined) return;
      const problem = check(s, item, ptr);
      if (problem) this.error(item, ptr, problem);
      else if (!out.includes(s)) out.push(s);
    });
    return out;
  }
}

/** Parses a repository config. Never throws: problems are returned with their ranges, bad values are left out. */
export function parseRepoConfig(text: string, opts: ParseConfigOptions = {}): ParsedRepoConfig {
  const r = new Reader(text);
  const config = emptyRepoConfig();
  const errors: ParseError[] = [];
  let root: Node | undefined;
  try {
    root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
  } catch (e) {
    r.report('error', 'syntax', `The file could not be read: ${(e as Error).message}`, '', 0, 0);
  }
  for (const e of errors) {
    r.report('error', 'syntax', `${syntaxMessage(e.error)}.`, '', e.offset, Math.max(e.length, 1));
  }
  if (!root) {
    if (text.trim() === '' && errors.length === 0) r.report('warning', 'schema', 'The file is empty; write an object such as { "rules": {} }.', '', 0, 0);
    return finish(r, config);
  }
  if (!r.object(root, '', 'The config')) return finish(r, config);
  const top = r.props(root, '');
  config.unknown = r.unknownKeys(top, TOP_KEYS, 'the config', '');

  const rules = top.get('rules')?.value;
  if (rules && r.object(rules, '/rules', 'rules')) {
    for (const [id, { key, value }] of r.props(rules, '/rules')) {
      const ptr = `/rules/${pointerSegment(id)}`;
      if (value.type !== 'string' || !(RULE_VALUES as readonly string[]).includes(String(value.value))) {
        r.error(value, ptr, `The setting of rule ${JSON.stringify(id)} must be one of ${RULE_VALUES.map((v) => JSON.stringify(v)).join(', ')}; found ${describeNode(value)}.`);
        continue;
      }
      if (opts.knownRules && !opts.knownRules.has(id)) r.warn(key, ptr, `Unknown rule id ${JSON.stringify(id)}; it is kept but matches no rule (see \`iso27017 rules\`).`, 'unknown-rule');
      config.rules[id] = value.value as RuleSetting;
    }
  }

  const exclude = top.get('exclude')?.value;
  if (exclude) config.exclude = r.strings(exclude, '/exclude', 'exclude') ?? [];

  const formats = top.get('formats')?.value;
  if (formats) {
    const list = r.strings(formats, '/formats', 'formats', (s) =>
      (CONFIG_FORMATS as readonly string[]).includes(s) ? undefined : `Unknown format ${JSON.stringify(s)}; the formats are ${CONFIG_FORMATS.join(', ')}.`,
    );
    if (list) config.formats = list as ConfigFormat[];
  }

  const providers = top.get('providers')?.value;
  if (providers) {
    const list = r.strings(providers, '/providers', 'providers', (s) =>
      (CONFIG_PROVIDERS as readonly string[]).includes(s) ? undefined : `Unknown provider ${JSON.stringify(s)}; the providers are ${CONFIG_PROVIDERS.join(', ')}.`,
    );
    if (list) config.providers = list as ConfigProvider[];
  }

  const sup = top.get('suppressions')?.value;
  if (sup && r.object(sup, '/suppressions', 'suppressions')) readSuppressions(r, sup, config, opts);

  const checklist = top.get('checklist')?.value;
  if (checklist && r.object(checklist, '/checklist', 'checklist')) {
    const props = r.props(checklist, '/checklist');
    const extra = r.unknownKeys(props, CHECKLIST_KEYS, 'checklist', '/checklist');
    if (Object.keys(extra).length > 0) config.unknown.checklist = extra;
    const p = props.get('path')?.value;
    if (p) {
      const s = r.string(p, '/checklist/path', 'checklist.path');
      if (s !== undefined) {
        if (s.startsWith('/') || /^[A-Za-z]:[\\/]/.test(s) || s.split(/[\\/]/).includes('..')) r.error(p, '/checklist/path', 'checklist.path must be relative to the folder of .iso27017/ and stay inside it (no leading / and no ..).');
        else config.checklist.path = s.replace(/\\/g, '/').replace(/^\.\//, '');
      }
    }
  }
  return finish(r, config);
}

function readSuppressions(r: Reader, sup: Node, config: RepoConfig, opts: ParseConfigOptions): void {
  const props = r.props(sup, '/suppressions');
  const extra = r.unknownKeys(props, SUPPRESSION_KEYS, 'suppressions', '/suppressions');
  if (Object.keys(extra).length > 0) config.unknown.suppressions = extra;
  const out = config.suppressions;
  for (const k of ['requireReason', 'honourOtherTools'] as const) {
    const v = props.get(k)?.value;
    if (!v) continue;
    const b = r.boolean(v, `/suppressions/${k}`, `suppressions.${k}`);
    if (b !== undefined) out[k] = b;
  }
  const controls = props.get('forbidControls')?.value;
  if (controls) {
    const list = r.strings(controls, '/suppressions/forbidControls', 'suppressions.forbidControls', (s, item, ptr) => {
      if (!CONTROL_ID.test(s)) return `${JSON.stringify(s)} is not a control id such as 10.1.1 or CLD.9.5.1.`;
      if (opts.knownControls && !opts.knownControls.has(s)) r.warn(item, ptr, `Unknown control id ${JSON.stringify(s)}; it is kept but no rule evidences it.`, 'unknown-control');
      return undefined;
    });
    if (list) out.forbidControls = list;
  }
  const severities = props.get('forbidSeverities')?.value;
  if (severities) {
    const list = r.strings(severities, '/suppressions/forbidSeverities', 'suppressions.forbidSeverities', (s) =>
      (SEVERITY_VALUES as readonly string[]).includes(s) ? undefined : `Unknown severity ${JSON.stringify(s)}; the severities are ${SEVERITY_VALUES.join(', ')}.`,
    );
    if (list) out.forbidSeverities = list as Severity[];
  }
  const sidecar = props.get('sidecar')?.value;
  if (!sidecar) return;
  if (sidecar.type !== 'array') {
    r.error(sidecar, '/suppressions/sidecar', `suppressions.sidecar must be a list; found ${describeNode(sidecar)}.`);
    return;
  }
  (sidecar.children ?? []).forEach((entry, i) => {
    const ptr = `/suppressions/sidecar/${i}`;
    if (!r.object(entry, ptr, 'A sidecar suppression')) return;
    const p = r.props(entry, ptr);
    r.unknownKeys(p, SIDECAR_KEYS, 'a sidecar suppression', ptr);
    const field = (name: string): string | undefined => {
      const v = p.get(name)?.value;
      if (!v) return undefined;
      return r.string(v, `${ptr}/${name}`, `${name}`);
    };
    let ok = true;
    for (const name of ['rule', 'path', 'reason']) {
      if (!p.has(name)) {
        r.error(entry, ptr, `A sidecar suppression needs "${name}"${name === 'reason' ? ': nobody can review a suppression without one' : ''}. It suppresses nothing.`);
        ok = false;
      }
    }
    const rule = field('rule');
    const path = field('path');
    const reason = field('reason');
    const untilNode = p.get('until')?.value;
    let until: string | undefined;
    if (untilNode) {
      const s = r.string(untilNode, `${ptr}/until`, 'until');
      if (s !== undefined && !isIsoDate(s)) r.error(untilNode, `${ptr}/until`, `until must be a date written YYYY-MM-DD; found ${JSON.stringify(s)}. The entry suppresses nothing.`);
      else until = s;
      if (until === undefined) ok = false;
    }
    if (!ok || rule === undefined || path === undefined || reason === undefined) return;
    if (opts.knownRules && !opts.knownRules.has(rule)) r.warn(p.get('rule')!.value, `${ptr}/rule`, `Unknown rule id ${JSON.stringify(rule)}; the entry suppresses nothing.`, 'unknown-rule');
    const s: SidecarSuppression = { rule, path: path.replace(/\\/g, '/').replace(/^\.\//, ''), reason, range: r.lines.range(entry.offset, entry.offset + entry.length) };
    if (until !== undefined) s.until = until;
    out.sidecar.push(s);
  });
}

function finish(r: Reader, config: RepoConfig): ParsedRepoConfig {
  r.problems.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return { config, problems: r.problems, valid: !r.problems.some((p) => p.severity === 'error') };
}

/** `file:line:col: severity: message`, as the CLI prints a problem. */
export function formatConfigProblem(p: ConfigProblem, file: string): string {
  return `${file}:${p.range.start.line + 1}:${p.range.start.character + 1}: ${p.severity}: ${p.message}`;
}
