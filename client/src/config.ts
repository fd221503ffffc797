// Typed reader and normaliser of the iso27017.* settings, applied before the server sees them.

import { DEFAULT_SETTINGS, RULE_SETTING_VALUES, type Iso27017Settings, type RuleSeverityOrOff, type SuppressionSettings } from '../../server/src/protocol';

/**
 * Normalises one `iso27017` section as VS Code returns it: a missing or mistyped value takes its default,
 * unknown rule values are dropped, globs are trimmed. The server normalises again; this keeps the wire clean.
 */
export function normaliseSection(raw: unknown): Iso27017Settings {
  const r = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const rules: Record<string, RuleSeverityOrOff> = {};
  if (r.rules && typeof r.rules === 'object' && !Array.isArray(r.rules)) {
    for (const [id, v] of Object.entries(r.rules as Record<string, unknown>)) {
      const value = typeof v === 'string' ? v.trim().toLowerCase() : v;
      if (typeof value === 'string' && (RULE_SETTING_VALUES as readonly string[]).includes(value)) rules[id.trim()] = value as RuleSeverityOrOff;
    }
  }
  const exclude = Array.isArray(r.exclude) ? r.exclude.filter((g): g is string => typeof g === 'string' && g.trim() !== '').map((g) => g.trim()) : [];
  const out: Iso27017Settings = { enable: typeof r.enable === 'boolean' ? r.enable : DEFAULT_SETTINGS.enable, rules, exclude };
  out.suppressions = normaliseSuppressionSettings(r.suppressions);
  return out;
}

/** The severities `iso27017.suppressions.forbidSeverities` accepts. */
const FORBIDDABLE_SEVERITIES = ['error', 'warning', 'info'] as const;

/**
 * Maps the `iso27017.suppressions.*` settings (`requireReason`, `forbidControls`, `forbidSeverities`,
 * `honourOtherTools`) to the wire shape: mistyped values take their defaults (a reason required, other tools'
 * comments honoured, nothing forbidden), control ids are trimmed, severities lower-cased, duplicates dropped.
 */
export function normaliseSuppressionSettings(raw: unknown): SuppressionSettings {
  const r = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').map((x) => x.trim()).filter((x) => x !== '') : []);
  const controls = [...new Set(strings(r.forbidControls))];
  const severities = [...new Set(strings(r.forbidSeverities).map((x) => x.toLowerCase()))].filter((x): x is (typeof FORBIDDABLE_SEVERITIES)[number] =>
    (FORBIDDABLE_SEVERITIES as readonly string[]).includes(x),
  );
  const out: SuppressionSettings = {
    requireReason: typeof r.requireReason === 'boolean' ? r.requireReason : true,
    honourOtherTools: typeof r.honourOtherTools === 'boolean' ? r.honourOtherTools : true,
  };
  if (controls.length > 0 || severities.length > 0) out.forbid = { ...(controls.length > 0 ? { controls } : {}), ...(severities.length > 0 ? { severities } : {}) };
  return out;
}
