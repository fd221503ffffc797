// Converts between `file:` URIs (what the client sends) and the engine's forward-slash paths.

import { fileURLToPath, pathToFileURL } from 'node:url';
import { normalisePath } from '../engine/project';

/** The engine path of a `file:` URI, or undefined for any other scheme. */
export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return normalisePath(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

/** A `file:` URI for an engine path. */
export function pathToUri(path: string): string {
  return pathToFileURL(path).href;
}

export { dirOf } from '../engine/paths';

/** True when `path` is `dir` or lies below it. */
export function isInside(path: string, dir: string): boolean {
  if (dir === '/') return path.startsWith('/');
  return path === dir || path.startsWith(`${dir}/`);
}

/** `path` relative to `dir` (which must contain it), with forward slashes. */
export function relativeTo(path: string, dir: string): string {
  if (path === dir) return '';
  return dir === '/' ? path.slice(1) : path.slice(dir.length + 1);
}
