// From the user's seat (issues 5 and 6): the packaged .vsix in code-server, driven by headless Chromium
// (playwright-core), everything asserted from the screen and the files on disk.
//   * Ctrl+. on a squiggle lists the Fix, Suppress and Show control entries; Enter on the Fix removes the squiggle;
//     the Suppress entry asks for a reason and an expiry and writes the comment that hides the finding.
//   * The ISO 27017 activity bar: the Shared Responsibility view offers "Create Checklist" while there is none;
//     ISO 27017: Create Checklist… from the command palette (quick picks, confirmation) creates it; ticking a row's
//     checkbox writes "done" to disk.
// Screenshots of every step: test-results/e2e/ui/fixes-NN-*.png (and failed-fixes-*.png on failure). Needs
// scripts/setup-e2e.sh and `npm run package` first.
//
// Env: VSIX, CODE_SERVER, CHROMIUM (see support.ts); E2E_UPDATE_SCREENSHOT=1 copies the checklist screenshot to
// media/screenshot-checklist.png.

import * as assert from 'node:assert';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { editorLineText, goToLine, launchWorkbench, pollUntil, repoRoot, resultsDir, squigglesByLine, type Workbench } from './support';

/** Deadline for the first diagnostics (cold start: workbench, extension host, server, workspace scan). */
const FIRST_DIAGNOSTICS_MS = 90_000;
/** Deadline for any other single UI step. */
const STEP_MS = 30_000;
const SHOTS = join(resultsDir, 'ui');
const PREFIX = 'fixes-';
const PUBLIC_ACL = 'terraform/s3-bucket-public-acl';

interface Finding {
  ruleId: string;
  file: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  controls: string[];
}

