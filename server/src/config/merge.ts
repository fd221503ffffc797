// Merges a repository config (the team's baseline) with a person's settings, so that the editor and the CLI
// analyse the same way. The rules (docs/config.md):
// - `rules`: the repository's, then the person's on top, per rule: someone may quiet a noisy rule locally;
// - `exclude`: the union;
// - suppression policy: the stricter of both: forbidden controls and severities are the union, a reason is
//   required when either requires one, and other tools' comments are honoured only when both honour them; so a
//   person cannot loosen the team's policy;
// - `formats` and `providers` come from the repository only; rules outside them are off unless a setting of the
//   person turns one back on.
// Pure: no I/O.

import type { SidecarSuppressions } from '../engine/suppressions';
import type { RuleMeta, RuleSetting, Severity } from '../engine/types';
import type { Iso27017Settings, SuppressionSettings } from '../protocol';
import { CONFIG_PATH, type ConfigProblem, type RepoConfig } from './repoConfig';

/** The effective settings of a folder. */
export interface MergedSettings {
  /** What the server and the CLI analyse with (same shape as the user's settings). */
  settings: Iso27017Settings;
  /** The repository's sidecar suppressions, when it has any. */
  sidecar?: SidecarSuppressions;
  /** The checklist's path relative to the config's folder. */
  checklistPath: string;
}

/** What the merge needs to know about the rules. */
export type MergeRule = Pick<RuleMeta, 'id' | 'platform' | 'provider'>;

/** The config file's path for a folder (forward slashes, as the engine writes paths). */
export function configPathIn(root: string): string {
  return root === '/' ? `/${CONFIG_PATH}` : `${root.replace(/\/+$/, '')}/${CONFIG_PATH}`;
}

function union<T>(a: readonly T[] | undefined, b: readonly T[] | undefined): T[] {
  return [...new Set([...(a ?? []), ...(b ?? [])])];
}

/**
 * Merges `user` settings over the `repo` config of the folder `root` (absent when the folder has none).
 * `rules` lists every rule, for `formats` and `providers`.
 */
export function mergeSettings(user: Iso27017Settings, repo: RepoConfig | undefined, root: string, rules: readonly MergeRule[]): MergedSettings {
  if (!repo) {
    return { settings: { ...user, rules: { ...user.rules }, exclude: [...user.exclude] }, checklistPath: '.iso27017/checklist.json' };
  }
  const scoped: Record<string, RuleSetting> = {};
  for (const r of rules) {
    const formatOff = repo.formats !== undefined && !(repo.formats as readonly string[]).includes(r.platform);
    const providerOff = repo.providers !== undefined && r.provider !== undefined && !(repo.providers as readonly string[]).includes(r.provider);
    if (formatOff || providerOff) scoped[r.id] = 'off';
  }
  const settings: Iso27017Settings = {
    // No format left to analyse: the folder is not analysed at all (and keeps no diagnostics).
    enable: user.enable && (repo.formats === undefined || repo.formats.length > 0),
    rules: { ...scoped, ...repo.rules, ...user.rules },
    exclude: union(repo.exclude, user.exclude),
  };
  const sup = mergeSuppressionPolicy(user.suppressions, repo);
  if (sup) settings.suppressions = sup;
  const out: MergedSettings = { settings, checklistPath: repo.checklist.path };
  if (repo.suppressions.sidecar.length > 0) out.sidecar = { root, file: configPathIn(root), entries: repo.suppressions.sidecar.map((e) => ({ ...e })) };
  return out;
}

/** The stricter of the person's and the repository's suppression policies. */
export function mergeSuppressionPolicy(user: SuppressionSettings | undefined, repo: RepoConfig): SuppressionSettings | undefined {
  const r = repo.suppressions;
  const out: SuppressionSettings = {};
  // A side that says nothing has no opinion; when both say something, the stricter value wins.
  const stricter = (a: boolean | undefined, b: boolean | undefined, strict: boolean): boolean | undefined =>
    a === undefined ? b : b === undefined ? a : strict ? a || b : a && b;
  const requireReason = stricter(user?.requireReason, r.requireReason, true);
  const honourOtherTools = stricter(user?.honourOtherTools, r.honourOtherTools, false);
  if (requireReason !== undefined) out.requireReason = requireReason;
  if (honourOtherTools !== undefined) out.honourOtherTools = honourOtherTools;
  const controls = union(r.forbidControls, user?.forbid?.controls);
  const severities = union<Severity>(r.forbidSeverities, user?.forbid?.severities);
  if (controls.length > 0 || severities.length > 0) out.forbid = { ...(controls.length ? { controls } : {}), ...(severities.length ? { severities } : {}) };
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * Problems of sidecar entries that only show once merged: an entry that has expired, or that the (merged)
 * policy forbids. Such entries suppress nothing; the problems point at them in the config file.
 */
export function sidecarProblems(
  merged: MergedSettings,
  rules: ReadonlyMap<string, Pick<RuleMeta, 'id' | 'controls' | 'severity'>>,
  today: string | undefined,
): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const policy = merged.settings.suppressions;
  (merged.sidecar?.entries ?? []).forEach((e, i) => {
    const pointer = `/suppressions/sidecar/${i}`;
    const rule = rules.get(e.rule);
    if (!rule) return; // Reported by the reader as an unknown rule.
    if (e.until !== undefined && today !== undefined && today > e.until) {
      out.push({ severity: 'warning', code: 'sidecar-expired', message: `This suppression of ${e.rule} expired on ${e.until}; its findings are reported again.`, pointer, range: e.range });
      return;
    }
    const setting = merged.settings.rules[e.rule];
    const severity = setting && setting !== 'off' ? setting : rule.severity;
    const controls = (policy?.forbid?.controls ?? []).filter((c) => rule.controls.includes(c));
    if (controls.length > 0) {
      out.push({ severity: 'warning', code: 'sidecar-not-allowed', message: `Findings of control ${controls.join(', ')} (${e.rule}) cannot be suppressed; this entry suppresses nothing.`, pointer, range: e.range });
    } else if ((policy?.forbid?.severities ?? []).includes(severity)) {
      out.push({ severity: 'warning', code: 'sidecar-not-allowed', message: `${severity} findings (${e.rule}) cannot be suppressed; this entry suppresses nothing.`, pointer, range: e.range });
    }
  });
  return out;
}
