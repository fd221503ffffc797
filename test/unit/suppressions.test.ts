// Suppression comments: our syntax with its governance (reason, expiry, known rule ids, forbidden controls and
// severities), and the rivals' comments honoured through each rule's equivalents.

import assert from 'node:assert/strict';
import { HclSource } from '../../server/src/documents/terraform/edit';
import { parseHcl } from '../../server/src/documents/terraform/parser';
import { Project, type EngineSettings } from '../../server/src/engine/project';
import { suppressionEdit } from '../../server/src/engine/suppressions';
import { rules } from '../../server/src/rules/index';
import { controls, ruleById } from './support/project';

const VERSIONING = 'terraform/s3-versioning-disabled';
const ENCRYPTION = 'terraform/s3-encryption-missing';
const ROTATION = 'terraform/kms-key-rotation-disabled';
const INVALID = 'iso27017/invalid-suppression';

function analyse(text: string, settings: EngineSettings = {}) {
  const p = new Project({
    rules: [ruleById(VERSIONING), ruleById(ENCRYPTION), ruleById(ROTATION)],
    controls: controls(),
    settings: { now: '2026-06-15', ...settings },
    knownRules: rules.map((r) => r.meta),
  });
  p.setFile('/w/main.tf', text);
  const r = p.analyzeAll();
  const ids = (rule: string): number[] => r.findings.filter((f) => f.ruleId === rule).map((f) => f.range.start.line);
  return { ...r, suppressed: r.suppressed ?? [], ids, invalid: r.findings.filter((f) => f.ruleId === INVALID) };
}

const BUCKET = 'resource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n';
const KEY = 'resource "aws_kms_key" "k" {\n  enable_key_rotation = false\n  description         = "k"\n}\n';

