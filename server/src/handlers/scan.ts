// Walks a workspace folder for analysable files with fs.promises, without following symlinks.

import { promises as fs } from 'node:fs';
import { MAX_FILE_BYTES, Project } from '../engine/project';
import { installedModuleFiles } from '../node/installedModules';
import { relativeTo } from './paths';
import { ALWAYS_SKIPPED_DIRS } from './settings';


export interface WalkOptions {
  /** True for paths (relative to the root, forward slashes) the user excluded. */
  excluded: (rel: string) => boolean;
  /** Checked between directories; the walk stops early when it returns true. */
  cancelled?: () => boolean;
  /** Called for each file skipped for a reason the user may want to know (too large). */
  onSkip?: (path: string, reason: string) => void;
}

/** True when a folder name is never walked. */
export function isSkippedDir(name: string): boolean {
  return ALWAYS_SKIPPED_DIRS.has(name) || name.startsWith('.');
}

/**
 * Lists the analysable files below `root` (forward-slash absolute paths, sorted).
 * Skips `node_modules`, `.git`, `.terraform`, every dot-folder, symlinks, files over the engine's size limit
 * and the user's exclude globs. Unreadable folders are skipped silently. Of a `.terraform` folder, the module
 * manifest and the `.tf` files of the modules it lists are listed (see installedModules.ts).
 */
export async function walkFolder(root: string, opts: WalkOptions): Promise<string[]> {
  const out: string[] = [];
  const stack = [root];
  while (stack.length > 0) {
    if (opts.cancelled?.()) return out;
    const dir = stack.pop()!;
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (e.isSymbolicLink()) continue;
      const abs = dir === '/' ? `/${e.name}` : `${dir}/${e.name}`;
      const rel = relativeTo(abs, root);
      if (e.isDirectory()) {
        if (e.name === '.terraform' && !opts.excluded(rel)) out.push(...(await installedModuleFiles(dir)).filter((p) => !opts.excluded(relativeTo(p, root))));
        else if (!isSkippedDir(e.name) && !opts.excluded(rel)) stack.push(abs);
        continue;
      }
      if (!e.isFile() || opts.excluded(rel)) continue;
      if (!Project.mayBeAnalysable(abs)) continue;
      out.push(abs);
    }
  }
  return out.sort();
}

/** Reads a file for analysis; undefined when it is gone, too large or unreadable. */
export async function readForAnalysis(path: string, onSkip?: (path: string, reason: string) => void): Promise<string | undefined> {
  try {
    const st = await fs.stat(path);
    if (!st.isFile()) return undefined;
    if (st.size > MAX_FILE_BYTES) {
      // Only worth saying for files analysed by name; a large YAML or JSON file is rarely a manifest.
      if (Project.isAnalysable(path)) onSkip?.(path, `larger than ${MAX_FILE_BYTES / 1048576} MB`);
      return undefined;
    }
    const text = await fs.readFile(path, 'utf8');
    return Project.isProjectFile(path, text) ? text : undefined;
  } catch {
    return undefined;
  }
}
