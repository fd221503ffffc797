// Finds the files to analyse below a set of roots (Node only; the engine itself never touches the disk).

import { promises as fsp } from 'node:fs';
import { join, relative } from 'node:path';
import picomatch from 'picomatch';
import { MAX_FILE_BYTES, normalisePath } from '../engine/project';
import type { FileError } from '../engine/types';
import { installedModuleFiles } from './installedModules';

/**
 * Folders never walked: dependencies, VCS data, Terraform's downloaded modules and providers. (Of `.terraform`, only
 * the modules its manifest lists are read: see installedModules.ts.)
 */
export const SKIPPED_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', '.terraform', '.terragrunt-cache']);

export interface WalkOptions {
  /** Globs (matched against the path relative to the root, and against the base name) to leave out. */
  exclude?: string[];
  /** Which files to read. */
  analysable: (path: string) => boolean;
  /** Problems met (unreadable or oversized files) are pushed here; the walk goes on. */
  errors: FileError[];
  /** Called between batches so that a server can stay responsive. */
  onBatch?: (done: number) => Promise<void> | void;
}

export interface LoadedFile {
  path: string;
  text: string;
}

/** Reads every analysable file below the roots (a root may also be a single file). Symbolic links are not followed. */
export async function collectFiles(roots: string[], o: WalkOptions): Promise<LoadedFile[]> {
  const out: LoadedFile[] = [];
  const matchers = (o.exclude ?? []).map((g) => picomatch(g, { dot: true }));
  const excluded = (rel: string, base: string): boolean => matchers.some((m) => m(rel) || m(base));
  const read = async (abs: string): Promise<void> => {
    try {
      const st = await fsp.stat(abs);
      if (st.size > MAX_FILE_BYTES) {
        o.errors.push({ file: normalisePath(abs), message: `File is too large to analyse (${(st.size / 1048576).toFixed(1)} MB; the limit is ${MAX_FILE_BYTES / 1048576} MB).` });
        return;
      }
      out.push({ path: normalisePath(abs), text: await fsp.readFile(abs, 'utf8') });
      if (o.onBatch && out.length % 200 === 0) await o.onBatch(out.length);
    } catch (e) {
      o.errors.push({ file: normalisePath(abs), message: `Could not read the file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
    }
  };
  for (const root of roots) {
    const st = await fsp.lstat(root).catch(() => undefined);
    if (!st) {
      o.errors.push({ file: normalisePath(root), message: 'No such file or directory.' });
      continue;
    }
    if (st.isFile()) {
      if (o.analysable(root)) await read(root);
      continue;
    }
    const stack: Array<[string, string]> = [[root, '']];
    while (stack.length > 0) {
      const [dir, rel] = stack.pop()!;
      let entries: import('node:fs').Dirent[];
      try {
        entries = await fsp.readdir(dir, { withFileTypes: true });
      } catch (e) {
        o.errors.push({ file: normalisePath(dir), message: `Could not read the folder: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
        continue;
      }
      entries.sort((a, b) => (a.name < b.name ? 1 : -1));
      for (const ent of entries) {
        const childRel = rel ? `${rel}/${ent.name}` : ent.name;
        if (excluded(childRel, ent.name)) continue;
        if (ent.isDirectory()) {
          if (ent.name === '.terraform') {
            for (const p of await installedModuleFiles(dir)) {
              const r = normalisePath(relative(root, p));
              if (!excluded(r, r.slice(r.lastIndexOf('/') + 1))) await read(p);
            }
          }
          else if (!SKIPPED_DIRS.has(ent.name) && !ent.name.startsWith('.')) stack.push([join(dir, ent.name), childRel]);
        } else if (ent.isFile() && o.analysable(ent.name)) {
          await read(join(dir, ent.name));
        }
      }
    }
  }
  out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return out;
}
