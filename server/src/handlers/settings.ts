// Reads and normalises the `iso27017` settings of each workspace folder.

import picomatch from 'picomatch';
import { DEFAULT_SETTINGS, RULE_SETTING_VALUES, type Iso27017Settings, type RuleSeverityOrOff, type SuppressionSettings } from '../protocol';

/** Turns whatever the client sent into complete, valid settings; invalid entries are dropped, never fatal. */
export function normaliseSettings(raw: unknown): Iso27017Settings {
  const s: Iso27017Settings = { enable: DEFAULT_SETTINGS.enable, rules: {}, exclude: [] };
  if (!raw || typeof raw !== 'object') return s;
  const r = raw as Record<string, unknown>;
  if (typeof r.enable === 'boolean') s.enable = r.enable;
  if (r.rules && typeof r.rules === 'object' && !Array.isArray(r.rules)) {
    for (const [id, v] of Object.entries(r.rules as Record<string, unknown>)) {
      if (typeof v === 'string' && (RULE_SETTING_VALUES as readonly string[]).includes(v)) s.rules[id] = v as RuleSeverityOrOff;
    }
  }
  if (Array.isArray(r.exclude)) s.exclude = r.exclude.filter((g): g is string => typeof g === 'string' && g.trim() !== '').map((g) => g.trim());
  const sup = normaliseSuppressions(r.suppressions);
  if (sup) s.suppressions = sup;
  return s;
}

/**
 * The suppression governance settings, or undefined when nothing valid is set. Besides the wire shape
 * (`forbid: { controls, severities }`) it accepts the flat shape of the VS Code settings
 * (`forbidControls`, `forbidSeverities`), for clients that pass the section through as it is.
 */
export function normaliseSuppressions(raw: unknown): SuppressionSettings | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const r = raw as Record<string, unknown>;
  const out: SuppressionSettings = {};
  if (typeof r.requireReason === 'boolean') out.requireReason = r.requireReason;
  if (typeof r.honourOtherTools === 'boolean') out.honourOtherTools = r.honourOtherTools;
  const f = r.forbid && typeof r.forbid === 'object' && !Array.isArray(r.forbid) ? (r.forbid as Record<string, unknown>) : {};
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  const controls = unique(
    [...list(f.controls), ...list(r.forbidControls)].filter((c): c is string => typeof c === 'string' && c.trim() !== '').map((c) => c.trim()),
  );
  const sev = ['error', 'warning', 'info', 'hint'];
  const severities = unique(
    [...list(f.severities), ...list(r.forbidSeverities)].filter((x): x is string => typeof x === 'string').map((x) => x.trim().toLowerCase()).filter((x) => sev.includes(x)),
  ) as Array<'error' | 'warning' | 'info' | 'hint'>;
  if (controls.length || severities.length) out.forbid = { ...(controls.length ? { controls } : {}), ...(severities.length ? { severities } : {}) };
  return Object.keys(out).length > 0 ? out : undefined;
}

function unique<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}

/** True when two settings values would analyse the same way. */
export function sameRules(a: Iso27017Settings, b: Iso27017Settings): boolean {
  const ka = Object.keys(a.rules).sort();
  const kb = Object.keys(b.rules).sort();
  const sameSuppressions = JSON.stringify(a.suppressions ?? null) === JSON.stringify(b.suppressions ?? null);
  return sameSuppressions && ka.length === kb.length && ka.every((k, i) => k === kb[i] && a.rules[k] === b.rules[k]);
}

export function sameExclude(a: Iso27017Settings, b: Iso27017Settings): boolean {
  return a.exclude.length === b.exclude.length && a.exclude.every((g, i) => g === b.exclude[i]);
}

/** Folders never walked, whatever the settings say. */
export const ALWAYS_SKIPPED_DIRS: ReadonlySet<string> = new Set(['node_modules', '.git', '.terraform']);

/**
 * A matcher for the user's exclude globs, applied to paths relative to the workspace folder.
 * A glob without a slash also matches at any depth (`*.auto.tfvars`), as in `.gitignore`.
 */
export function excludeMatcher(globs: readonly string[]): (relPath: string) => boolean {
  if (globs.length === 0) return () => false;
  const expanded = globs.flatMap((g) => {
    const clean = g.replace(/^\.\//, '').replace(/\/+$/, '');
    const base = clean.includes('/') ? [clean] : [clean, `**/${clean}`];
    // A folder glob excludes what lies inside it too.
    return base.flatMap((x) => (x.endsWith('/**') ? [x] : [x, `${x}/**`]));
  });
  const isMatch = picomatch(expanded, { dot: true });
  return (rel) => rel !== '' && isMatch(rel);
}
