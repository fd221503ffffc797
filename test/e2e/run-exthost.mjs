// Runs the extension-host tests (out/test/e2e/suite, built by test/e2e/build-tests.mjs) with
// @vscode/test-electron's runTests() on a fresh copy of examples/terraform-aws.
//
// By default `vscodeExecutablePath` is test/e2e/code-shim.mjs (code-server + headless Chromium; no download).
// E2E_DESKTOP=1 lets test-electron download and use desktop VS Code instead (needs the internet and a display,
// e.g. xvfb-run), running the same suite unchanged.
//
// Env: ISO27017_E2E_EXTENSION (extension folder, default the repository root), ISO27017_E2E_GREP (mocha grep),
//      E2E_DESKTOP, VSCODE_VERSION (with E2E_DESKTOP; default the engines.vscode minimum), SHIM_TIMEOUT_MS.
import { runTests } from '@vscode/test-electron';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const extensionDevelopmentPath = path.resolve(process.env.ISO27017_E2E_EXTENSION || root);
const extensionTestsPath = path.join(root, 'out', 'test', 'e2e', 'suite', 'index.js');
const shim = path.join(root, 'test', 'e2e', 'code-shim.mjs');
const artifacts = path.join(root, 'test-results', 'e2e', 'exthost');
const t0 = Date.now();

if (!fs.existsSync(extensionTestsPath)) {
  console.error(`run-exthost: ${extensionTestsPath} is missing; run \`node test/e2e/build-tests.mjs\` first`);
  process.exit(1);
}
if (!fs.existsSync(path.join(extensionDevelopmentPath, 'dist', 'client.js'))) {
  console.error(`run-exthost: ${extensionDevelopmentPath}/dist/client.js is missing; run \`npm run build\` first`);
  console.log('  0 passing\n  1 failing');
  process.exit(1);
}

// A fresh copy of the example project for every run: the tests edit, delete files and write .vscode/settings.json.
const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'iso27017-exthost-'));
const workspace = path.join(runDir, 'terraform-aws');
fs.cpSync(path.join(root, 'examples', 'terraform-aws'), workspace, { recursive: true });
const resultsFile = path.join(runDir, 'results.json');
fs.mkdirSync(artifacts, { recursive: true });

const desktop = process.env.E2E_DESKTOP === '1';
console.log(`run-exthost: ${desktop ? 'desktop VS Code (download)' : 'code-server via test/e2e/code-shim.mjs'}; workspace ${workspace}`);

let code = 1;
try {
  code = await runTests({
    ...(desktop
      ? { version: process.env.VSCODE_VERSION || JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).engines.vscode.replace(/^[\^~]/, '') }
      : { vscodeExecutablePath: shim }),
    extensionDevelopmentPath,
    extensionTestsPath,
    launchArgs: [workspace, '--disable-extensions', `--user-data-dir=${path.join(runDir, 'user-data')}`, `--extensions-dir=${path.join(runDir, 'extensions')}`],
    extensionTestsEnv: {
      ISO27017_E2E_RESULTS: resultsFile,
      SHIM_ARTIFACTS: artifacts,
      ...(process.env.ISO27017_E2E_GREP ? { ISO27017_E2E_GREP: process.env.ISO27017_E2E_GREP } : {}),
    },
  });
} catch (e) {
  console.error(`run-exthost: ${e && e.message ? e.message : e}`);
  code = 1;
}

if (!fs.existsSync(resultsFile)) {
  // The runner never reported (extension host crashed, hung or the shim failed): count it as one failure,
  // in mocha's words, so that CI's count of failing tests includes it.
  console.log('\nrun-exthost: the extension-host test runner reported no results (see the messages above).');
  console.log('  0 passing');
  console.log('  1 failing');
  code = code === 0 ? 1 : code;
}
console.log(`run-exthost: exit ${code} after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
if (process.env.ISO27017_E2E_KEEP === '1') console.log(`run-exthost: kept ${runDir}`);
else fs.rmSync(runDir, { recursive: true, force: true });
process.exit(code);
