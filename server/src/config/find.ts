// Finds and reads repository configs on disk (Node only; the reader and the merge stay pure).

import { promises as fsp, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { normalisePath } from '../engine/paths';
import { CONFIG_PATH, parseRepoConfig, type ParseConfigOptions, type ParsedRepoConfig } from './repoConfig';

/** Config files larger than this are not read (a config is a few KB). */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** A config read from disk: the file, the folder its globs are relative to, and what the reader made of it. */
export interface LoadedRepoConfig {
  /** The config file (forward slashes). */
  file: string;
  /** The folder holding `.iso27017/` (forward slashes). */
  root: string;
  text: string;
  parsed: ParsedRepoConfig;
}

/** The nearest `.iso27017/config.json` at or above `start` (a file or a folder), or undefined. */
export function findRepoConfig(start: string): string | undefined {
  let dir = resolve(start);
  try {
    if (!statSync(dir).isDirectory()) dir = dirname(dir);
  } catch {
    dir = dirname(dir);
  }
  for (;;) {
    const candidate = join(dir, CONFIG_PATH);
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // Not here; look further up.
    }
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/**
 * Reads and parses a config file. Undefined when it does not exist; an unreadable or oversized file gives a
 * config with one error (so that the caller reports it rather than silently analysing without the team's policy).
 */
export async function readRepoConfig(file: string, opts: ParseConfigOptions = {}, root?: string): Promise<LoadedRepoConfig | undefined> {
  const abs = resolve(file);
  const base = root ?? (abs.endsWith(join('.iso27017', 'config.json')) ? dirname(dirname(abs)) : dirname(abs));
  let text: string;
  try {
    const st = await fsp.stat(abs);
    if (st.size > MAX_CONFIG_BYTES) {
      const parsed = parseRepoConfig('{}', opts);
      parsed.problems.push({ severity: 'error', code: 'file', message: `The config is too large to read (${st.size} bytes; the limit is ${MAX_CONFIG_BYTES}).`, pointer: '', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });
      parsed.valid = false;
      return { file: normalisePath(abs), root: normalisePath(base), text: '', parsed };
    }
    text = await fsp.readFile(abs, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    const parsed = parseRepoConfig('{}', opts);
    parsed.problems.push({ severity: 'error', code: 'file', message: `The config could not be read: ${code ?? (e as Error).message}.`, pointer: '', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });
    parsed.valid = false;
    return { file: normalisePath(abs), root: normalisePath(base), text: '', parsed };
  }
  return { file: normalisePath(abs), root: normalisePath(base), text, parsed: parseRepoConfig(text, opts) };
}
