// The language server's pure checklist helpers (server/src/handlers/checklistModel.ts): several changes folded
// into one minimal edit, the protocol rows, the diagnostics in the checklist file, the evidence fingerprint.

import assert from 'node:assert/strict';
import { evidenceFor, parseChecklist } from '../../../server/src/checklist/index';
import type { Finding } from '../../../server/src/engine/types';
import { describeChanges } from '../../../server/src/handlers/checklist';
import {
  applyItemChanges,
  checklistDiagnostics,
  evidenceFingerprint,
  firstError,
  folderInfo,
  hasChanges,
  MAX_CONFLICT_RELATED,
} from '../../../server/src/handlers/checklistModel';
import { assertReplaced, catalog, HAND, ok } from './helpers';

const TODAY = '2025-03-04';
const uriFor = (p: string): string => `file://${p}`;

function finding(ruleId: string, controls: string[], line: number, file = '/w/main.tf'): Finding {
  return {
    ruleId,
    messageId: 'missing',
    severity: 'warning',
    message: 'x',
    file,
    range: { start: { line, character: 0 }, end: { line, character: 5 } },
    resource: { type: 'aws_s3_bucket', name: `b${line}`, address: `aws_s3_bucket.b${line}` },
    controls,
    fixable: false,
    fixes: [],
    related: [],
  } as unknown as Finding;
}

const RULES = [{ id: 'terraform/a', title: 'Rule A', controls: ['5.1.1'] }, { id: 'terraform/b', controls: ['6.1.1', '5.1.1'] }];

