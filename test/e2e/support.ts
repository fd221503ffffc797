// Shared by the e2e tests that run in plain Node (vsix.test.ts, ui.test.ts): paths, code-server, ports, zip reading.

import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { inflateRawSync } from 'node:zlib';

export const repoRoot = resolve(__dirname, '..', '..');
export const CODE_SERVER_VERSION = '4.100.3';
/** Screenshots and other artifacts (git-ignored). */
export const resultsDir = join(repoRoot, 'test-results', 'e2e');

export function packageJson(): { name: string; version: string; publisher: string; main: string; engines: Record<string, string> } {
  return JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
}

/** The .vsix that `npm run package` writes (or $VSIX). */
export function vsixPath(): string {
  if (process.env.VSIX) return resolve(process.env.VSIX);
  const p = packageJson();
  return join(repoRoot, `${p.name}-${p.version}.vsix`);
}

/** $CODE_SERVER, else the copy scripts/setup-e2e.sh installs, else `code-server` on PATH. */
export function codeServerPath(): string {
  if (process.env.CODE_SERVER) return process.env.CODE_SERVER;
  const cache = process.env.E2E_CACHE || join(homedir(), '.cache', 'iso27017-e2e');
  const p = join(cache, `code-server-${CODE_SERVER_VERSION}`, 'node_modules', '.bin', 'code-server');
  return existsSync(p) ? p : 'code-server';
}

export const chromiumPath = (): string => process.env.CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => res(port));
    });
    s.on('error', rej);
  });
}