describe('user seat: quick fixes, suppressions and the Shared Responsibility view (playwright-core)', function () {
  let wb: Workbench | undefined;
  let page: Page;
  let acl: Finding;
  let diagnosticsSeen = false;
  const shot = (name: string): Promise<string> => wb!.shot(name);
  const needDiagnostics = (): void => {
    if (!diagnosticsSeen) throw new Error('No diagnostics reached the editor (see the first failure); not waiting again.');
  };
  const checklistFile = (): string => join(wb!.workspace, '.iso27017', 'checklist.json');

  before(async function () {
    this.timeout(240_000);
    // Only this file's screenshots: ui.test.ts owns (and clears) the rest of the folder.
    mkdirSync(SHOTS, { recursive: true });
    for (const f of readdirSync(SHOTS)) if (f.startsWith(PREFIX) || f.startsWith(`failed-${PREFIX}`)) rmSync(join(SHOTS, f), { force: true });
    wb = await launchWorkbench({ shotsDir: SHOTS, shotPrefix: PREFIX });
    page = wb.page;
    page.setDefaultTimeout(STEP_MS);
    // The expected finding comes from the CLI, the same engine over the same files.
    // (`scan` exits 1 when it finds problems: read its output whatever the exit code.)
    const scan = spawnSync(process.execPath, [join(repoRoot, 'dist', 'cli.js'), 'scan', wb.workspace, '--format', 'json'], { encoding: 'utf8', timeout: 60_000 });
    let report: { findings: Finding[] };
    try {
      report = JSON.parse(scan.stdout);
    } catch {
      throw new Error(`\`node dist/cli.js scan --format json\` printed no report (exit ${scan.status}): ${(scan.stderr || '').slice(-800)}`);
    }
    acl = report.findings.find((f) => f.file === 'main.tf' && f.ruleId === PUBLIC_ACL)!;
    assert.ok(acl, `the CLI reports ${PUBLIC_ACL} in main.tf`);
    await shot('workbench');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      await page.screenshot({ path: join(SHOTS, `failed-${PREFIX}${(this.currentTest.title || 'test').replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}.png`) }).catch(() => undefined);
    }
  });

  after(async function () {
    this.timeout(30_000);
    await wb?.close();
  });

  /** The 1-based line of the public ACL finding, in the file as the CLI read it. */
  const aclLine = (): number => acl.range.start.line + 1;

  /** Waits until `line` of the active editor has (or has no) squiggle. */
  async function waitSquiggle(line: number, present: boolean, why: string, ms = STEP_MS): Promise<void> {
    await pollUntil(async () => ((await squigglesByLine(page))[line]?.length ?? 0) > 0 === present, ms, `${present ? 'a' : 'no'} squiggle on line ${line} ${why}`).catch(async (e: Error) => {
      throw new Error(`${e.message}; squiggles on screen: ${JSON.stringify(await squigglesByLine(page))}, line ${line}: ${JSON.stringify(await editorLineText(page, line))}`);
    });
  }

  /**
   * Puts the cursor inside the public ACL finding (Go to Line with a column: no mouse, so no hover widget can be in the
   * way) and opens the quick-fix menu (Ctrl+.); resolves with its entries, top to bottom. A menu that does not list the
   * finding's entries within a bounded wait is closed and asked for again (at most three times).
   */
  async function openQuickFixes(line: number): Promise<string[]> {
    const widget = page.locator('.action-widget');
    const learnMore = widget.locator('.monaco-list-row', { hasText: `Learn more about ${PUBLIC_ACL}` }).first();
    let seen: string[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      await page.keyboard.press('Escape');
      await goToLine(page, line, acl.range.start.character + 2);
      await page.keyboard.press('Control+Period');
      try {
        await learnMore.waitFor({ timeout: 10_000 });
        return (await widget.locator('.monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()).filter(Boolean);
      } catch {
        seen = await widget.locator('.monaco-list-row').allInnerTexts().catch(() => []);
      }
    }
    throw new Error(`the quick-fix menu on line ${line} never listed "Learn more about ${PUBLIC_ACL}"; it showed ${JSON.stringify(seen)}`);
  }

  /** Moves the focus of the open quick-fix menu to the entry that starts with `title` (arrow keys) and presses Enter. */
  async function chooseQuickFix(title: string): Promise<void> {
    const widget = page.locator('.action-widget');
    const focused = widget.locator('.monaco-list-row.focused');
    for (let i = 0; i < 12; i++) {
      const text = ((await focused.innerText().catch(() => '')) as string).replace(/\s+/g, ' ').trim();
      if (text.startsWith(title)) {
        await page.keyboard.press('Enter');
        await widget.waitFor({ state: 'hidden' });
        return;
      }
      await page.keyboard.press('ArrowDown');
    }
    throw new Error(`no entry "${title}" could be focused in the quick-fix menu: ${JSON.stringify(await widget.locator('.monaco-list-row').allInnerTexts())}`);
  }

  it('opens main.tf and shows the squiggle of the public ACL', async function () {
    this.timeout(FIRST_DIAGNOSTICS_MS + 30_000);
    await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } });
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: /^main\.tf$/ }).first().click();
    await page.locator('.tabs-container .tab.active', { hasText: 'main.tf' }).waitFor();
    await goToLine(page, aclLine());
    await waitSquiggle(aclLine(), true, `(${PUBLIC_ACL}, first diagnostics)`, FIRST_DIAGNOSTICS_MS);
    diagnosticsSeen = true;
    await shot('acl-squiggle');
  });

  it('Ctrl+. lists the Fix, Suppress and Show control entries, in that order; Enter on the Fix removes the squiggle', async () => {
    needDiagnostics();
    const rows = await openQuickFixes(aclLine());
    await shot('quick-fix-menu');
    const at = (prefix: string): number => rows.findIndex((r) => r.startsWith(prefix));
    const fix = at('Fix: Set acl = "private"');
    const suppress = at(`Suppress ${PUBLIC_ACL} for this resource…`);
    const show = at('Show control 9.4.1 in catalog');
    assert.ok(fix >= 0 && suppress >= 0 && show >= 0, `the menu has the Fix, Suppress and Show control entries: ${JSON.stringify(rows)}`);
    assert.ok(fix < suppress && suppress < show, `in the order Fix, Suppress, Show control: ${JSON.stringify(rows)}`);

    await chooseQuickFix('Fix: Set acl = "private"');
    await waitSquiggle(aclLine(), false, 'after the fix was applied');
    assert.match((await editorLineText(page, aclLine())) ?? '', /^\s*acl\s*=\s*"private"\s*$/, 'the fix rewrote the line');
    await shot('fix-applied');
    // Undo (Ctrl+Z) brings the finding back, so that the next test starts from the example as it is.
    await page.keyboard.press('Control+Z');
    await waitSquiggle(aclLine(), true, 'after undoing the fix');
    assert.match((await editorLineText(page, aclLine())) ?? '', /"public-read"/);
  });

  it('the Suppress entry asks for a reason and an expiry, writes the comment above the resource, and the squiggle goes', async () => {
    needDiagnostics();
    await openQuickFixes(aclLine());
    await chooseQuickFix(`Suppress ${PUBLIC_ACL} for this resource…`);
    const input = page.locator('.quick-input-widget input');
    await page.locator('.quick-input-widget', { hasText: `Suppress ${PUBLIC_ACL}` }).waitFor();
    await input.fill('public website bucket, approved in SEC-123');
    await shot('suppress-reason');
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget', { hasText: 'expiry (optional)' }).waitFor();
    await input.fill('2099-12-31');
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    // The comment goes on the line of the resource, which moves down by one, with the ACL.
    const resourceLine = aclLine() - 2;
    await pollUntil(async () => (await editorLineText(page, resourceLine))?.startsWith('# iso27017:ignore'), STEP_MS, `the suppression comment on line ${resourceLine}`).catch(async (e: Error) => {
      throw new Error(`${e.message}; it has ${JSON.stringify(await editorLineText(page, resourceLine))}`);
    });
    assert.strictEqual(await editorLineText(page, resourceLine), `# iso27017:ignore ${PUBLIC_ACL} until=2099-12-31 -- public website bucket, approved in SEC-123`);
    await waitSquiggle(aclLine() + 1, false, 'after the suppression');
    await waitSquiggle(resourceLine + 1, true, '(the other findings of the bucket stay)');
    await shot('suppressed');
    await page.keyboard.press('Control+Z');
    await waitSquiggle(aclLine(), true, 'after undoing the suppression');
    assert.strictEqual((await editorLineText(page, resourceLine))?.trim(), 'resource "aws_s3_bucket" "exports" {');
  });

  describe('the Shared Responsibility view', () => {
    const sidebar = () => page.locator('.part.sidebar');
    const pane = (title: string): Locator =>
      sidebar()
        .locator('.pane')
        .filter({ has: page.locator('.pane-header h3.title', { hasText: new RegExp(`^\\s*${title}\\s*$`, 'i') }) });
    const checklistPane = () => pane('Shared Responsibility');
    const row = (label: string): Locator => checklistPane().locator('.monaco-list-row', { hasText: label }).first();
    let viewShown = false;
    const needView = (): void => {
      needDiagnostics();
      if (!viewShown) throw new Error('The Shared Responsibility view did not show (see the first failure); not waiting again.');
    };

    /** Expands or collapses a view of the container by clicking its header. */
    async function setExpanded(title: string, expanded: boolean): Promise<void> {
      const header = pane(title).locator('.pane-header');
      await header.waitFor();
      if ((await header.getAttribute('aria-expanded')) === String(expanded)) return;
      await header.click({ position: { x: 12, y: 10 } });
      await pollUntil(async () => (await header.getAttribute('aria-expanded')) === String(expanded), STEP_MS, `the ${title} view to ${expanded ? 'expand' : 'collapse'}`);
    }

    it('shows "Create Checklist" in the view while the workspace has no checklist', async () => {
      needDiagnostics();
      assert.ok(!existsSync(checklistFile()), 'the example has no checklist');
      await page.keyboard.press('Escape');
      // The findings badge lies over the icon and takes the click: click the item the icon and badge are in.
      await page.locator('.activitybar .action-item', { has: page.locator('.action-label[aria-label^="ISO 27017"]') }).click();
      await pane('Controls').waitFor();
      await setExpanded('Controls', false);
      if ((await pane('Suppressions').count()) > 0) await setExpanded('Suppressions', false);
      await setExpanded('Shared Responsibility', true);
      const welcome = checklistPane().locator('.welcome-view-content');
      await welcome.waitFor();
      await pollUntil(async () => ((await welcome.innerText().catch(() => '')) as string).includes('no shared-responsibility checklist yet'), STEP_MS, 'the welcome text of the view').catch(async (e: Error) => {
        throw new Error(`${e.message}; it says ${JSON.stringify(await welcome.innerText().catch(() => ''))}`);
      });
      await welcome.locator('.monaco-button', { hasText: /^Create Checklist$/ }).waitFor();
      assert.strictEqual(await checklistPane().locator('.monaco-list-row').count(), 0, 'no rows yet');
      viewShown = true;
      await shot('checklist-welcome');
    });

    it('creates the checklist with "ISO 27017: Create Checklist…" from the command palette (quick picks, confirmation)', async () => {
      needView();
      await page.keyboard.press('Control+Shift+P');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible' });
      await input.fill('>ISO 27017: Create Checklist');
      await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: 'ISO 27017: Create Checklist…' }).waitFor();
      await page.keyboard.press('Enter');
      // 1/2: the providers, the detected one ticked; 2/2: the service models, the detected ones ticked.
      const widget = page.locator('.quick-input-widget');
      await widget.filter({ hasText: 'Create Checklist (1/2)' }).waitFor();
      const awsRow = widget.locator('.monaco-list-row', { hasText: /^\s*aws/ }).first();
      await awsRow.waitFor();
      assert.strictEqual(await awsRow.getAttribute('aria-checked'), 'true', 'aws (detected) is ticked');
      assert.match(((await awsRow.innerText()) as string).replace(/\s+/g, ' '), /detected: .*S3/, 'with the services detected');
      await shot('checklist-create-providers');
      await page.keyboard.press('Enter');
      await widget.filter({ hasText: 'Create Checklist (2/2)' }).waitFor();
      for (const m of ['IaaS', 'PaaS']) {
        assert.strictEqual(await widget.locator('.monaco-list-row', { hasText: new RegExp(`^\\s*${m}`) }).first().getAttribute('aria-checked'), 'true', `${m} (detected) is ticked`);
      }
      assert.strictEqual(await widget.locator('.monaco-list-row', { hasText: /^\s*SaaS/ }).first().getAttribute('aria-checked'), 'false', 'SaaS is not ticked');
      await shot('checklist-create-models');
      await page.keyboard.press('Enter');
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.filter({ hasText: 'Create .iso27017/checklist.json in terraform-aws?' }).waitFor();
      const detail = ((await dialog.innerText()) as string).replace(/\s+/g, ' ');
      assert.ok(detail.includes('Providers: aws') && detail.includes('Service models: IaaS, PaaS'), `the confirmation says what it creates: ${detail}`);
      await shot('checklist-create-confirm');
      await dialog.locator('.monaco-button', { hasText: /^Create$/ }).click();
      await dialog.waitFor({ state: 'hidden' });
      await pollUntil(() => existsSync(checklistFile()), STEP_MS, '.iso27017/checklist.json on disk');
      await page.locator('.tabs-container .tab.active', { hasText: 'checklist.json' }).waitFor();
      await row('12.3.1 Information backup').waitFor();
      const rows = (await checklistPane().locator('.monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
      assert.ok(rows[0]?.startsWith('Customer'), `the first group is Customer: ${JSON.stringify(rows.slice(0, 3))}`);
      assert.strictEqual(await row('12.3.1 Information backup').locator('.custom-view-tree-node-item-checkbox').getAttribute('aria-checked'), 'false', '12.3.1 is unticked');
      await shot('checklist-created');
    });

    it('ticking the checkbox of 12.3.1 writes "status": "done" to the file on disk and marks the row failing', async () => {
      needView();
      assert.ok(existsSync(checklistFile()), 'the checklist was created (see the previous test)');
      const item = (text: string): string => /"12\.3\.1"\s*:\s*\{[^}]*\}/.exec(text)?.[0] ?? '';
      const before = readFileSync(checklistFile(), 'utf8');
      assert.match(item(before), /"status": "todo"/);
      const checkbox = row('12.3.1 Information backup').locator('.custom-view-tree-node-item-checkbox');
      await checkbox.click();
      await pollUntil(() => /"status": "done"/.test(item(readFileSync(checklistFile(), 'utf8'))), STEP_MS, '"status": "done" for 12.3.1 in .iso27017/checklist.json on disk').catch((e: Error) => {
        throw new Error(`${e.message}; it has ${item(readFileSync(checklistFile(), 'utf8'))}`);
      });
      const after = readFileSync(checklistFile(), 'utf8');
      assert.strictEqual(after, before.replace(item(before), item(before).replace('"status": "todo"', '"status": "done"')), 'only the status of 12.3.1 changed');
      await pollUntil(async () => (await checkbox.getAttribute('aria-checked')) === 'true', STEP_MS, 'the checkbox of 12.3.1 to show ticked');
      // The example has open findings for 12.3.1: the row says so, and so does the file (a warning on its key).
      await pollUntil(
        async () => ((await row('12.3.1 Information backup').innerText()) as string).includes('failing') || (await row('12.3.1 Information backup').locator('.codicon-warning').count()) > 0,
        STEP_MS,
        'the row of 12.3.1 to show it failing',
      ).catch(async (e: Error) => {
        throw new Error(`${e.message}; the row says ${JSON.stringify(await row('12.3.1 Information backup').innerText())}`);
      });
      // The picture: a wider side bar, and the checklist file at 12.3.1 with its warning.
      const bar = await sidebar().boundingBox();
      if (bar) {
        await page.mouse.move(bar.x + bar.width + 1, bar.y + bar.height / 2);
        await page.mouse.down();
        await page.mouse.move(bar.x + bar.width + 170, bar.y + bar.height / 2, { steps: 5 });
        await page.mouse.up();
      }
      await page.locator('.tabs-container .tab', { hasText: 'checklist.json' }).click();
      const keyLine = after.split('\n').findIndex((l) => l.includes('"12.3.1": {')) + 1;
      await goToLine(page, keyLine);
      await waitSquiggle(keyLine, true, '(the done-but-failing warning on the key of 12.3.1)');
      assert.ok((await squigglesByLine(page))[keyLine]!.includes('squiggly-warning'), 'a warning');
      await page.mouse.move(5, 780);
      const file = await shot('checklist-ticked');
      if (process.env.E2E_UPDATE_SCREENSHOT === '1') {
        const target = join(repoRoot, 'media', 'screenshot-checklist.png');
        copyFileSync(file, target);
        console.log(`      updated ${target} (${Math.round(statSync(target).size / 1024)} KB)`);
      }
    });
  });
});
