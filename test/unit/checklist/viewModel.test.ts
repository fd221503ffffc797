// What the Shared Responsibility view shows (client/src/views/checklistModel.ts, no vscode needed), and the
// package.json contributions of the view: the view, its welcome states, commands, menus and file association.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  escapeMd,
  folderDescription,
  groupDescription,
  groupRows,
  progressText,
  relativePath,
  rowDescription,
  rowIcon,
  rowTooltip,
  shortLocation,
  sumCounts,
  validateTicket,
  validateUrl,
  viewDescription,
} from '../../../client/src/views/checklistModel';
import type { ChecklistFolderInfo, ChecklistRowInfo } from '../../../server/src/protocol';
import { repoRoot } from '../support/project';

function row(controlId: string, over: Partial<ChecklistRowInfo> = {}): ChecklistRowInfo {
  return {
    controlId,
    title: `Title ${controlId}`,
    known: true,
    source: 'checklist',
    responsibility: 'customer',
    applicable: true,
    status: 'todo',
    notes: [],
    evidence: [],
    automatic: [],
    openFindings: 0,
    conflict: false,
    ...over,
  };
}

function folder(over: Partial<ChecklistFolderInfo> = {}): ChecklistFolderInfo {
  const zero = { total: 0, todo: 0, inProgress: 0, done: 0, notApplicable: 0 };
  return {
    folder: 'file:///w',
    name: 'w',
    uri: 'file:///w/.iso27017/checklist.json',
    state: 'ready',
    fromEditor: false,
    problems: [],
    rows: [],
    progress: { ...zero, total: 44, done: 18, todo: 26 },
    byResponsibility: { customer: zero, provider: zero, shared: zero },
    conflicts: [],
    unknownControls: [],
    providers: [],
    models: [],
    services: [],
    ...over,
  };
}

const ROWS = [
  row('5.1.1', { responsibility: 'shared', status: 'done' }),
  row('6.1.1', { status: 'in-progress', owner: 'Platform team' }),
  row('11.2.7', { responsibility: 'provider', applicable: false, justification: 'No hardware.' }),
  row('12.3.1', { status: 'done', conflict: true, openFindings: 2 }),
  row('9.9.9', { known: false, title: undefined }),
];

