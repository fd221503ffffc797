// Typed reader and normaliser of the iso27017.* settings, applied before the server sees them.

import { DEFAULT_SETTINGS, RULE_SETTING_VALUES, type Iso27017Settings, type RuleSeverityOrOff } from '../../server/src/protocol';

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
  return { enable: typeof r.enable === 'boolean' ? r.enable : DEFAULT_SETTINGS.enable, rules, exclude };
}
