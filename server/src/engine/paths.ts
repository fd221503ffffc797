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

/**
 * Terraform's module manifest, written by `terraform init` into the working directory (a root module):
 * `<root>/.terraform/modules/modules.json` lists the installed (registry, git, …) modules and where they are.
 */
export const MODULE_MANIFEST = '.terraform/modules/modules.json';

/** True for the module manifest of a root module (`…/.terraform/modules/modules.json`). */
export function isModuleManifest(p: string): boolean {
  const s = normalisePath(p);
  return s === MODULE_MANIFEST || s.endsWith(`/${MODULE_MANIFEST}`);
}

/**
 * True for a file of a module installed by `terraform init` (below `.terraform/modules/`): third-party code that is
 * evaluated for its callers and never reported on itself.
 */
export function isInstalledModulePath(p: string): boolean {
  const s = normalisePath(p);
  return s.startsWith('.terraform/modules/') || s.includes('/.terraform/modules/');
}