describe('Shared Responsibility view model', () => {
  it('groups by responsibility in the order customer, shared, provider, leaving empty groups out', () => {
    const groups = groupRows(ROWS, 'owner');
    assert.deepEqual(groups.map((g) => [g.key, g.title, g.rows.map((r) => r.controlId)]), [
      ['customer', 'Customer', ['6.1.1', '12.3.1', '9.9.9']],
      ['shared', 'Shared', ['5.1.1']],
      ['provider', 'Provider', ['11.2.7']],
    ]);
    assert.equal(groupDescription(groups[0]!), '1/3 done · 1 failing');
    assert.equal(groupDescription(groups[2]!), '0/0 done');
    assert.deepEqual(groupRows([], 'owner'), []);
  });

  it('groups by status, with controls that do not apply apart', () => {
    const groups = groupRows(ROWS, 'status');
    assert.deepEqual(groups.map((g) => [g.key, g.rows.map((r) => r.controlId)]), [
      ['todo', ['9.9.9']],
      ['in-progress', ['6.1.1']],
      ['done', ['5.1.1', '12.3.1']],
      ['n/a', ['11.2.7']],
    ]);
    assert.equal(groupDescription(groups[2]!), '2 controls · 1 failing');
  });

  it('describes a control by what the grouping does not show, its owner and its flags', () => {
    assert.equal(rowDescription(ROWS[1]!, 'owner'), 'in progress · Platform team');
    assert.equal(rowDescription(ROWS[1]!, 'status'), 'customer · Platform team');
    assert.equal(rowDescription(ROWS[2]!, 'owner'), 'not applicable');
    assert.equal(rowDescription(ROWS[3]!, 'owner'), 'done · 2 open findings');
    assert.equal(rowDescription(ROWS[4]!, 'status'), 'customer · not in catalog');
  });

  it('puts a warning icon on a control done while its rules fail', () => {
    assert.deepEqual(rowIcon(ROWS[3]!), { id: 'warning', color: 'problemsWarningIcon.foreground' });
    assert.equal(rowIcon(ROWS[0]!).id, 'pass');
    assert.equal(rowIcon(ROWS[2]!).id, 'circle-slash');
    assert.equal(rowIcon(ROWS[4]!).id, 'question');
  });

  it('shows the decisions and the automatic evidence in the tooltip, escaped', () => {
    const r = row('12.3.1', {
      title: 'Information backup',
      status: 'done',
      conflict: true,
      openFindings: 7,
      owner: 'Ops *team*',
      defaultResponsibility: 'shared',
      notes: ['Restore test <b>pending</b>'],
      evidence: [{ kind: 'ticket', ref: 'SEC-142', note: 'restore test' }],
      automatic: [
        { ruleId: 'terraform/s3-versioning-disabled', title: 'S3 buckets keep versions', findings: 7, locations: Array.from({ length: 7 }, (_, i) => ({ uri: 'file:///w/infra/main.tf', range: { start: { line: i, character: 0 }, end: { line: i, character: 1 } }, resource: `aws_s3_bucket.b${i}` })) },
        { ruleId: 'terraform/rds-backup-retention-disabled', findings: 0, locations: [] },
      ],
    });
    const tip = rowTooltip(r, 'file:///w');
    assert.match(tip, /Responsibility: \*\*customer\*\* \(catalog default: shared\)/);
    assert.match(tip, /owner: Ops \\\*team\\\*/);
    assert.match(tip, /Restore test \\<b\\>pending\\<\/b\\>/);
    assert.match(tip, /ticket SEC\\-142 \\\(restore test\\\)/);
    assert.match(tip, /\$\(warning\) Marked done, but 7 findings of its rules are open/);
    assert.match(tip, /infra\/main\\\.tf:1 aws\\_s3\\_bucket\\\.b0/);
    assert.match(tip, /and 2 more/);
    assert.match(tip, /\$\(pass\) `terraform\/rds-backup-retention-disabled`: passing/);
    assert.match(rowTooltip(row('5.1.1'), 'file:///w'), /process control/);
  });

  it('shows progress in the view description, and the first error of a lone invalid checklist', () => {
    assert.equal(progressText({ total: 44, todo: 26, inProgress: 0, done: 18, notApplicable: 0 }), '18/44 done');
    assert.equal(viewDescription([folder()]), '18/44 done');
    assert.equal(viewDescription([folder(), folder({ conflicts: [{ controlId: '12.3.1', openFindings: 1, rules: [], message: '' }] })]), '36/88 done · 1 failing');
    assert.equal(viewDescription([folder({ state: 'missing' })]), undefined);
    assert.equal(viewDescription([folder({ state: 'invalid', error: 'Line 3, column 5: Expected a comma.' })]), 'Line 3, column 5: Expected a comma.');
    assert.equal(folderDescription(folder({ state: 'missing' })), 'no checklist');
    assert.equal(folderDescription(folder({ state: 'invalid', problems: [{ severity: 'error', code: 'syntax', message: 'x', pointer: '', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }] })), 'invalid: 1 error(s)');
    assert.deepEqual(sumCounts([]), { total: 0, todo: 0, inProgress: 0, done: 0, notApplicable: 0 });
  });

  it('validates evidence input and makes workspace paths relative', () => {
    assert.equal(validateUrl('https://wiki/x'), undefined);
    assert.ok(validateUrl('ftp://x'));
    assert.ok(validateUrl(' '));
    assert.ok(validateTicket(''));
    assert.equal(validateTicket('SEC-1'), undefined);
    assert.equal(relativePath('/w/', '/w/docs/a.md'), 'docs/a.md');
    assert.equal(relativePath('/w', '/other/a.md'), undefined);
    assert.equal(shortLocation('file:///w/infra/my%20main.tf', 'file:///w', 7), 'infra/my main.tf:8');
    assert.equal(escapeMd('a_b'), 'a\\_b');
  });
});

