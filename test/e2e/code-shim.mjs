#!/usr/bin/env node
// A stand-in "VS Code executable" (adapted from /work/shared/tools/e2e/reference/e2e/code-shim.mjs).
//
// Give it as `vscodeExecutablePath` to @vscode/test-electron's runTests() or as `useInstallation.fromPath`
// to @vscode/test-cli: it accepts the desktop CLI flags those tools pass and runs the extension tests in
// code-server's node extension host, driven by headless Debian chromium through playwright-core. The web
// workbench reads extensionDevelopmentPath + extensionTestsPath from the URL's `payload`, loads the
// extension, calls the test runner's run(), then calls window.codeAutomationExit(code).
// Exit code = the runner's exit code; 1 on any error; 124 on the overall timeout.
// The environment reaches the extension host (so test-cli's VSCODE_TEST_OPTIONS reaches its runner).
//
// Env: CODE_SERVER (default: the copy scripts/setup-e2e.sh installs, else code-server on PATH),
//      CHROMIUM (default /usr/bin/chromium), SHIM_TIMEOUT_MS (overall deadline, default 300000),
//      SHIM_VERBOSE=1 (echo the browser console), SHIM_ARTIFACTS (folder for a screenshot on failure/timeout).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import util from 'node:util';

const CS_VERSION = '4.100.3';
const defaultCodeServer = () => {
  const cache = process.env.E2E_CACHE || path.join(os.homedir(), '.cache', 'iso27017-e2e');
  const p = path.join(cache, `code-server-${CS_VERSION}`, 'node_modules', '.bin', 'code-server');
  return fs.existsSync(p) ? p : 'code-server';
};
const CS = process.env.CODE_SERVER || defaultCodeServer();
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const TIMEOUT_MS = Number(process.env.SHIM_TIMEOUT_MS || 300000);
const t0 = Date.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const say = (m) => process.stderr.write(`[code-shim ${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}\n`);

// ---- parse the desktop-style argv ----
const devPaths = [];
let testsPath; let userData; let extDir; const positional = [];
const argv = process.argv.slice(2);
const VALUE_FLAGS = new Set(['--extensionDevelopmentPath', '--extensionTestsPath', '--user-data-dir', '--extensions-dir', '--locale', '--log']);
for (let i = 0; i < argv.length; i++) {
  let a = argv[i]; let v;
  if (a.startsWith('--') && a.includes('=')) { v = a.slice(a.indexOf('=') + 1); a = a.slice(0, a.indexOf('=')); }
  else if (VALUE_FLAGS.has(a)) { v = argv[++i]; }
  if (a === '--extensionDevelopmentPath') devPaths.push(path.resolve(v));
  else if (a === '--extensionTestsPath') testsPath = path.resolve(v);
  else if (a === '--user-data-dir') userData = path.resolve(v);
  else if (a === '--extensions-dir') extDir = path.resolve(v);
  else if (a === '--version' || a === '-v') { console.log(`1.100.3\ncode-shim (code-server ${CS_VERSION})\nx64`); process.exit(0); }
  else if (a.startsWith('-')) { /* --no-sandbox, --disable-updates, --skip-welcome, --disable-extensions … : ignored */ }
  else positional.push(path.resolve(a));
}
if (!testsPath || !devPaths.length) { say('need --extensionDevelopmentPath and --extensionTestsPath'); process.exit(2); }

let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch (e) {
  say(`playwright-core is not installed (${e.message}); run \`npm ci\` and scripts/setup-e2e.sh`);
  process.exit(1);
}
if (!fs.existsSync(CHROMIUM)) { say(`no Chromium at ${CHROMIUM}; run scripts/setup-e2e.sh (or set CHROMIUM)`); process.exit(1); }

const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'code-shim-'));
userData ||= path.join(runDir, 'user-data');
extDir ||= path.join(runDir, 'extensions');
fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
fs.mkdirSync(extDir, { recursive: true });
const settingsFile = path.join(userData, 'User', 'settings.json');
if (!fs.existsSync(settingsFile)) {
  fs.writeFileSync(settingsFile, JSON.stringify({
    'security.workspace.trust.enabled': false, 'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false, 'extensions.autoUpdate': false, 'extensions.ignoreRecommendations': true,
    'git.enabled': false, 'update.mode': 'none', 'workbench.tips.enabled': false,
  }, null, 2));
}

