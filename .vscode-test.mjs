// @vscode/test-cli configuration (`npx vscode-test`): runs the extension-host suite (test/e2e/suite/*.test.ts,
// bundled by test/e2e/build-tests.mjs) in desktop VS Code, which test-cli downloads into .vscode-test/ (needs the
// internet and a display; on a headless Linux box use xvfb-run). Build first:
//   npm run build && node test/e2e/build-tests.mjs && npx vscode-test
// Offline, the same suite runs unchanged in code-server through the shim:
//   ISO27017_E2E_SHIM=1 npx vscode-test        (or `npm run test:e2e`, which uses @vscode/test-electron's runTests)
// Never set `installExtensions` here: it downloads VS Code even with the shim.
import { defineConfig } from '@vscode/test-cli';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
// The tests edit and delete files: every run gets a fresh copy of the example project.
const runDir = mkdtempSync(join(tmpdir(), 'iso27017-vscode-test-'));
const workspace = join(runDir, 'terraform-aws');
cpSync(join(root, 'examples', 'terraform-aws'), workspace, { recursive: true });
const shim = process.env.ISO27017_E2E_SHIM === '1';

export default defineConfig({
  label: 'extension-host',
  files: 'out/test/e2e/suite/*.test.js',
  workspaceFolder: workspace,
  // A fresh profile per run (and nothing written into .vscode-test/ but the downloaded VS Code).
  launchArgs: ['--disable-extensions', `--user-data-dir=${join(runDir, 'user-data')}`, `--extensions-dir=${join(runDir, 'extensions')}`],
  mocha: { ui: 'bdd', timeout: 120_000, color: false },
  ...(shim ? { useInstallation: { fromPath: join(root, 'test', 'e2e', 'code-shim.mjs') } } : { version: process.env.VSCODE_VERSION || 'stable' }),
});