describe('package.json contributes: the Shared Responsibility view', () => {
  interface Command { command: string; title: string; category?: string; icon?: string }
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    contributes: {
      views: Record<string, Array<{ id: string; name: string }>>;
      viewsWelcome: Array<{ view: string; when: string; contents: string }>;
      commands: Command[];
      menus: Record<string, Array<{ command: string; when?: string; group?: string }>>;
      languages: Array<{ id: string; filenamePatterns?: string[] }>;
      jsonValidation: Array<{ fileMatch: string; url: string }>;
    };
  };
  const c = pkg.contributes;
  const source = readFileSync(join(repoRoot, 'client/src/views/checklistTree.ts'), 'utf8');
  const block = /export const CHECKLIST_COMMANDS = \{([^}]*)\}/.exec(source)?.[1] ?? '';
  const registered = [...block.matchAll(/'(iso27017\.checklist\.\w+)'/g)].map((m) => m[1]!);

  it('has the view in the ISO 27017 container', () => {
    assert.ok(c.views.iso27017?.some((v) => v.id === 'iso27017.checklist' && v.name === 'Shared Responsibility'));
  });

  it('has welcome content for no folder, a stopped server, no checklist and an invalid one', () => {
    const mine = c.viewsWelcome.filter((w) => w.view === 'iso27017.checklist');
    assert.ok(mine.some((w) => w.when === 'workspaceFolderCount == 0'));
    assert.ok(mine.some((w) => w.when.includes("iso27017.serverState == 'stopped'")));
    assert.ok(mine.some((w) => w.when.includes('iso27017.checklist.missing') && w.contents.includes('[Create Checklist](command:iso27017.checklist.create)')));
    const invalid = mine.filter((w) => w.when.includes("iso27017.checklist.state == 'invalid'"));
    assert.ok(invalid.length >= 2 && invalid.every((w) => w.contents.includes('[Open Checklist](command:iso27017.checklist.open)')));
  });

  it('contributes exactly the commands the view registers, each with the category and a codicon', () => {
    const contributed = c.commands.filter((x) => x.command.startsWith('iso27017.checklist.'));
    assert.ok(registered.length >= 16);
    assert.deepEqual(contributed.map((x) => x.command).sort(), [...registered].sort());
    for (const x of contributed) {
      assert.equal(x.category, 'ISO 27017', x.command);
      assert.match(x.icon ?? '', /^\$\([a-z-]+\)$/, x.command);
    }
    const hidden = new Set(c.menus.commandPalette!.filter((m) => m.when === 'false').map((m) => m.command));
    for (const id of ['iso27017.checklist.setStatus', 'iso27017.checklist.addEvidence', 'iso27017.checklist.openControl']) assert.ok(hidden.has(id), id);
    for (const id of ['iso27017.checklist.create', 'iso27017.checklist.exportSoa']) assert.ok(!hidden.has(id), id);
  });

  it('puts the grouping toggle, export and refresh in the title, and the item actions on checklist items', () => {
    const title = c.menus['view/title']!.filter((m) => m.when?.includes('view == iso27017.checklist')).map((m) => m.command);
    for (const id of ['iso27017.checklist.groupByStatus', 'iso27017.checklist.groupByOwner', 'iso27017.checklist.exportSoa', 'iso27017.checklist.refresh']) assert.ok(title.includes(id), id);
    const items = c.menus['view/item/context']!.filter((m) => m.when?.includes('viewItem == checklistItem')).map((m) => m.command);
    for (const k of ['setStatus', 'setResponsibility', 'setApplicability', 'setOwner', 'addNote', 'addEvidence', 'markReviewed', 'openControl', 'revealInFile']) assert.ok(items.includes(`iso27017.checklist.${k}`), k);
  });

  it('validates the checklist file with its schema and opens it as JSON with comments', () => {
    assert.deepEqual(c.jsonValidation.find((j) => j.url === './controls-data/schema/checklist.schema.json'), { fileMatch: '.iso27017/checklist.json', url: './controls-data/schema/checklist.schema.json' });
    assert.ok(c.languages.some((l) => l.id === 'jsonc' && l.filenamePatterns?.includes('**/.iso27017/checklist.json')));
  });
});
