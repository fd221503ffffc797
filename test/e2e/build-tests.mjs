// Bundles the extension-host tests: test/e2e/suite/*.ts -> out/test/e2e/suite/*.js (CommonJS, like the extension).
// `vscode` comes from the extension host and `mocha` from node_modules at run time.
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const suite = join(root, 'test', 'e2e', 'suite');
const outdir = join(root, 'out', 'test', 'e2e', 'suite');
const entryPoints = readdirSync(suite).filter((f) => f === 'index.ts' || f.endsWith('.test.ts')).map((f) => join(suite, f));
rmSync(outdir, { recursive: true, force: true });
await esbuild.build({
  entryPoints,
  outdir,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',
  sourcesContent: false,
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});
console.log(`e2e: bundled ${entryPoints.length} files into ${outdir}`);
