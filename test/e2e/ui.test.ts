// From the user's seat: the packaged .vsix installed into code-server (VS Code 1.100 in the browser), a copy of
// examples/terraform-aws open, headless Chromium driven by playwright-core. Everything is asserted from the screen.
// Screenshots of every step: test-results/e2e/ui/. Needs scripts/setup-e2e.sh and `npm run package` first.
//
// Env: VSIX, CODE_SERVER, CHROMIUM (see support.ts); E2E_UPDATE_SCREENSHOT=1 copies the Problems screenshot to
// media/screenshot-problems.png (the README's picture) and the Controls view with a control page to
// media/screenshot-controls.png.

import * as assert from 'node:assert';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Frame, Locator, Page } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath, codeServerPath, freePort, goToLine as goToLineIn, packageJson, pollUntil, repoRoot, resultsDir, squiggleBox as squiggleBoxIn, squigglesByLine as squigglesByLineIn, vsixPath } from './support';

/** Deadline for the first diagnostics (cold start: workbench, extension host, server, workspace scan). */
const FIRST_DIAGNOSTICS_MS = 90_000;
/** Deadline for any other single UI step. */
const STEP_MS = 30_000;
const EXTENSION_ID = `${packageJson().publisher}.${packageJson().name}`;
const SHOTS = join(resultsDir, 'ui');

interface Finding {
  ruleId: string;
  severity: 'error' | 'warning' | 'info' | 'hint';
  message: string;
  file: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  controls: string[];
  resource?: { address: string };
}

