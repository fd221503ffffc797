// The repository config for the command line: finds `.iso27017/config.json` (the nearest one at or above the
// scanned path, or the one named with --config), reports its problems, and merges it with the command's own
// options the same way the server merges it with the editor settings, so that CI and the editor agree.

import { relative } from 'node:path';
import { findRepoConfig, readRepoConfig, type LoadedRepoConfig } from '../config/find';
import { mergeSettings, sidecarProblems, type MergedSettings } from '../config/merge';
import { formatConfigProblem } from '../config/repoConfig';
import type { EngineSettings } from '../engine/project';
import type { Rule } from '../engine/rule';
import { INVALID_SUPPRESSION_META } from '../engine/suppressions';
import { excludeMatcher } from '../handlers/settings';
import type { Iso27017Settings } from '../protocol';

/** The config has errors: the command stops (exit code 2) rather than analyse without the team's policy. */
export class ConfigError extends Error {}

/** The effective configuration of one command run. */
export interface CliConfig {
  /** The config read, if any. */
  loaded?: LoadedRepoConfig;
  merged: MergedSettings;
  /** True for a file the config excludes (its `exclude` globs are relative to the config's folder). */
  excluded(path: string): boolean;
  /** What the engine analyses with. */
  engine: EngineSettings;
}

export interface CliConfigOptions {
  /** Where to look for the nearest config (the first scanned path). */
  start: string;
  /** `--config FILE`. */
  file?: string | undefined;
  /** `--no-config`. */
  none?: boolean;
  /** The command's own settings (its --exclude globs are applied by the walk, not here). */
  user: Iso27017Settings;
  rules: readonly Rule[];
  today: string;
  /** Where problems are written. */
  err(s: string): void;
}

function display(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}

/** Reads and merges the config; throws {@link ConfigError} when it has errors or --config names no file. */
export async function loadCliConfig(o: CliConfigOptions): Promise<CliConfig> {
  const metas = [...o.rules.map((r) => r.meta), INVALID_SUPPRESSION_META];
  const knownRules = new Set(metas.map((m) => m.id));
  let loaded: LoadedRepoConfig | undefined;
  if (!o.none) {
    const file = o.file ?? findRepoConfig(o.start);
    if (file) {
      loaded = await readRepoConfig(file, { knownRules });
      if (!loaded) throw new ConfigError(`no such config file: ${file}`);
    }
  }
  const merged = mergeSettings(o.user, loaded?.parsed.config, loaded?.root ?? '', metas);
  if (loaded) {
    const problems = [...loaded.parsed.problems, ...sidecarProblems(merged, new Map(metas.map((m) => [m.id, m])), o.today)];
    for (const p of problems) o.err(`${formatConfigProblem(p, display(loaded.file))}\n`);
    if (!loaded.parsed.valid) throw new ConfigError(`${display(loaded.file)} has errors (listed above); fix them, or run with --no-config.`);
  }
  const root = loaded?.root;
  const matcher = excludeMatcher(loaded ? loaded.parsed.config.exclude : []);
  const excluded = (path: string): boolean => {
    if (root === undefined) return false;
    const prefix = root === '/' ? '/' : `${root}/`;
    return path.startsWith(prefix) && matcher(path.slice(prefix.length));
  };
  const s = merged.settings;
  const engine: EngineSettings = { rules: { ...s.rules }, now: o.today, ...(s.suppressions ? { suppressions: s.suppressions } : {}), ...(merged.sidecar ? { sidecar: merged.sidecar } : {}) };
  return { ...(loaded ? { loaded } : {}), merged, excluded, engine };
}