describe('suppressions: iso27017:ignore', () => {
  it('above a resource covers the resource; the finding is listed as suppressed with its comment', () => {
    const r = analyse(`# iso27017:ignore ${VERSIONING} -- scratch bucket\n${BUCKET}`);
    assert.deepEqual(r.ids(VERSIONING), []);
    assert.deepEqual(r.ids(ENCRYPTION), [1], 'other rules still report');
    assert.equal(r.suppressed.length, 1);
    const s = r.suppressed[0]!;
    assert.equal(s.finding.ruleId, VERSIONING);
    assert.deepEqual(
      { syntax: s.suppression.syntax, scope: s.suppression.scope, ids: s.suppression.ids, reason: s.suppression.reason, line: s.suppression.range.start.line },
      { syntax: 'iso27017', scope: 'block', ids: [VERSIONING], reason: 'scratch bucket', line: 0 },
    );
    assert.deepEqual(r.invalid, []);
  });

  it('names several rules, stacks with other comments, and accepts // comments', () => {
    const r = analyse(`// iso27017:ignore ${VERSIONING}, ${ENCRYPTION} -- both accepted\n# a note\n${BUCKET}`);
    assert.deepEqual([r.ids(VERSIONING), r.ids(ENCRYPTION)], [[], []]);
    assert.equal(r.suppressed.length, 2);
  });

  it('above an attribute covers that attribute only; at the end of a line covers the line', () => {
    const key = 'resource "aws_kms_key" "k" {\n  # iso27017:ignore ROTATION -- rotated by hand\n  enable_key_rotation = false\n}\n'.replace('ROTATION', ROTATION);
    assert.deepEqual(analyse(key).ids(ROTATION), []);
    assert.equal(analyse(key).suppressed[0]!.suppression.scope, 'line');
    const elsewhere = `resource "aws_kms_key" "k" {\n  # iso27017:ignore ${ROTATION} -- wrong line\n  description = "k"\n  enable_key_rotation = false\n}\n`;
    assert.deepEqual(analyse(elsewhere).ids(ROTATION), [3]);
    const trailing = `resource "aws_kms_key" "k" {\n  enable_key_rotation = false # iso27017:ignore ${ROTATION} -- rotated by hand\n}\n`;
    assert.deepEqual(analyse(trailing).ids(ROTATION), []);
    const header = `resource "aws_s3_bucket" "b" { # iso27017:ignore ${VERSIONING} -- header line\n  bucket = "b"\n}\n`;
    assert.deepEqual(analyse(header).ids(VERSIONING), []);
  });

  it('ignore-file at the top covers the file; further down it is reported and ignored', () => {
    const top = analyse(`# iso27017:ignore-file ${VERSIONING} -- sandbox account\n\n${BUCKET}\nresource "aws_s3_bucket" "c" {\n  bucket = "c"\n}\n`);
    assert.deepEqual(top.ids(VERSIONING), []);
    assert.equal(top.suppressed.length, 2);
    assert.equal(top.suppressed[0]!.suppression.scope, 'file');
    const late = analyse(`${BUCKET}# iso27017:ignore-file ${VERSIONING} -- too late\n`);
    assert.deepEqual(late.ids(VERSIONING), [0]);
    assert.deepEqual(late.invalid.map((f) => f.messageId), ['misplaced']);
  });

  it('without a reason it is reported and suppresses nothing, unless reasons are not required', () => {
    const text = `# iso27017:ignore ${VERSIONING}\n${BUCKET}`;
    const r = analyse(text);
    assert.deepEqual(r.ids(VERSIONING), [1]);
    assert.equal(r.invalid.length, 1);
    const inv = r.invalid[0]!;
    assert.deepEqual([inv.messageId, inv.severity, inv.range.start.line, inv.controls], ['missingReason', 'warning', 0, []]);
    assert.match(inv.message, /gives no reason/);
    const lax = analyse(text, { suppressions: { requireReason: false } });
    assert.deepEqual([lax.ids(VERSIONING), lax.invalid], [[], []]);
  });

  it('an unknown rule id, a bad date or a blank line after it makes it invalid', () => {
    const unknown = analyse(`# iso27017:ignore terraform/s3-versionning-disabled -- typo\n${BUCKET}`);
    assert.deepEqual([unknown.ids(VERSIONING), unknown.invalid.map((f) => f.messageId)], [[1], ['unknownRule']]);
    assert.match(unknown.invalid[0]!.message, /versionning/);
    // Words without `--` read as rule ids.
    assert.deepEqual(analyse(`# iso27017:ignore ${VERSIONING} because reasons\n${BUCKET}`).invalid.map((f) => f.messageId), ['unknownRule']);
    assert.deepEqual(analyse(`# iso27017:ignore ${VERSIONING} until=2026-13-01 -- x\n${BUCKET}`).invalid.map((f) => f.messageId), ['badDate']);
    assert.deepEqual(analyse(`# iso27017:ignore ${VERSIONING} -- x\n\n${BUCKET}`).invalid.map((f) => f.messageId), ['detached']);
    assert.deepEqual(analyse(`# iso27017:ignore -- nothing named\n${BUCKET}`).invalid.map((f) => f.messageId), ['noRule']);
  });

  it('expires after its until date (compared with the date passed in)', () => {
    const text = (until: string) => `# iso27017:ignore ${VERSIONING} until=${until} -- until the migration\n${BUCKET}`;
    const future = analyse(text('2026-06-15'));
    assert.deepEqual(future.ids(VERSIONING), []);
    assert.equal(future.suppressed[0]!.suppression.expires, '2026-06-15');
    const past = analyse(text('2026-06-14'));
    assert.deepEqual(past.ids(VERSIONING), [1]);
    assert.deepEqual(past.invalid.map((f) => f.messageId), ['expired']);
    assert.match(past.invalid[0]!.message, /expired on 2026-06-14/);
    // Without a date the engine cannot tell, and honours it.
    const p = new Project({ rules: [ruleById(VERSIONING)], controls: controls() });
    p.setFile('/w/main.tf', text('2000-01-01'));
    assert.deepEqual(p.analyzeAll().findings, []);
  });

  it('a forbidden control or severity cannot be suppressed', () => {
    const text = `# iso27017:ignore ${VERSIONING} -- please\n${BUCKET}`;
    const byControl = analyse(text, { suppressions: { forbid: { controls: ['CLD.8.1.5'] } } });
    assert.deepEqual(byControl.ids(VERSIONING), [1]);
    assert.deepEqual(byControl.invalid.map((f) => f.messageId), ['notAllowed']);
    assert.match(byControl.invalid[0]!.message, /control CLD\.8\.1\.5/);
    const bySeverity = analyse(text, { suppressions: { forbid: { severities: ['error'] } }, rules: { [VERSIONING]: 'error' } });
    assert.deepEqual([bySeverity.ids(VERSIONING), bySeverity.invalid.map((f) => f.messageId)], [[1], ['notAllowed']]);
    const other = analyse(text, { suppressions: { forbid: { severities: ['error'], controls: ['10.1.1'] } } });
    assert.deepEqual([other.ids(VERSIONING), other.invalid], [[], []]);
  });

  it('the meta rule follows the rules setting', () => {
    const text = `# iso27017:ignore ${VERSIONING}\n${BUCKET}`;
    assert.deepEqual(analyse(text, { rules: { [INVALID]: 'off' } }).invalid, []);
    assert.equal(analyse(text, { rules: { [INVALID]: 'error' } }).invalid[0]!.severity, 'error');
  });

  it('builds the edit that suppresses a finding above its resource, in the file style', () => {
    const text = 'locals {}\n\n  resource "aws_s3_bucket" "b" {\r\n    bucket = "b"\r\n  }\r\n';
    const src = new HclSource(text, parseHcl(text));
    const e = suppressionEdit(src, text.indexOf('bucket = '), VERSIONING, ' scratch\nbucket ', '2027-01-01')!;
    assert.deepEqual(e, { start: 11, end: 11, newText: `  # iso27017:ignore ${VERSIONING} until=2027-01-01 -- scratch bucket\n` });
    assert.equal(suppressionEdit(src, 20, VERSIONING, '  '), undefined);
    assert.equal(suppressionEdit(src, 20, VERSIONING, 'x', '27-01-01'), undefined);
  });
});

