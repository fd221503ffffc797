// The repository config of each workspace folder (`.iso27017/config.json`) on the server's side: reading it from
// disk, merging it with the folder's settings, and the diagnostics of its problems. The reader and the merge
// are pure (server/src/config/); this is the I/O and the LSP shapes.

import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import { readRepoConfig, type LoadedRepoConfig } from '../config/find';
import { configPathIn, mergeSettings, sidecarProblems, type MergedSettings } from '../config/merge';
import { CONFIG_PATH, type ConfigProblem } from '../config/repoConfig';
import type { RuleMeta } from '../engine/types';
import { DIAGNOSTIC_SOURCE, type Iso27017Settings } from '../protocol';
import { isInside } from './paths';

/** The glob the server asks the client to watch for config files. */
export const CONFIG_GLOB = `**/${CONFIG_PATH}`;

/** `code` prefix of the diagnostics the server publishes in a config file: `config/<problem code>`. */
export const CONFIG_DIAGNOSTIC_PREFIX = 'config/';

const SEVERITY: Record<ConfigProblem['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

export function configProblemToDiagnostic(p: ConfigProblem): Diagnostic {
  return { range: p.range, severity: SEVERITY[p.severity], source: DIAGNOSTIC_SOURCE, code: `${CONFIG_DIAGNOSTIC_PREFIX}${p.code}`, message: p.message };
}

/** The config of one folder as the server holds it. */
export interface FolderConfig {
  /** The config file's path (whether or not it exists). */
  file: string;
  loaded: LoadedRepoConfig | undefined;
  merged: MergedSettings;
  /** Every problem: the reader's, then those of sidecar entries under the merged policy. */
  problems: ConfigProblem[];
}

/** Reads a folder's config from disk and merges it with the folder's (normalised) user settings. */
export async function loadFolderConfig(
  root: string,
  user: Iso27017Settings,
  rules: readonly Pick<RuleMeta, 'id' | 'platform' | 'provider' | 'controls' | 'severity'>[],
  today: string,
): Promise<FolderConfig> {
  const file = configPathIn(root);
  const loaded = await readRepoConfig(file, { knownRules: new Set(rules.map((r) => r.id)) }, root);
  const merged = mergeSettings(user, loaded?.parsed.config, root, rules);
  const problems = loaded ? [...loaded.parsed.problems, ...sidecarProblems(merged, new Map(rules.map((r) => [r.id, r])), today)] : [];
  return { file, loaded, merged, problems };
}

/** True when a watched-file event (a file, or a deleted folder) concerns the config of the folder `root`. */
export function touchesConfig(path: string, root: string): boolean {
  const file = configPathIn(root);
  return path === file || (isInside(file, path) && path !== root && isInside(path, root));
}
