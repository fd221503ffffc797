// Lists the files of the modules `terraform init` installed for a root module (Node only): the module manifest
// `.terraform/modules/modules.json` and the `.tf` files of the folders it lists below `.terraform/modules/`.
// Nothing else below `.terraform` is read (providers, examples and tests shipped with the modules).

import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { MODULE_MANIFEST, normalisePath } from '../engine/paths';
import { parseModuleManifest } from '../engine/project';

/** At most this many installed module folders are read per root. */
const MAX_MODULE_DIRS = 500;

/**
 * The manifest and installed `.tf` files of the root module in `rootDir` (absolute paths, forward slashes, sorted);
 * empty when `terraform init` has not run there or its manifest cannot be read.
 */
export async function installedModuleFiles(rootDir: string): Promise<string[]> {
  const manifestPath = join(rootDir, MODULE_MANIFEST);
  let text: string;
  try {
    const st = await fsp.lstat(manifestPath);
    if (!st.isFile()) return [];
    text = await fsp.readFile(manifestPath, 'utf8');
  } catch {
    return [];
  }
  const root = normalisePath(rootDir);
  const modules = parseModuleManifest(root, text);
  if (!modules) return [normalisePath(manifestPath)];
  const installedBase = `${root}/.terraform/modules/`;
  const dirs = [...new Set([...modules.values()].map((m) => m.dir))].filter((d) => d.startsWith(installedBase)).slice(0, MAX_MODULE_DIRS);
  const out = [normalisePath(manifestPath)];
  await Promise.all(
    dirs.map(async (dir) => {
      try {
        for (const e of await fsp.readdir(dir, { withFileTypes: true })) if (e.isFile() && e.name.endsWith('.tf')) out.push(`${dir}/${e.name}`);
      } catch {
        // A folder the manifest names but that is gone: the module is simply not evaluated.
      }
    }),
  );
  return out.sort();
}