describe('suppressions: rival comments through equivalents', () => {
  it('checkov:skip inside the resource, with or without a reason', () => {
    const r = analyse('resource "aws_s3_bucket" "b" {\n  #checkov:skip=CKV_AWS_21:versioning handled by backup plan\n  bucket = "b"\n}\n');
    assert.deepEqual([r.ids(VERSIONING), r.ids(ENCRYPTION)], [[], [0]]);
    assert.deepEqual({ syntax: r.suppressed[0]!.suppression.syntax, scope: r.suppressed[0]!.suppression.scope, reason: r.suppressed[0]!.suppression.reason }, { syntax: 'checkov', scope: 'block', reason: 'versioning handled by backup plan' });
    assert.deepEqual(analyse('resource "aws_s3_bucket" "b" {\n  # checkov:skip=CKV_AWS_19\n  bucket = "b"\n}\n').ids(ENCRYPTION), []);
    // Outside the resource it applies to nothing; an id of another check suppresses nothing.
    assert.deepEqual(analyse(`#checkov:skip=CKV_AWS_21:outside\n${BUCKET}`).ids(VERSIONING), [1]);
    assert.deepEqual(analyse('resource "aws_s3_bucket" "b" {\n  #checkov:skip=CKV_AWS_18:logging\n  bucket = "b"\n}\n').ids(VERSIONING), [0]);
  });

  it('tfsec:ignore and trivy:ignore above the resource or on the line, several per line, with expiry', () => {
    assert.deepEqual(analyse(`#tfsec:ignore:aws-s3-enable-versioning\n${BUCKET}`).ids(VERSIONING), []);
    const both = analyse(`#tfsec:ignore:aws-s3-enable-versioning #tfsec:ignore:aws-s3-enable-bucket-encryption\n${BUCKET}`);
    assert.deepEqual([both.ids(VERSIONING), both.ids(ENCRYPTION)], [[], []]);
    assert.deepEqual(analyse(`#trivy:ignore:avd-aws-0090\n${BUCKET}`).ids(VERSIONING), [], 'AVD ids, any case');
    assert.deepEqual(analyse(`#trivy:ignore:AWS-0090 trivy:ignore:AWS-0088\n${BUCKET}`).ids(ENCRYPTION), []);
    const wild = analyse(`#trivy:ignore:aws-s3-*\n${BUCKET}`);
    assert.deepEqual([wild.ids(VERSIONING), wild.ids(ENCRYPTION)], [[], []]);
    const line = analyse('resource "aws_kms_key" "k" {\n  enable_key_rotation = false #tfsec:ignore:aws-kms-auto-rotate-keys\n}\n');
    assert.deepEqual(line.ids(ROTATION), []);
    assert.equal(line.suppressed[0]!.suppression.scope, 'line');
    const live = analyse(`#tfsec:ignore:aws-s3-enable-versioning:exp:2026-07-01\n${BUCKET}`);
    assert.deepEqual([live.ids(VERSIONING), live.suppressed[0]!.suppression.expires], [[], '2026-07-01']);
    const expired = analyse(`#trivy:ignore:aws-s3-enable-versioning:exp:2026-01-01\n${BUCKET}`);
    assert.deepEqual([expired.ids(VERSIONING), expired.invalid.map((f) => f.messageId)], [[1], ['expired']]);
    // Attribute filters and other workspaces cannot be judged here: not honoured.
    assert.deepEqual(analyse(`#trivy:ignore:aws-s3-enable-versioning[bucket=b]\n${BUCKET}`).ids(VERSIONING), [1]);
    assert.deepEqual(analyse(`#trivy:ignore:aws-s3-enable-versioning:ws:prod\n${BUCKET}`).ids(VERSIONING), [1]);
  });

  it('kics-scan ignore-line, ignore-block, and at the top ignore and disable=', () => {
    const key = (comment: string) => `resource "aws_kms_key" "k" {\n  ${comment}\n  enable_key_rotation = false\n}\n`;
    assert.deepEqual(analyse(key('# kics-scan ignore-line')).ids(ROTATION), []);
    assert.deepEqual(analyse(`# kics-scan ignore-line\n${KEY}`).ids(ROTATION), [2], 'only the next line');
    assert.deepEqual(analyse(`# kics-scan ignore-block\n${KEY}`).ids(ROTATION), []);
    // The whole-file forms only count at the top, and only for rules with a KICS equivalent.
    const ignore = analyse(`# kics-scan ignore\n${BUCKET}`);
    assert.deepEqual([ignore.ids(VERSIONING), ignore.ids(ENCRYPTION)], [[], [1]]);
    assert.deepEqual(analyse(`${BUCKET}# kics-scan ignore\n`).ids(VERSIONING), [0]);
    const disable = analyse(`# kics-scan disable=22fbfeac-7b5a-421a-8a27-7a2178bb910b,00000000-0000-0000-0000-000000000000\n${BUCKET}${KEY}`);
    assert.deepEqual([disable.ids(ROTATION), disable.ids(VERSIONING)], [[], [1]]);
    assert.equal(disable.suppressed[0]!.suppression.syntax, 'kics');
  });

  it('the forbid policy applies to rival comments too', () => {
    const text = 'resource "aws_kms_key" "k" {\n  #checkov:skip=CKV_AWS_7:rotation\n  enable_key_rotation = false\n}\n';
    assert.deepEqual(analyse(text).ids(ROTATION), []);
    const r = analyse(text, { suppressions: { forbid: { controls: ['10.1.2'] } } });
    assert.deepEqual(r.ids(ROTATION), [2]);
    assert.deepEqual(r.invalid.map((f) => [f.messageId, f.range.start.line]), [['notAllowed', 1]]);
  });
});