const port = await new Promise((res, rej) => { const s = net.createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); }); s.on('error', rej); });
const csLogPath = path.join(runDir, 'code-server.log');
const csLog = fs.openSync(csLogPath, 'w');
const env = { ...process.env }; delete env.ELECTRON_RUN_AS_NODE;
const cs = spawn(CS, ['--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check',
  '--disable-workspace-trust', '--user-data-dir', userData, '--extensions-dir', extDir],
  { stdio: ['ignore', csLog, csLog], detached: true, env });
let csExited = false;
cs.on('error', (e) => { csExited = true; say(`cannot start code-server (${CS}): ${e.message}; run scripts/setup-e2e.sh or set CODE_SERVER`); });
cs.on('exit', (c, s) => { csExited = true; if (!stopping) say(`code-server exited early (${c ?? s}); log: ${csLogPath}`); });
say(`code-server ${CS} pid ${cs.pid} on 127.0.0.1:${port} (log ${csLogPath})`);

let ctx; let code = 1; let stopping = false; let page;
const stop = async () => {
  stopping = true;
  try { await ctx?.close(); } catch { /* already gone */ }
  try { process.kill(-cs.pid, 'SIGTERM'); } catch { /* already gone */ }
};
const shoot = async (name) => {
  const dir = process.env.SHIM_ARTIFACTS;
  if (!dir || !page) return;
  try { fs.mkdirSync(dir, { recursive: true }); await page.screenshot({ path: path.join(dir, name), timeout: 10000 }); say(`screenshot ${path.join(dir, name)}`); } catch { /* best effort */ }
};
process.on('SIGINT', async () => { await stop(); process.exit(130); });
process.on('SIGTERM', async () => { await stop(); process.exit(143); });
const overall = setTimeout(async () => {
  say(`TIMEOUT: no result from the extension tests after ${TIMEOUT_MS} ms (SHIM_TIMEOUT_MS); the extension host hung or never ran the tests. code-server log: ${csLogPath}`);
  await shoot('code-shim-timeout.png');
  await stop();
  process.exit(124);
}, TIMEOUT_MS);
overall.unref();

try {
  for (let i = 0; ; i++) {
    if (csExited) throw new Error(`code-server is not running; log: ${csLogPath}\n${fs.readFileSync(csLogPath, 'utf8').slice(-2000)}`);
    try { if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break; } catch { /* not up yet */ }
    if (i > 600) throw new Error(`code-server did not answer /healthz within 60 s; log: ${csLogPath}`);
    await sleep(100);
  }
  say('code-server healthy');
  ctx = await chromium.launchPersistentContext(path.join(runDir, 'chromium-profile'), {
    executablePath: CHROMIUM, headless: true, viewport: { width: 1200, height: 800 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  page = ctx.pages()[0] ?? await ctx.newPage();
  page.on('pageerror', (e) => say(`pageerror ${e.message}`));
  if (process.env.SHIM_VERBOSE) page.on('console', (m) => say(`browser:${m.type()} ${m.text().slice(0, 300)}`));
  let resolveExit; const exited = new Promise((r) => { resolveExit = r; });
  await page.exposeFunction('codeAutomationExit', (c) => resolveExit(c));
  // The extension host's console (mocha's reporter included) arrives here.
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const line = util.format(...(args || []));
    if (/^(Creating a socket|Resolving connection token|Resolved connection token|\[Service Worker\]|ChatSessionStore|Updating additional builtin)/.test(line)) return;
    if (/ENOTFOUND|open-vsx\.org|getaddrinfo/.test(line)) return; // gallery lookups fail offline; harmless
    (type === 'error' ? console.error : console.log)(line);
  });
  const authority = `127.0.0.1:${port}`;
  const remote = (p) => `vscode-remote://${authority}${p.split(path.sep).map(encodeURIComponent).join('/')}`;
  const payload = JSON.stringify([
    ...devPaths.map((p) => ['extensionDevelopmentPath', remote(p)]),
    ['extensionTestsPath', remote(testsPath)],
    ['skipWelcome', 'true'],
  ]);
  const target = positional[0];
  let q;
  if (!target) q = 'ew=true';
  else if (target.endsWith('.code-workspace')) q = `workspace=${encodeURIComponent(target)}`;
  else q = `folder=${encodeURIComponent(target)}`;
  await page.goto(`http://${authority}/?${q}&payload=${encodeURIComponent(payload)}`);
  say('workbench loading; the extension tests run in its extension host');
  const r = await exited;
  say(`extension tests finished with exit code ${r}`);
  if (r !== 0) await shoot('code-shim-failed.png');
  code = r === 0 ? 0 : 1;
} catch (e) {
  say(`error: ${e && (e.stack || e)}`);
  await shoot('code-shim-error.png');
} finally {
  clearTimeout(overall);
  await stop();
  process.exit(code);
}