describe('user seat: the packaged extension in code-server (playwright-core)', function () {
  let runDir: string;
  let workspace: string;
  let cs: ChildProcess | undefined;
  let ctx: BrowserContext | undefined;
  let page: Page;
  let findings: Finding[];
  let summary: Record<string, number>;
  let diagnosticsSeen = false;
  let shotNo = 0;

  const shot = async (name: string): Promise<string> => {
    const file = join(SHOTS, `${String(++shotNo).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path: file, animations: 'disabled' });
    return file;
  };
  const needDiagnostics = (): void => {
    if (!diagnosticsSeen) throw new Error('No diagnostics reached the editor (see the first failure); not waiting again.');
  };

  before(async function () {
    this.timeout(240_000);
    rmSync(SHOTS, { recursive: true, force: true });
    mkdirSync(SHOTS, { recursive: true });
    const vsix = vsixPath();
    if (!existsSync(vsix)) throw new Error(`${vsix} does not exist: run \`npm run package\` first`);
    const codeServer = codeServerPath();
    if (spawnSync(codeServer, ['--version'], { timeout: 60_000 }).status !== 0) throw new Error(`code-server does not run (${codeServer}): run scripts/setup-e2e.sh`);
    if (!existsSync(chromiumPath())) throw new Error(`no Chromium at ${chromiumPath()}: run scripts/setup-e2e.sh`);

    runDir = mkdtempSync(join(tmpdir(), 'iso27017-ui-'));
    const userData = join(runDir, 'user-data');
    const extensions = join(runDir, 'extensions');
    workspace = join(runDir, 'terraform-aws');
    cpSync(join(repoRoot, 'examples', 'terraform-aws'), workspace, { recursive: true });
    mkdirSync(join(userData, 'User'), { recursive: true });
    writeFileSync(
      join(userData, 'User', 'settings.json'),
      JSON.stringify(
        {
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
        },
        null,
        2,
      ),
    );

    // The expected findings come from the CLI, which runs the same engine over the same files.
    const scan = spawnSync(process.execPath, [join(repoRoot, 'dist', 'cli.js'), 'scan', workspace, '--format', 'json'], { encoding: 'utf8', timeout: 60_000 });
    let report: { findings: Finding[]; summary: Record<string, number> };
    try {
      report = JSON.parse(scan.stdout);
    } catch {
      throw new Error(`\`node dist/cli.js scan --format json\` printed no report (exit ${scan.status}): ${(scan.stderr || '').split('\n').filter((l) => !/^\s*at /.test(l)).slice(-8).join('\n').slice(-800)}`);
    }
    findings = report.findings;
    summary = report.summary;

    execFileSync(codeServer, ['--user-data-dir', userData, '--extensions-dir', extensions, '--install-extension', vsix], { stdio: 'pipe', timeout: 120_000 });

    const port = await freePort();
    const log = openSync(join(runDir, 'code-server.log'), 'w');
    cs = spawn(
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
    for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, () => (killServer(), process.exit(sig === 'SIGINT' ? 130 : 143)));
    await pollUntil(async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.ok, 60_000, `code-server /healthz (log ${runDir}/code-server.log)`);

    const { chromium } = await import('playwright-core');
    ctx = await chromium.launchPersistentContext(join(runDir, 'chromium-profile'), {
      executablePath: chromiumPath(),
      headless: true,
      viewport: { width: 1280, height: 800 },
      args: CHROMIUM_ARGS,
    });
    page = ctx.pages()[0] ?? (await ctx.newPage());
    page.setDefaultTimeout(STEP_MS);
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'main.tf' }).first().waitFor({ timeout: 60_000 });
    await shot('workbench');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      await page.screenshot({ path: join(SHOTS, `failed-${(this.currentTest.title || 'test').replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}.png`) }).catch(() => undefined);
    }
  });

  after(async function () {
    this.timeout(30_000);
    await ctx?.close().catch(() => undefined);
    if (cs?.pid) {
      try {
        process.kill(-cs.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
    }
    if (runDir && process.env.ISO27017_E2E_KEEP !== '1') rmSync(runDir, { recursive: true, force: true });
  });

  /** Moves the cursor to a 1-based line with Go to Line (Ctrl+G), which also scrolls it into the middle. */
  const goToLine = (line: number): Promise<void> => goToLineIn(page, line);

  /** Squiggle classes per visible 1-based line of the active editor, read from the DOM. */
  const squigglesByLine = (): Promise<Record<number, string[]>> => squigglesByLineIn(page);

  /** The screen box of the first squiggle on a visible 1-based line of the active editor. */
  async function squiggleBox(line: number): Promise<{ x: number; y: number; width: number; height: number }> {
    const box = await squiggleBoxIn(page, line);
    assert.ok(box, `a squiggle on line ${line} is on screen`);
    return box;
  }

  /** Goes to the line of a finding of the active editor and hovers its squiggle; resolves with the visible hover. */
  async function hoverFinding(f: Finding): Promise<Locator> {
    await goToLine(f.range.start.line + 1);
    const box = await squiggleBox(f.range.start.line + 1);
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2 - 4; // the squiggle is drawn at the bottom of the text
    const hover = page.locator('.monaco-hover:visible', { hasText: f.ruleId });
    await pollUntil(
      async () => {
        await page.mouse.move(x, y + 1);
        await page.mouse.move(x + 2, y);
        return (await hover.count()) > 0 && (await hover.first().isVisible());
      },
      STEP_MS,
      `a hover naming ${f.ruleId}`,
    );
    return hover.first();
  }

  it('installs the packaged .vsix into code-server', () => {
    const out = execFileSync(codeServerPath(), ['--user-data-dir', join(runDir, 'user-data'), '--extensions-dir', join(runDir, 'extensions'), '--list-extensions', '--show-versions'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.ok(out.includes(`${EXTENSION_ID}@${packageJson().version}`), `installed extensions:\n${out}`);
  });

  /** Opens the root main.tf with Quick Open (Ctrl+P), as a user would. */
  async function quickOpenMainTf(): Promise<void> {
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill('main.tf');
    // Both main.tf and modules/logs-bucket/main.tf match: pick the one at the root.
    const rows = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'main.tf' });
    await rows.first().waitFor();
    const texts = await rows.allInnerTexts();
    const index = texts.findIndex((t) => !t.includes('modules'));
    assert.ok(index >= 0, `Quick Open rows: ${JSON.stringify(texts)}`);
    await rows.nth(index).click();
    await page.locator('.tabs-container .tab.active', { hasText: 'main.tf' }).waitFor();
    await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor();
  }

  it('opens main.tf via Quick Open', async () => {
    await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } });
    await quickOpenMainTf();
    await page.locator('.editor-instance .monaco-editor .view-lines', { hasText: 'An example AWS project' }).waitFor();
    await shot('main-tf-open');
  });

  it('shows squiggles on exactly the lines of the findings, with their severity', async function () {
    this.timeout(FIRST_DIAGNOSTICS_MS + 60_000);
    const inMain = findings.filter((f) => f.file === 'main.tf');
    assert.ok(inMain.length > 5, `the CLI finds problems in main.tf (${inMain.length})`);
    // Only the lines on screen are in the DOM: bring the first finding's line up, then wait for its squiggle.
    await goToLine(inMain[0]!.range.start.line + 1);
    await page
      .locator('.editor-instance .monaco-editor [class*="squiggly-"]')
      .first()
      .waitFor({ state: 'attached', timeout: FIRST_DIAGNOSTICS_MS })
      .catch(async () => {
        const status = await page.locator('#status\\.problems').getAttribute('aria-label').catch(() => null);
        // Notifications that are not shown as toasts any more wait in the notification center (the bell).
        await page.locator('#status\\.notifications').click({ timeout: 5000 }).catch(() => undefined);
        await page.locator('.notifications-center .notification-list-item-message').first().waitFor({ timeout: 5000 }).catch(() => undefined);
        const notes = await page.locator('.notification-list-item-message').allInnerTexts().catch(() => []);
        throw new Error(
          `No squiggle within ${FIRST_DIAGNOSTICS_MS / 1000} s on line ${inMain[0]!.range.start.line + 1} of main.tf (${inMain[0]!.ruleId}). ` +
            `Status bar: ${status ?? '?'}. Notifications: ${notes.length ? notes.join(' | ') : '(none)'}`,
        );
      });
    diagnosticsSeen = true;
    await shot('first-squiggles');

    const expectedClass: Record<string, string> = { error: 'squiggly-error', warning: 'squiggly-warning', info: 'squiggly-info', hint: 'squiggly-hint' };
    const want = new Map<number, Set<string>>(); // 1-based line -> classes expected on it
    for (const f of inMain) {
      const last = f.range.end.character === 0 && f.range.end.line > f.range.start.line ? f.range.end.line - 1 : f.range.end.line;
      for (let l = f.range.start.line; l <= last; l++) {
        const set = want.get(l + 1) ?? new Set<string>();
        set.add(expectedClass[f.severity]!);
        want.set(l + 1, set);
      }
    }
    const seen = new Map<number, string[]>();
    // Go to lines ~25 apart (a screen shows ~35), so that every line is on screen at some point.
    const lineCount = readFileSync(join(workspace, 'main.tf'), 'utf8').split('\n').length;
    const stops = [...Array.from({ length: Math.ceil(lineCount / 25) }, (_, i) => 1 + i * 25), lineCount];
    for (const line of stops) {
      await goToLine(line);
      // The squiggles of lines that just scrolled in are drawn with the lines: wait until the expected ones are there.
      const visible = await pollUntil(
        async () => {
          const s = await squigglesByLine();
          const ok = Object.keys(s).map(Number).every((l) => [...(want.get(l) ?? [])].every((c) => s[l]!.includes(c)));
          return ok && Object.keys(s).length > 0 ? s : undefined;
        },
        STEP_MS,
        `the squiggles around line ${line}`,
      ).catch(async (e: Error) => {
        throw new Error(`${e.message}; seen ${JSON.stringify(await squigglesByLine())}, expected ${JSON.stringify([...want].map(([l, c]) => [l, [...c]]))}`);
      });
      for (const [l, classes] of Object.entries(visible)) seen.set(Number(l), classes);
    }
    for (const [line, classes] of seen) {
      const expected = [...(want.get(line) ?? [])].sort();
      assert.deepStrictEqual([...new Set(classes)].sort(), expected, `squiggles on line ${line}`);
    }
    console.log(`      checked ${seen.size} lines on screen: ${[...seen].filter(([, c]) => c.length).length} with squiggles, as the CLI predicts`);
    const missed = [...want.keys()].filter((l) => !seen.has(l));
    assert.deepStrictEqual(missed, [], 'every finding line was on screen at some point');
    const firstError = inMain.find((f) => f.severity === 'error') ?? inMain[0]!;
    await goToLine(firstError.range.start.line + 1);
    await shot('squiggles');
  });

  it('lists the findings in the Problems panel: rule id, message with the ISO 27017 control, position', async () => {
    needDiagnostics();
    await goToLine(60);
    await page.keyboard.press('Control+Shift+M');
    const panel = page.locator('.markers-panel');
    await panel.waitFor();
    const rowFor = (f: Finding) => panel.locator('.monaco-list-row', { hasText: f.ruleId }).filter({ hasText: `Ln ${f.range.start.line + 1}` });
    // Errors are listed first; check the first finding of each severity of main.tf.
    const samples = (['error', 'warning', 'info'] as const).map((s) => findings.find((f) => f.file === 'main.tf' && f.severity === s)).filter((f): f is Finding => !!f);
    for (const f of samples.slice(0, 1)) await rowFor(f).first().waitFor();
    const texts: string[] = [];
    for (const f of samples) {
      const row = rowFor(f).first();
      if (!(await row.count())) continue; // below the fold of the panel
      const text = (await row.innerText()).replace(/\s+/g, ' ');
      texts.push(text);
      const control = /\(ISO 27017 [^;)]+/.exec(f.message)![0];
      assert.ok(text.includes(f.ruleId), `row names the rule: ${text}`);
      assert.ok(text.includes(control), `row has the message with "${control}": ${text}`);
      assert.ok(text.includes('iso27017'), `row names the source: ${text}`);
    }
    assert.ok(texts.length >= 1, 'at least one sample row was visible');
    const fileRow = panel.locator('.monaco-list-row', { hasText: 'main.tf' }).first();
    await fileRow.waitFor();
    // The status bar counts every problem of the workspace (the scan covers the files that are not open too).
    let status = '';
    await pollUntil(
      async () => {
        status = (await page.locator('#status\\.problems').getAttribute('aria-label')) ?? '';
        return Number(/Errors: (\d+)/.exec(status)?.[1]) === summary.error && Number(/Warnings: (\d+)/.exec(status)?.[1]) === summary.warning;
      },
      STEP_MS,
      `the status bar to count ${summary.error} errors and ${summary.warning} warnings`,
    ).catch((e: Error) => {
      throw new Error(`${e.message}; it says "${status}"`);
    });
    // Clicking a problem reveals it in the editor, like a user would: the picture shows squiggles and rows together.
    const first = findings.find((f) => f.file === 'main.tf' && f.severity === 'error')!;
    await rowFor(first).first().click();
    await page.locator('.editor-instance .monaco-editor .margin-view-overlays .active-line-number', { hasText: new RegExp(`^${first.range.start.line + 1}$`) }).waitFor();
    const file = await shot('problems-panel');
    if (process.env.E2E_UPDATE_SCREENSHOT === '1') {
      const target = join(repoRoot, 'media', 'screenshot-problems.png');
      copyFileSync(file, target);
      console.log(`      updated ${target} (${Math.round(statSync(target).size / 1024)} KB)`);
    }
  });

  it('shows the rule and its controls when hovering a squiggle', async () => {
    needDiagnostics();
    const acl = findings.find((f) => f.file === 'main.tf' && f.ruleId === 'terraform/s3-bucket-public-acl');
    assert.ok(acl, 'the CLI reports terraform/s3-bucket-public-acl in main.tf');
    await page.keyboard.press('Control+J'); // hide the panel again: more room for the hover
    const hover = await hoverFinding(acl);
    const hoverText = (await hover.innerText()).replace(/\s+/g, ' ');
    assert.ok(hoverText.includes('9.4.1'), `hover names control 9.4.1: ${hoverText}`);
    assert.ok(hoverText.includes('Information access restriction'), `hover has the control title: ${hoverText}`);
    assert.ok(hoverText.includes(`Learn more about ${acl.ruleId}`), `hover links the rule page: ${hoverText}`);
    await shot('hover');
  });

  it('offers the quick fixes of a finding (Ctrl+.)', async () => {
    needDiagnostics();
    await page.keyboard.press('Escape');
    const acl = findings.find((f) => f.file === 'main.tf' && f.ruleId === 'terraform/s3-bucket-public-acl')!;
    const box = await squiggleBox(acl.range.start.line + 1);
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2 - 4);
    await page.keyboard.press('Control+Period');
    const widget = page.locator('.action-widget');
    await widget.locator('.monaco-list-row', { hasText: 'Learn more about terraform/s3-bucket-public-acl' }).first().waitFor();
    const rows = (await widget.locator('.monaco-list-row').allInnerTexts()).map((t) => t.trim());
    assert.ok(rows.some((r) => r.includes('Show control 9.4.1 in catalog')), `quick fixes: ${JSON.stringify(rows)}`);
    await shot('quick-fixes');
    await page.keyboard.press('Escape');
  });

  describe('the Controls view and the control pages', () => {
    /** dist/controls.json: the groups in catalog order and the controls' titles. */
    let catalog: { groups: { id: string; title: string; controls: string[] }[]; controls: { id: string; title: string }[] };
    /** `dist/cli.js rules --format json`: every rule with its title and the controls it evidences. */
    let rules: { id: string; title: string; controls: string[] }[];
    const titleOf = (id: string): string => catalog.controls.find((c) => c.id === id)?.title ?? '?';
    const countOf = (id: string): number => findings.filter((f) => f.controls.includes(id)).length;
    const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;
    const sidebar = () => page.locator('.part.sidebar');
    /** The Controls view's pane: the ISO 27017 container holds other views too (Shared Responsibility). */
    const controlsPane = () => sidebar().locator('.pane').filter({ has: page.locator('.pane-header h3.title', { hasText: /^\s*Controls\s*$/ }) });
    let viewShown = false;
    const needView = (): void => {
      needDiagnostics();
      if (!viewShown) throw new Error('The Controls view did not show (see the first failure); not waiting again.');
    };
    /** The row of the Controls view whose label starts with `label` (a control id, a group label, a rule title). */
    const row = (label: string): Locator =>
      controlsPane()
        .locator('.monaco-list-row')
        .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\s|$)`) }) })
        .first();

    interface Row {
      level: number;
      label: string;
      description: string;
      expanded: string | null;
    }
    /** The rows of the Controls view on screen, from the DOM (label, description, level, expanded), top to bottom. */
    function sidebarRows(): Promise<Row[]> {
      return page.evaluate(`[...([...document.querySelectorAll('.part.sidebar .pane')]
          .find((p) => p.querySelector('.pane-header h3.title')?.textContent.trim() === 'Controls')
          ?.querySelectorAll('.monaco-list-row') ?? [])]
        .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)
        .map((r) => ({
          level: Number(r.getAttribute('aria-level')),
          label: (r.querySelector('.label-name')?.textContent ?? '').trim(),
          description: (r.querySelector('.label-description')?.textContent ?? '').trim(),
          expanded: r.getAttribute('aria-expanded'),
        }))`);
    }

    /** Clicks a collapsed row's twistie (a control row runs its command when the row itself is clicked). */
    async function expand(label: string): Promise<void> {
      const r = row(label);
      await r.waitFor();
      if ((await r.getAttribute('aria-expanded')) === 'true') return;
      await r.locator('.monaco-tl-twistie').click();
      await controlsPane().locator('.monaco-list-row[aria-expanded="true"]', { hasText: label }).first().waitFor();
    }

    /**
     * The frame of a control page. On code-server 1.100 a webview is `iframe.webview.ready` (the host, outside the
     * editor's DOM) holding `iframe#active-frame` (the page); hidden pages keep their frames, so the page is found by
     * its heading, in `page.frames()`.
     */
    async function controlPage(controlId: string): Promise<Frame> {
      return pollUntil(
        async () => {
          for (const f of page.frames()) {
            if (f === page.mainFrame()) continue;
            const h1 = await f.evaluate(`document.querySelector('h1')?.innerText ?? ''`).catch(() => '');
            if (typeof h1 === 'string' && h1.replace(/\s+/g, ' ').startsWith(controlId)) return f;
          }
          return undefined;
        },
        STEP_MS,
        `a webview frame showing the page of control ${controlId} (frames: ${page.frames().map((f) => `${f.name()}|${f.url().slice(0, 200)}|${f.parentFrame()?.name()}`).join(', ')})`,
      );
    }

    /** The text of a control page, once it shows the findings the CLI reports for the control. */
    async function pageText(controlId: string): Promise<string> {
      const frame = await controlPage(controlId);
      const n = countOf(controlId);
      let text = '';
      await pollUntil(
        async () => {
          text = ((await frame.evaluate('document.body.innerText').catch(() => '')) as string).replace(/\s+/g, ' ');
          return text.includes(n > 0 ? plural(n, 'finding') : 'Passing');
        },
        STEP_MS,
        `the page of ${controlId} to count ${n} findings`,
      ).catch((e: Error) => {
        throw new Error(`${e.message}; it shows: ${text.slice(0, 600)}`);
      });
      return text;
    }

    before(function () {
      const read = (args: string[]): string => execFileSync(process.execPath, [join(repoRoot, 'dist', 'cli.js'), ...args], { encoding: 'utf8', timeout: 60_000 });
      catalog = JSON.parse(read(['controls', '--format', 'json']));
      rules = JSON.parse(read(['rules', '--format', 'json']));
    });

    it('shows the Controls view with the clause groups when the ISO 27017 icon in the activity bar is clicked', async () => {
      needDiagnostics();
      await page.keyboard.press('Escape');
      // The icon is `.activitybar .action-item .action-label[aria-label^="ISO 27017"]` (the label goes on with the badge's
      // "- 16 findings in this workspace").
      const item = page.locator('.activitybar .action-item', { has: page.locator('.action-label[aria-label^="ISO 27017"]') });
      // The findings badge lies over the icon and takes the click: click the item the icon and badge are in.
      await item.click();
      await controlsPane().waitFor();
      // The container has other views too (Shared Responsibility): collapse them, so that the Controls view gets the
      // height and its rows are on screen (only those are in the DOM).
      const others = sidebar()
        .locator('.pane-header[aria-expanded="true"]')
        .filter({ hasNot: page.locator('h3.title', { hasText: /^\s*Controls\s*$/ }) });
      for (let n = await others.count(); n > 0; n--) await others.first().click({ position: { x: 12, y: 10 } });
      await pollUntil(async () => (await others.count()) === 0, STEP_MS, 'the other views of the container to collapse');
      const groupLabel = (g: { id: string; title: string }) => (g.id === 'CLD' ? g.title : `${g.id} ${g.title}`);
      await row(groupLabel(catalog.groups[0]!)).waitFor();
      // The descriptions follow the findings: wait until the view shows the counts the CLI reports.
      const want = catalog.groups.map((g) => {
        // Distinct findings: one that names two controls of the clause (9.1.2 and 9.4.1) counts once.
        const n = findings.filter((f) => f.controls.some((id) => g.controls.includes(id))).length;
        const count = plural(g.controls.length, 'control');
        return { level: 1, label: groupLabel(g), description: n > 0 ? `${count} · ${plural(n, 'finding')}` : count, expanded: 'false' };
      });
      let rows: Row[] = [];
      await pollUntil(
        async () => {
          rows = await sidebarRows();
          return JSON.stringify(rows) === JSON.stringify(want);
        },
        STEP_MS,
        'the group rows of the Controls view, in catalog order, with their counts',
      ).catch((e: Error) => {
        assert.deepStrictEqual(rows, want, e.message);
      });
      // The view's badge counts every finding of the workspace.
      const badge = item.locator('.badge-content');
      await pollUntil(async () => (await badge.innerText().catch(() => '')).trim() === String(summary.findings), STEP_MS, `the activity bar badge to say ${summary.findings}`);
      viewShown = true;
      await shot('controls-view');
    });

    it('expands a group into its controls and a control into its rules and findings, with the counts of the CLI', async () => {
      needView();
      const group = catalog.groups.find((g) => g.id === '12')!;
      // A group row has no command: clicking it expands it.
      await row(`12 ${group.title}`).click();
      await row('12.3.1').waitFor();
      const controlRows = (await sidebarRows()).filter((r) => r.level === 2);
      assert.deepStrictEqual(
        controlRows.map((r) => [r.label, r.description]),
        group.controls.map((id) => {
          const ruleCount = rules.filter((r) => r.controls.includes(id)).length;
          return [`${id} ${titleOf(id)}`, ruleCount === 0 ? 'process control' : countOf(id) > 0 ? plural(countOf(id), 'finding') : 'passing'];
        }),
        'the controls of clause 12 with their finding counts (process controls marked)',
      );
      await shot('controls-group-expanded');

      await expand('12.3.1');
      const expectedCount = rules.filter((r) => r.controls.includes('12.3.1')).length;
      await pollUntil(async () => (await sidebarRows()).filter((r) => r.level === 3).length === expectedCount, STEP_MS, `the ${expectedCount} rule rows of 12.3.1`);
      const ruleRows = (await sidebarRows()).filter((r) => r.level === 3);
      const expectedRules = rules
        .filter((r) => r.controls.includes('12.3.1'))
        .map((r) => {
          const n = findings.filter((f) => f.ruleId === r.id && f.controls.includes('12.3.1')).length;
          return [r.title, n > 0 ? plural(n, 'finding') : 'passing'];
        });
      assert.deepStrictEqual(
        ruleRows.map((r) => [r.label, r.description]).sort(),
        expectedRules.sort(),
        'the rules of 12.3.1, with their findings',
      );
      const versioning = rules.find((r) => r.id === 'terraform/s3-versioning-disabled')!;
      // A rule row has no command either: clicking it lists its findings.
      await row(versioning.title).click();
      const expectedFindings = findings.filter((f) => f.ruleId === versioning.id && f.controls.includes('12.3.1'));
      assert.ok(expectedFindings.length > 0, 'the CLI reports terraform/s3-versioning-disabled');
      await pollUntil(async () => (await sidebarRows()).filter((r) => r.level === 4).length === expectedFindings.length, STEP_MS, 'the finding rows of terraform/s3-versioning-disabled');
      const findingRows = (await sidebarRows()).filter((r) => r.level === 4);
      assert.deepStrictEqual(
        findingRows.map((r) => [r.label, r.description]),
        expectedFindings.map((f) => [f.resource?.address ?? '', `${f.file}:${f.range.start.line + 1}`]),
        'each finding: the resource and where it is',
      );
      await shot('controls-control-expanded');
    });

    it('opens the control page when the control is clicked in the view; a finding on the page opens the code', async () => {
      needView();
      // Without a text editor the page takes the whole editor area, as in the README's picture.
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+W');
      await page.locator('.editor-group-container .tabs-container .tab').first().waitFor({ state: 'detached' });
      // Wider side bar (drag its sash, best effort), so that the picture shows the counts next to the labels.
      const bar = await sidebar().boundingBox();
      if (bar) {
        await page.mouse.move(bar.x + bar.width + 1, bar.y + bar.height / 2);
        await page.mouse.down();
        await page.mouse.move(bar.x + bar.width + 110, bar.y + bar.height / 2, { steps: 5 });
        await page.mouse.up();
      }
      await row('12.3.1').locator('.label-name').click();
      await page.locator('.tabs-container .tab.active', { hasText: `12.3.1 ${titleOf('12.3.1')}` }).waitFor();
      const text = await pageText('12.3.1');
      for (const part of [`12.3.1${titleOf('12.3.1')}`, plural(countOf('12.3.1'), 'finding'), 'Cloud service customer', 'Cloud service provider', 'Rules', 'Findings', 'Show in Controls view']) {
        assert.ok(text.includes(part), `the page shows "${part}": ${text.slice(0, 500)}`);
      }
      for (const f of findings.filter((x) => x.controls.includes('12.3.1'))) {
        assert.ok(text.includes(`${f.file}:${f.range.start.line + 1}`), `the page lists the finding of ${f.ruleId} at ${f.file}:${f.range.start.line + 1}`);
      }
      // The tree selected the row; the rules and findings of 12.3.1 stay expanded next to the page.
      const file = await shot('control-page');
      if (process.env.E2E_UPDATE_SCREENSHOT === '1') {
        const target = join(repoRoot, 'media', 'screenshot-controls.png');
        copyFileSync(file, target);
        console.log(`      updated ${target} (${Math.round(statSync(target).size / 1024)} KB)`);
      }

      // A click on a finding's location in the page opens the code beside it, on the finding's line.
      const f = findings.find((x) => x.controls.includes('12.3.1') && x.file === 'main.tf')!;
      const frame = await controlPage('12.3.1');
      await frame.locator('button[data-action="openFinding"]', { hasText: `main.tf:${f.range.start.line + 1}` }).first().click();
      await page.locator('.tabs-container .tab.active', { hasText: 'main.tf' }).waitFor();
      await page.locator('.editor-instance .monaco-editor .margin-view-overlays .active-line-number', { hasText: new RegExp(`^${f.range.start.line + 1}$`) }).waitFor();
      await shot('control-page-finding-opened');

      // "Show in Controls view" on the page reveals the control in the view again, after Collapse All.
      // With two views in the container, a view's title actions show while the pointer is on its header.
      await controlsPane().locator('.pane-header').hover();
      await controlsPane().locator('.pane-header .action-label[aria-label^="Collapse All"]').click();
      await row('12.3.1').waitFor({ state: 'detached' });
      await frame.locator('button[data-action="revealInTree"]').click();
      await controlsPane().locator('.monaco-list-row.selected', { hasText: `12.3.1 ${titleOf('12.3.1')}` }).waitFor();
    });

    it('opens the control page from the "control page" link in the hover of a diagnostic', async () => {
      needDiagnostics();
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+W');
      await page.locator('.editor-group-container .tabs-container .tab').first().waitFor({ state: 'detached' });
      await quickOpenMainTf();
      const acl = findings.find((f) => f.file === 'main.tf' && f.ruleId === 'terraform/s3-bucket-public-acl')!;
      const hover = await hoverFinding(acl);
      const link = hover.locator('a', { hasText: 'control page' }).first();
      await link.waitFor();
      await shot('hover-control-link');
      await link.click();
      await page.locator('.tabs-container .tab.active', { hasText: `9.4.1 ${titleOf('9.4.1')}` }).waitFor();
      const text = await pageText('9.4.1');
      assert.ok(text.includes(`9.4.1${titleOf('9.4.1')}`), `the page of 9.4.1: ${text.slice(0, 300)}`);
      assert.ok(text.includes(`${acl.file}:${acl.range.start.line + 1}`), `the page lists the finding that was hovered: ${text.slice(0, 800)}`);
      // Beside the code, which stays open; the view shows the control too.
      assert.ok((await page.locator('.editor-group-container').count()) >= 2, 'the page opened beside main.tf');
      await controlsPane().locator('.monaco-list-row.selected', { hasText: '9.4.1' }).waitFor();
      await page.mouse.move(5, 400); // away from the hover, which then closes
      await hover.waitFor({ state: 'hidden' });
      await shot('control-page-from-hover');
    });

    it('keeps the open page and the view up to date while the code is edited (no reload)', async () => {
      needView();
      const acl = findings.find((f) => f.file === 'main.tf' && f.ruleId === 'terraform/s3-bucket-public-acl')!;
      const n = countOf('9.4.1');
      const frame = await controlPage('9.4.1');
      const statusText = async () => ((await frame.locator('#status').innerText().catch(() => '')) as string).replace(/\s+/g, ' ');
      // Marks the page's document: a reload (instead of an update in place) would lose the mark.
      await frame.evaluate(`document.body.dataset.e2eMark = 'kept'`);
      const rowText = async () => ((await row('9.4.1').innerText().catch(() => '')) as string).replace(/\s+/g, ' ');
      const waitCounts = async (count: number, why: string) => {
        await pollUntil(
          async () => (await statusText()).includes(plural(count, 'finding')) && (await rowText()).includes(plural(count, 'finding')),
          STEP_MS,
          `the page and the row of 9.4.1 to say ${plural(count, 'finding')} ${why}`,
        ).catch(async (e: Error) => {
          throw new Error(`${e.message}; the page says "${await statusText()}", the row "${await rowText()}"`);
        });
      };
      await page.keyboard.press('Control+1'); // back to main.tf, in the first editor group
      await goToLine(acl.range.start.line + 1);
      const line = readFileSync(join(workspace, 'main.tf'), 'utf8').split('\n')[acl.range.start.line]!;
      assert.match(line, /^\s*acl\s*=\s*"public-read"\s*$/, 'the line of the public ACL');
      await page.keyboard.press('End');
      await page.keyboard.press('Shift+Home');
      await page.keyboard.type('acl = "private"');
      await waitCounts(n - 1, 'after the ACL became private');
      await shot('control-page-updated');
      assert.strictEqual(await frame.evaluate('document.body.dataset.e2eMark'), 'kept', 'the page was updated in place, not reloaded');
      // Put the line back as it was (the file stays unsaved, as the user left it).
      await page.keyboard.press('End');
      await page.keyboard.press('Shift+Home');
      await page.keyboard.type(line.trim());
      await waitCounts(n, 'after the ACL became public-read again');
    });
  });
});
