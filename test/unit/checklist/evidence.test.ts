// Automatic evidence: rules and findings per control, and "done" controls whose rules still fail.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createChecklist, evidenceFor, parseChecklist, setApplicability, setStatus } from '../../../server/src/checklist/index';
import type { Range } from '../../../server/src/engine/types';
import { rules } from '../../../server/src/rules/index';
import { projectFor, repoRoot } from '../support/project';
import { catalog, ok } from './helpers';

const range = (line: number): Range => ({ start: { line, character: 0 }, end: { line, character: 5 } });

const RULES = [
  { id: 'r/backup', title: 'Backups are on', controls: ['12.3.1', '10.1.1'] },
  { id: 'r/versioning', controls: ['12.3.1'] },
  { id: 'r/unused', controls: ['9.1.2'] },
];
const FINDINGS = [
  { ruleId: 'r/backup', file: '/w/b.tf', range: range(4), resource: { type: 'aws_db_instance', name: 'x', address: 'aws_db_instance.x' } },
  { ruleId: 'r/backup', file: '/w/a.tf', range: range(9) },
  { ruleId: 'r/versioning', file: '/w/a.tf', range: range(1) },
];

function base(): string {
  return createChecklist({ catalog: catalog(), providers: ['aws'], models: ['IaaS'], services: [], today: '2024-05-01' }).text;
}

describe('checklist: evidence', () => {
  it('lists per control the rules that evidence it, with finding counts and sorted locations', () => {
    const report = evidenceFor(parseChecklist(base()), catalog(), RULES, FINDINGS);
    assert.equal(report.controls.length, 44);
    assert.deepEqual(report.controls.map((c) => c.controlId), catalog().controls.map((c) => c.id));
    const backup = report.controls.find((c) => c.controlId === '12.3.1')!;
    assert.equal(backup.openFindings, 3);
    assert.deepEqual(backup.rules, [
      {
        ruleId: 'r/backup',
        title: 'Backups are on',
        findings: 2,
        locations: [
          { file: '/w/a.tf', range: range(9) },
          { file: '/w/b.tf', range: range(4), resource: 'aws_db_instance.x' },
        ],
      },
      { ruleId: 'r/versioning', findings: 1, locations: [{ file: '/w/a.tf', range: range(1) }] },
    ]);
    assert.equal(backup.status, 'todo');
    assert.equal(backup.conflict, false);
    const passing = report.controls.find((c) => c.controlId === '9.1.2')!;
    assert.deepEqual(passing.rules, [{ ruleId: 'r/unused', findings: 0, locations: [] }]);
    assert.deepEqual(report.controls.find((c) => c.controlId === '5.1.1')!.rules, [], 'a process control has no rules');
    assert.deepEqual(report.conflicts, []);
  });

  it('flags a control marked done while its rules have open findings, with the checklist location', () => {
    const text = ok(setStatus(base(), '12.3.1', 'done')).text;
    const parsed = parseChecklist(text);
    const report = evidenceFor(parsed, catalog(), RULES, FINDINGS);
    assert.equal(report.conflicts.length, 1);
    const c = report.conflicts[0]!;
    assert.equal(c.controlId, '12.3.1');
    assert.deepEqual(c.rules, ['r/backup', 'r/versioning']);
    assert.equal(c.openFindings, 3);
    assert.equal(c.message, 'Control 12.3.1 is marked done, but 3 findings of its rules are open: r/backup (2), r/versioning (1).');
    const line = text.split('\n').findIndex((l) => l.includes('"12.3.1"'));
    assert.deepEqual(c.keyRange, { start: { line, character: 4 }, end: { line, character: 12 } });
    assert.equal(c.range!.start.line, line);
    assert.ok(report.controls.find((x) => x.controlId === '12.3.1')!.conflict);
    // 10.1.1 shares a failing rule but is not marked done.
    assert.equal(report.controls.find((x) => x.controlId === '10.1.1')!.conflict, false);
    // A plain checklist (not parsed) gives the conflict without a location.
    const plain = evidenceFor(parsed.checklist, catalog(), RULES, FINDINGS).conflicts[0]!;
    assert.equal(plain.range, undefined);
  });

  it('no conflict when the rules pass, or the control is marked not applicable', () => {
    const done = ok(setStatus(base(), '9.1.2', 'done')).text;
    assert.deepEqual(evidenceFor(parseChecklist(done), catalog(), RULES, FINDINGS).conflicts, []);
    const na = ok(setApplicability(ok(setStatus(base(), '12.3.1', 'done')).text, '12.3.1', false, 'Stateless.')).text;
    assert.deepEqual(evidenceFor(parseChecklist(na), catalog(), RULES, FINDINGS).conflicts, []);
    assert.deepEqual(evidenceFor(undefined, catalog(), RULES, FINDINGS).conflicts, []);
  });

  it('works on real findings of the example project', () => {
    const findings = projectFor(join(repoRoot, 'examples/terraform-aws')).analyzeAll().findings;
    const text = ok(setStatus(base(), '12.3.1', 'done')).text;
    const report = evidenceFor(parseChecklist(text), catalog(), rules.map((r) => r.meta), findings);
    const backup = report.controls.find((c) => c.controlId === '12.3.1')!;
    assert.equal(backup.openFindings, findings.filter((f) => f.controls.includes('12.3.1')).length);
    assert.ok(backup.openFindings > 0);
    assert.equal(report.conflicts.length, 1);
    for (const c of report.controls) {
      const expected = rules.filter((r) => r.meta.controls.includes(c.controlId)).map((r) => r.meta.id).sort();
      assert.deepEqual(c.rules.map((r) => r.ruleId), expected, c.controlId);
    }
  });
});