describe('checklist helpers of the language server', () => {
  describe('applyItemChanges', () => {
    it('changes one value in place, like the edit functions', () => {
      const r = ok(applyItemChanges(HAND, '6.1.1', { status: 'done' }, { catalog: catalog(), today: TODAY }));
      const at = HAND.indexOf('"in-progress"');
      assertReplaced(HAND, r.text, at, at + '"in-progress"'.length, '"done"');
      assert.equal(r.edits.length, 1);
      // The edit spans no more than the old value (common quotes are left alone).
      const e = r.edits[0]!;
      assert.ok(e.offset >= at && e.offset + e.length <= at + '"in-progress"'.length);
      assert.equal(HAND.slice(0, e.offset) + e.newText + HAND.slice(e.offset + e.length), r.text);
    });

    it('folds several changes of one control into one edit that leaves the rest of the file as it was', () => {
      const r = ok(
        applyItemChanges(HAND, '5.1.1', { owner: 'Platform', note: 'n1', evidence: { kind: 'file', ref: 'docs/p.md' }, reviewed: true, status: 'in-progress' }, { catalog: catalog(), today: TODAY }),
      );
      assert.equal(r.edits.length, 1);
      const e = r.edits[0]!;
      assert.equal(HAND.slice(0, e.offset) + e.newText + HAND.slice(e.offset + e.length), r.text);
      const item = parseChecklist(r.text).checklist!.controls['5.1.1']!;
      assert.equal(item.owner, 'Platform');
      assert.deepEqual(item.notes, ['n1']);
      assert.deepEqual(item.evidence, [{ kind: 'file', ref: 'docs/p.md' }]);
      assert.equal(item.lastReviewed, TODAY, '`reviewed: true` is today');
      assert.equal(item.status, 'in-progress');
      assert.ok(r.text.includes('// agreed with the provider') && r.text.includes('// to start in Q3'), 'comments inside the item stay');
      const start = HAND.indexOf('"5.1.1"');
      assert.ok(e.offset > start, 'nothing before the item changed');
    });

    it('keeps the current responsibility when only what a party does is set, and the applicability when only the justification is', () => {
      const r = ok(applyItemChanges(HAND, '6.1.1', { customerDoes: 'We do it.', justification: 'Needed.' }, { catalog: catalog(), today: TODAY }));
      const item = parseChecklist(r.text).checklist!.controls['6.1.1']!;
      assert.equal(item.responsibility, 'customer');
      assert.equal(item.customerDoes, 'We do it.');
      assert.equal(item.applicable, true);
      assert.equal(item.justification, 'Needed.');
    });

    it('adds the item of a catalog control the file lacks, with its defaults', () => {
      const r = ok(applyItemChanges(HAND, '12.3.1', { status: 'done' }, { catalog: catalog(), today: TODAY }));
      const item = parseChecklist(r.text).checklist!.controls['12.3.1']!;
      assert.equal(item.status, 'done');
      assert.equal(item.applicable, true);
    });

    it('returns no edit when nothing changes, and refuses empty requests, bad dates, missing justifications and invalid files', () => {
      assert.deepEqual(ok(applyItemChanges(HAND, '6.1.1', { status: 'in-progress' }, { today: TODAY })).edits, []);
      const none = applyItemChanges(HAND, '6.1.1', {}, { today: TODAY });
      assert.equal(none.ok, false);
      assert.equal(hasChanges({}), false);
      assert.equal(hasChanges({ owner: null }), true);
      const date = applyItemChanges(HAND, '6.1.1', { reviewed: '2025-02-30' }, { today: TODAY });
      assert.equal(date.ok, false);
      const na = applyItemChanges(HAND, '6.1.1', { applicable: false }, { today: TODAY });
      assert.ok(!na.ok && /justification/.test(na.reason));
      const broken = HAND.replace('"providers": ["aws"],', '"providers": ["aws"]');
      const r = applyItemChanges(broken, '6.1.1', { status: 'done' }, { today: TODAY });
      assert.ok(!r.ok);
      assert.match(r.reason, /line \d+, column \d+/);
      assert.ok(r.problems.some((p) => p.code === 'syntax'));
    });

    it('removes the owner with null', () => {
      const r = ok(applyItemChanges(HAND, '11.2.7', { owner: null }, { today: TODAY }));
      assert.equal(parseChecklist(r.text).checklist!.controls['11.2.7']!.owner, undefined);
    });
  });

  describe('folderInfo', () => {
    const base = { folder: 'file:///w', name: 'w', uri: 'file:///w/.iso27017/checklist.json', fromEditor: false, catalog: catalog(), evidence: undefined, uriFor };

    it('says missing without a file', () => {
      const f = folderInfo({ ...base, parsed: undefined });
      assert.equal(f.state, 'missing');
      assert.deepEqual(f.rows, []);
      assert.equal(f.progress.total, 0);
    });

    it('says invalid with the first error and no rows', () => {
      const parsed = parseChecklist(HAND.replace('"status": "in-progress"', '"status": "started"'), { catalog: catalog() });
      const f = folderInfo({ ...base, parsed });
      assert.equal(f.state, 'invalid');
      assert.deepEqual(f.rows, []);
      assert.match(f.error ?? '', /^Line \d+, column \d+: .*status/);
      assert.ok(f.problems.some((p) => p.severity === 'error'));
    });

    it('lists every catalog control, then unknown ids, and counts progress over the catalog only', () => {
      const parsed = parseChecklist(HAND, { catalog: catalog() });
      const evidence = evidenceFor(parsed, catalog(), RULES, [finding('terraform/a', ['5.1.1'], 3)]);
      const f = folderInfo({ ...base, parsed, evidence, ruleTitles: new Map([['terraform/b', 'Rule B']]) });
      assert.equal(f.state, 'ready');
      assert.equal(f.rows.length, catalog().controls.length + 1);
      assert.equal(f.rows.at(-1)!.controlId, '9.9.9');
      assert.equal(f.rows.at(-1)!.known, false);
      assert.deepEqual(f.unknownControls, ['9.9.9']);
      assert.equal(f.progress.total + f.progress.notApplicable, catalog().controls.length);
      assert.equal(f.progress.notApplicable, 1);
      assert.equal(f.progress.inProgress, 1);
      const policies = f.rows.find((r) => r.controlId === '5.1.1')!;
      assert.equal(policies.openFindings, 1);
      assert.deepEqual(policies.automatic.map((a) => [a.ruleId, a.title, a.findings]), [['terraform/a', 'Rule A', 1], ['terraform/b', 'Rule B', 0]]);
      assert.deepEqual(policies.automatic[0]!.locations, [{ uri: 'file:///w/main.tf', range: { start: { line: 3, character: 0 }, end: { line: 3, character: 5 } }, resource: 'aws_s3_bucket.b3' }]);
      assert.ok(policies.keyRange);
      assert.equal(f.rows.find((r) => r.controlId === '12.3.1')!.source, 'default');
      assert.equal(f.rows.find((r) => r.controlId === '11.2.7')!.justification, 'No own hardware.');
      assert.deepEqual(f.services, [{ name: 'EC2', provider: 'aws', model: 'IaaS', detectedFrom: ['aws_instance'] }]);
      assert.deepEqual(f.models, ['IaaS']);
    });
  });

  describe('checklistDiagnostics', () => {
    it('publishes every problem at its range and a warning on the key of a control done while its rules fail', () => {
      const text = HAND.replace('"status": "in-progress"', '"status": "done"');
      const parsed = parseChecklist(text, { catalog: catalog() });
      const findings = Array.from({ length: MAX_CONFLICT_RELATED + 5 }, (_, i) => finding('terraform/b', ['6.1.1'], i));
      const evidence = evidenceFor(parsed, catalog(), RULES, findings);
      const ds = checklistDiagnostics(parsed, evidence, uriFor);
      const unknown = ds.find((d) => d.code === 'checklist/unknown-control')!;
      assert.equal(unknown.severity, 2);
      assert.deepEqual(unknown.data, { controlId: '9.9.9' });
      const conflict = ds.find((d) => d.code === 'checklist/done-but-failing')!;
      assert.equal(conflict.severity, 2);
      assert.deepEqual(conflict.range, parsed.locations.controls.get('6.1.1')!.keyRange);
      assert.equal(conflict.relatedInformation!.length, MAX_CONFLICT_RELATED);
      assert.equal(conflict.relatedInformation![0]!.location.uri, 'file:///w/main.tf');
      assert.deepEqual(conflict.data, { controlId: '6.1.1', rules: ['terraform/b'] });
      const lines = ds.map((d) => d.range.start.line);
      assert.deepEqual(lines, [...lines].sort((x, y) => x - y), 'in text order');
      assert.deepEqual(checklistDiagnostics(undefined, undefined, uriFor), []);
    });

    it('puts a syntax error at its exact place, and no conflict on an invalid file', () => {
      const broken = HAND.replace('"providers": ["aws"],', '"providers": ["aws"]');
      const ds = checklistDiagnostics(parseChecklist(broken), undefined, uriFor);
      const e = ds.find((d) => d.code === 'checklist/syntax')!;
      assert.equal(e.severity, 1);
      const at = broken.indexOf('"services"');
      const line = broken.slice(0, at).split('\n').length - 1;
      assert.deepEqual(e.range.start, { line, character: 2 });
      assert.match(firstError(parseChecklist(broken).problems) ?? '', new RegExp(`^Line ${line + 1}, column 3: Expected a comma`));
    });
  });

  it('fingerprints evidence by what a view shows', () => {
    const parsed = parseChecklist(HAND);
    const one = evidenceFingerprint(evidenceFor(parsed, catalog(), RULES, [finding('terraform/a', ['5.1.1'], 3)]));
    assert.equal(one, evidenceFingerprint(evidenceFor(parsed, catalog(), RULES, [finding('terraform/a', ['5.1.1'], 3)])));
    assert.notEqual(one, evidenceFingerprint(evidenceFor(parsed, catalog(), RULES, [finding('terraform/a', ['5.1.1'], 4)])));
    assert.notEqual(one, evidenceFingerprint(evidenceFor(parsed, catalog(), RULES, [])));
    assert.equal(evidenceFingerprint(undefined), '');
  });

  it('labels edits for the undo stack', () => {
    assert.equal(describeChanges('12.3.1', { status: 'done' }), 'control 12.3.1: status done');
    assert.equal(describeChanges('12.3.1', { applicable: false, justification: 'x', owner: null }), 'control 12.3.1: not applicable, no owner');
  });
});
