// Forward-slash path arithmetic for the engine, which sees paths as plain strings (no file system).

/** Normalises a path to forward slashes without a trailing slash. */
export function normalisePath(p: string): string {
  const s = p.replace(/\\/g, '/');
  return s.length > 1 && s.endsWith('/') ? s.slice(0, -1) : s;
}

/** The folder of a normalised path (`.` for a bare name, `/` for a file at the root). */
export function dirOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? (i === 0 ? '/' : '.') : p.slice(0, i);
}

/** Resolves a relative path (`./x`, `../y/z`) against a folder, never above the root. */
export function joinPath(dir: string, rel: string): string {
  const parts = dir.split('/');
  for (const seg of rel.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length > 1) parts.pop();
    } else parts.push(seg);
  }
  return parts.join('/') || '/';
}