/** Polls `cond` every 100 ms until it returns a truthy value; throws `Timed out after N s waiting for <what>`. */
export async function pollUntil<T>(cond: () => Promise<T | undefined | false> | T | undefined | false, ms: number, what: string): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await cond();
    if (v) return v;
    if (Date.now() > end) throw new Error(`Timed out after ${ms / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface ZipEntry {
  name: string;
  read(): Buffer;
}

/** The entries of a zip file (a .vsix), read with node:zlib only. */
export function readZip(file: string): ZipEntry[] {
  const buf = readFileSync(file);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${file} is not a zip file`);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`${file}: bad central directory`);
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    entries.push({
      name,
      read: () => {
        const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
        const data = buf.subarray(start, start + size);
        return method === 0 ? Buffer.from(data) : inflateRawSync(data);
      },
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

// ---- the user seat: code-server + Chromium (used by ui-fixes.test.ts; ui.test.ts has its own copy inline) ----

/** The user settings of the user-seat profiles: no tips, no trust prompt, no animations (screenshots). */
export const UI_USER_SETTINGS: Record<string, unknown> = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.commandCenter.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'editor.minimap.enabled': false,
  'editor.hover.delay': 200,
  'workbench.reduceMotion': 'on', // no fade-in: screenshots show finished hovers and menus
};

export interface Workbench {
  /** Temporary folder of the run: user data, extensions, the workspace copy, code-server.log. */
  runDir: string;
  /** The copy of examples/terraform-aws that is open. */
  workspace: string;
  page: import('playwright-core').Page;
  /** Takes a screenshot `<prefix>NN-<name>.png` into `shotsDir`; resolves with its path. */
  shot(name: string): Promise<string>;
  /** Closes Chromium, ends code-server (its process group) and removes `runDir` (unless ISO27017_E2E_KEEP=1). */
  close(): Promise<void>;
}

/**
 * Installs the .vsix into a fresh code-server profile, starts code-server on a copy of examples/terraform-aws and opens
 * it in headless Chromium (1280×800); resolves once the Explorer lists main.tf. `prepare` may change the copy first.
 */
export async function launchWorkbench(opts: { shotsDir: string; shotPrefix?: string; prepare?: (workspace: string) => void }): Promise<Workbench> {
  const { spawn, spawnSync, execFileSync } = await import('node:child_process');
  const { cpSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const vsix = vsixPath();
  if (!existsSync(vsix)) throw new Error(`${vsix} does not exist: run \`npm run package\` first`);
  const codeServer = codeServerPath();
  if (spawnSync(codeServer, ['--version'], { timeout: 60_000 }).status !== 0) throw new Error(`code-server does not run (${codeServer}): run scripts/setup-e2e.sh`);
  if (!existsSync(chromiumPath())) throw new Error(`no Chromium at ${chromiumPath()}: run scripts/setup-e2e.sh`);
  mkdirSync(opts.shotsDir, { recursive: true });

  const runDir = mkdtempSync(join(tmpdir(), 'iso27017-ui-'));
  const userData = join(runDir, 'user-data');
  const extensions = join(runDir, 'extensions');
  const workspace = join(runDir, 'terraform-aws');
  cpSync(join(repoRoot, 'examples', 'terraform-aws'), workspace, { recursive: true });
  opts.prepare?.(workspace);
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify(UI_USER_SETTINGS, null, 2));
  execFileSync(codeServer, ['--user-data-dir', userData, '--extensions-dir', extensions, '--install-extension', vsix], { stdio: 'pipe', timeout: 120_000 });

  const port = await freePort();
  const log = openSync(join(runDir, 'code-server.log'), 'w');
  const cs = spawn(
    codeServer,
    ['--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--user-data-dir', userData, '--extensions-dir', extensions, workspace],
    { stdio: ['ignore', log, log], detached: true },
  );
  // code-server runs in its own process group: end it with us, also when a timeout kills mocha.
  const pid = cs.pid;
  const killServer = (): void => {
    try {
      if (pid) process.kill(-pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  };
  process.once('exit', killServer);
  let ctx: import('playwright-core').BrowserContext | undefined;
  const close = async (): Promise<void> => {
    await ctx?.close().catch(() => undefined);
    killServer();
    if (process.env.ISO27017_E2E_KEEP !== '1') rmSync(runDir, { recursive: true, force: true });
    else console.log(`      kept ${runDir}`);
  };
  try {
    await pollUntil(async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.ok, 60_000, `code-server /healthz (log ${runDir}/code-server.log)`);
    const { chromium } = await import('playwright-core');
    ctx = await chromium.launchPersistentContext(join(runDir, 'chromium-profile'), { executablePath: chromiumPath(), headless: true, viewport: { width: 1280, height: 800 }, args: CHROMIUM_ARGS });
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    page.setDefaultTimeout(30_000);
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'main.tf' }).first().waitFor({ timeout: 60_000 });
    let n = 0;
    const shot = async (name: string): Promise<string> => {
      const file = join(opts.shotsDir, `${opts.shotPrefix ?? ''}${String(++n).padStart(2, '0')}-${name}.png`);
      await page.screenshot({ path: file, animations: 'disabled' });
      return file;
    };
    return { runDir, workspace, page, shot, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/**
 * Moves the cursor of the active editor to a 1-based line (and 1-based column, if given) with Go to Line (Ctrl+G),
 * which also scrolls it into view.
 */
export async function goToLine(page: import('playwright-core').Page, line: number, column?: number): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  // Seen once in many runs: the Go to Line box took Enter before it had read the typed line and stayed open.
  // Each attempt is bounded; a box that does not close is dismissed and the whole step is tried again.
  for (let attempt = 1; ; attempt++) {
    try {
      await page.keyboard.press('Control+G');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill(column === undefined ? `:${line}` : `:${line}:${column}`);
      await page.keyboard.press('Enter');
      await input.waitFor({ state: 'hidden', timeout: 10_000 });
      break;
    } catch (e) {
      await page.keyboard.press('Escape').catch(() => undefined);
      if (attempt >= 3) throw new Error(`Go to line ${line} did not complete in ${attempt} attempts: ${(e as Error).message}`);
    }
  }
  await page.locator('.editor-instance .monaco-editor .margin-view-overlays .active-line-number', { hasText: new RegExp(`^${line}$`) }).waitFor();
}

/**
 * Squiggle classes (`squiggly-error`, …) per visible 1-based line of the active editor, from the DOM: the
 * `.view-overlays` rows (squiggles) and the `.margin-view-overlays` rows (line numbers) share their `top`.
 */
export function squigglesByLine(page: import('playwright-core').Page): Promise<Record<number, string[]>> {
  // A string, evaluated in the page: this project compiles without the DOM library.
  return page.evaluate(`(() => {
    const editor = document.querySelector('.editor-instance .monaco-editor');
    const out = {};
    if (!editor) return out;
    const lineAtTop = new Map();
    for (const div of editor.querySelectorAll('.margin-view-overlays > div')) {
      const n = Number(div.querySelector('.line-numbers')?.textContent?.trim());
      if (n) lineAtTop.set(div.style.top, n);
    }
    for (const div of editor.querySelectorAll('.view-overlays > div')) {
      const n = lineAtTop.get(div.style.top);
      if (!n) continue;
      out[n] = [...div.querySelectorAll('[class*="squiggly-"]')].flatMap((e) => [...e.classList].filter((c) => c.startsWith('squiggly-')));
    }
    return out;
  })()`);
}

/** The screen box of the first squiggle on a visible 1-based line of the active editor, or undefined. */
export async function squiggleBox(page: import('playwright-core').Page, line: number): Promise<{ x: number; y: number; width: number; height: number } | undefined> {
  const box = await page.evaluate(`(() => {
    const editor = document.querySelector('.editor-instance .monaco-editor');
    if (!editor) return null;
    let top;
    for (const div of editor.querySelectorAll('.margin-view-overlays > div')) {
      if (Number(div.querySelector('.line-numbers')?.textContent?.trim()) === ${line}) top = div.style.top;
    }
    for (const div of editor.querySelectorAll('.view-overlays > div')) {
      if (div.style.top !== top) continue;
      const s = div.querySelector('[class*="squiggly-"]');
      if (!s) return null;
      const r = s.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    }
    return null;
  })()`);
  return (box as { x: number; y: number; width: number; height: number } | null) ?? undefined;
}

/** The text of a visible 1-based line of the active editor (non-breaking spaces as spaces), or undefined. */
export async function editorLineText(page: import('playwright-core').Page, line: number): Promise<string | undefined> {
  const text = await page.evaluate(`(() => {
    const editor = document.querySelector('.editor-instance .monaco-editor');
    if (!editor) return null;
    let top;
    for (const div of editor.querySelectorAll('.margin-view-overlays > div')) {
      if (Number(div.querySelector('.line-numbers')?.textContent?.trim()) === ${line}) top = div.style.top;
    }
    for (const div of editor.querySelectorAll('.view-lines > .view-line')) {
      if (div.style.top === top) return div.textContent;
    }
    return null;
  })()`);
  return typeof text === 'string' ? text.replace(/\u00a0/g, ' ') : undefined;
}
