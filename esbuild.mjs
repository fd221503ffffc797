// Bundles the extension: dist/client.js (VS Code side), dist/server.js (language server), dist/cli.js (command line).
// Usage: node esbuild.mjs [--production] [--watch]
import { chmodSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = dirname(fileURLToPath(import.meta.url));
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints errors in the format of VS Code's `$esbuild-watch` problem matcher (from esbuild-sample). */
const problemMatcher = {
  name: 'esbuild-problem-matcher',
  setup(build) {
    build.onStart(() => {
      if (watch) console.log('[watch] build started');
    });
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      for (const { text, location } of result.warnings) {
        console.warn(`▲ [WARNING] ${text}`);
        if (location) console.warn(`    ${location.file}:${location.line}:${location.column}:`);
      }
      if (watch) console.log('[watch] build finished');
    });
  },
};

const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: !production,
  sourcesContent: false,
  minify: production,
  logLevel: 'silent',
  plugins: [problemMatcher],
};

const entries = [
  { entryPoints: [join(root, 'client/src/extension.ts')], outfile: join(root, 'dist/client.js'), external: ['vscode'] },
  { entryPoints: [join(root, 'server/src/server.ts')], outfile: join(root, 'dist/server.js') },
];

const cli = join(root, 'server/src/cli.ts');
if (existsSync(cli)) entries.push({ entryPoints: [cli], outfile: join(root, 'dist/cli.js'), banner: { js: '#!/usr/bin/env node' } });
else console.warn('esbuild: server/src/cli.ts does not exist yet; dist/cli.js is not built.');

const contexts = await Promise.all(entries.map((e) => esbuild.context({ ...common, ...e })));
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  try {
    const results = await Promise.allSettled(contexts.map((c) => c.rebuild()));
    const failed = results.filter((r) => r.status === 'rejected');
    if (failed.length > 0) process.exitCode = 1;
    else if (existsSync(cli)) chmodSync(join(root, 'dist/cli.js'), 0o755);
  } finally {
    await Promise.all(contexts.map((c) => c.dispose()));
  }
}
