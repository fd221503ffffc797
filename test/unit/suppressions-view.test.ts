// What the Suppressions view is built from, without a server process: the engine's verdict on every suppression
// comment (valid, invalid, ignored, and why), the honourOtherTools switch, expiry arithmetic (server side),
// the suppression settings normalised by the client and again by the server, and the view's pure model.

import assert from 'node:assert/strict';
import { normaliseSuppressionSettings } from '../../client/src/config';
import {
  attentionCount,
  commentDescription,
  commentIcon,
  commentLabel,
  commentNodeIds,
  commentRuleText,
  expiryText,
  groupDescription,
  groupLabel,
  groupNodeId,
  groupSuppressions,
  NO_RULE_KEY,
  problemText,
} from '../../client/src/views/suppressionsModel';
import { HclSource } from '../../server/src/documents/terraform/edit';
import { parseHcl } from '../../server/src/documents/terraform/parser';
import { LineMap } from '../../server/src/engine/lines';
import { Project, type EngineSettings } from '../../server/src/engine/project';
import { applySuppressions, hclCommentSource, type SuppressionContext, type SuppressionPolicy } from '../../server/src/engine/suppressions';
import type { Finding } from '../../server/src/engine/types';
import { normaliseSettings } from '../../server/src/handlers/settings';
import { daysBetween, expiryStatus } from '../../server/src/handlers/suppressions';
import type { FindingInfo, SuppressionCommentInfo } from '../../server/src/protocol';
import { rules } from '../../server/src/rules/index';
import { controls, ruleById } from './support/project';

const VERSIONING = 'terraform/s3-versioning-disabled';
const ENCRYPTION = 'terraform/s3-encryption-missing';
const INVALID = 'iso27017/invalid-suppression';
const metas = new Map(rules.map((r) => [r.meta.id, r.meta]));

const bucket = (name: string): string => `resource "aws_s3_bucket" "${name}" {\n  bucket = "${name}"\n}\n`;

function analyse(text: string, settings: EngineSettings = {}) {
  const p = new Project({ rules: [ruleById(VERSIONING), ruleById(ENCRYPTION)], controls: controls(), settings: { now: '2026-06-15', ...settings }, knownRules: rules.map((r) => r.meta) });
  p.setFile('/w/main.tf', text);
  const r = p.analyzeAll();
  return { ...r, lines: (rule: string): number[] => r.findings.filter((f) => f.ruleId === rule).map((f) => f.range.start.line) };
}

/** The verdicts of every comment of `text`, judged against the findings the two S3 rules give it. */
function verdicts(text: string, policy: SuppressionPolicy = {}, invalidSeverity: 'warning' | 'off' = 'warning') {
  const p = new Project({ rules: [ruleById(VERSIONING), ruleById(ENCRYPTION)], controls: controls(), settings: { rules: { [INVALID]: 'off' } } });
  p.setFile('/w/main.tf', text);
  // With every comment taken out of the picture: the raw findings.
  const raw = p.analyzeAll();
  const findings: Finding[] = [...raw.findings, ...(raw.suppressed ?? []).map((s) => s.finding)];
  const src = new HclSource(text, parseHcl(text));
  const ctx: SuppressionContext = { rules: metas, severityOf: (id) => metas.get(id)?.severity ?? 'warning', now: '2026-06-15', policy };
  const r = applySuppressions('/w/main.tf', hclCommentSource(src), new LineMap(text), findings, ctx, invalidSeverity);
  return { ...r, by: (prefix: string) => r.comments.find((c) => c.text.startsWith(prefix))! };
}

describe('suppressions view: the engine verdict on every comment', () => {
  it('lists valid comments with the rules they apply to and the findings they silence, in source order', () => {
    const text = [
      `# iso27017:ignore ${VERSIONING} until=2026-07-01 -- scratch\n${bucket('a')}`,
      `resource "aws_s3_bucket" "b" {\n  #checkov:skip=CKV_AWS_21:backup vault\n  bucket = "b"\n}\n`,
      `# kics-scan ignore-block\n${bucket('c')}`,
      `# iso27017:ignore terraform/kms-key-rotation-disabled -- nothing to silence\n${bucket('d')}`,
    ].join('\n');
    const r = verdicts(text);
    assert.deepEqual(
      r.comments.map((c) => [c.syntax, c.status, c.rules, c.suppressed.map((f) => f.ruleId), c.reason ?? null, c.expires ?? null]),
      [
        ['iso27017', 'valid', [VERSIONING], [VERSIONING], 'scratch', '2026-07-01'],
        ['checkov', 'valid', [VERSIONING], [VERSIONING], 'backup vault', null],
        // A KICS comment without ids applies to the rules of what it silenced.
        ['kics', 'valid', [VERSIONING], [VERSIONING], null, null],
        ['iso27017', 'valid', ['terraform/kms-key-rotation-disabled'], [], 'nothing to silence', null],
      ],
    );
    assert.equal(r.comments[1]!.range.start.line, 6);
  });

  it('judges our comments up front, also when the meta rule is off (then nothing is reported)', () => {
    const text = [
      `# iso27017:ignore ${VERSIONING}\n${bucket('a')}`,
      `# iso27017:ignore terraform/nope -- typo\n${bucket('b')}`,
      `# iso27017:ignore ${VERSIONING} until=2026-06-14 -- yesterday\n${bucket('c')}`,
      `# iso27017:ignore ${VERSIONING} until=2026-06-15 -- last day today\n${bucket('d')}`,
      `# iso27017:ignore ${VERSIONING} until=2026-13-01 -- bad month\n${bucket('e')}`,
      `# iso27017:ignore ${VERSIONING} -- detached\n\n${bucket('f')}`,
    ].join('\n');
    const off = verdicts(text, {}, 'off');
    assert.deepEqual(off.invalid, []);
    assert.deepEqual(
      off.comments.map((c) => [c.status, c.problem?.code ?? null]),
      [
        ['invalid', 'missingReason'],
        ['invalid', 'unknownRule'],
        ['invalid', 'expired'],
        ['valid', null],
        ['invalid', 'badDate'],
        ['invalid', 'detached'],
      ],
    );
    assert.match(off.comments[1]!.problem!.message, /unknown rule id "terraform\/nope"/);
    assert.deepEqual(off.comments[1]!.rules, ['terraform/nope']);
    const on = verdicts(text);
    assert.deepEqual(on.invalid.map((f) => f.messageId), ['missingReason', 'unknownRule', 'expired', 'badDate', 'detached']);
    // Same judgement, same words.
    assert.deepEqual(on.invalid.map((f) => f.message), on.comments.filter((c) => c.status === 'invalid').map((c) => c.problem!.message));
    assert.equal(verdicts(`# iso27017:ignore ${VERSIONING}\n${bucket('a')}`, { requireReason: false }).comments[0]!.status, 'valid');
  });

  it("marks other tools' comments it does not honour as ignored, with the reason, and never reports them", () => {
    const text = [
      `#tfsec:ignore:aws-s3-enable-versioning[from_port=22]\n${bucket('a')}`,
      `#trivy:ignore:AVD-AWS-0090:ws:staging\n${bucket('b')}`,
      `#tfsec:ignore:AVD-AWS-0090:exp:2026-02-30\n${bucket('c')}`,
      `resource "aws_s3_bucket" "d" {\n  #checkov:skip=CKV_AWS_999:not ours\n  bucket = "d"\n}\n`,
    ].join('\n');
    const r = verdicts(text);
    assert.deepEqual(
      r.comments.map((c) => [c.syntax, c.status, c.problem?.code]),
      [
        ['tfsec', 'ignored', 'filter'],
        ['trivy', 'ignored', 'workspace'],
        ['tfsec', 'ignored', 'date'],
        ['checkov', 'ignored', 'noEquivalent'],
      ],
    );
    assert.match(r.by('checkov').problem!.message, /CKV_AWS_999.*Checkov/);
    assert.deepEqual(r.invalid, []);
    assert.deepEqual(r.kept.filter((f) => f.ruleId === VERSIONING).length, 4);
  });

  it('calls an expired comment of another tool invalid even before it meets a finding; a forbidden one once it does', () => {
    const text = `#trivy:ignore:AVD-AWS-0090:exp:2026-01-01\n${bucket('a')}\n#trivy:ignore:AVD-AWS-0090:exp:2027-01-01\nresource "aws_kms_key" "k" {}\n`;
    const r = verdicts(text);
    assert.deepEqual([r.comments[0]!.status, r.comments[0]!.problem?.code], ['invalid', 'expired']);
    // The second one meets no versioning finding: still valid (and not reported).
    assert.equal(r.comments[1]!.status, 'valid');
    const forbidden = verdicts(`resource "aws_s3_bucket" "a" {\n  #checkov:skip=CKV_AWS_21\n  bucket = "a"\n}\n`, { forbid: { controls: ['12.3.1'] } });
    assert.deepEqual([forbidden.comments[0]!.status, forbidden.comments[0]!.problem?.code, forbidden.comments[0]!.suppressed.length], ['invalid', 'notAllowed', 0]);
  });

  it('honourOtherTools: false silences no finding with other tools’ comments, and ours still work', () => {
    const text = `resource "aws_s3_bucket" "a" {\n  #checkov:skip=CKV_AWS_21:vault\n  bucket = "a"\n}\n\n#tfsec:ignore:aws-s3-enable-versioning\n${bucket('b')}\n# iso27017:ignore ${VERSIONING} -- ours\n${bucket('c')}`;
    const on = analyse(text);
    assert.deepEqual(on.lines(VERSIONING), []);
    const off = analyse(text, { suppressions: { honourOtherTools: false } });
    assert.deepEqual(off.lines(VERSIONING), [0, 6]);
    assert.deepEqual(off.findings.filter((f) => f.ruleId === INVALID), [], 'ignored comments are not reported');
    assert.deepEqual((off.suppressed ?? []).map((s) => s.suppression.syntax), ['iso27017']);
    const v = verdicts(text, { honourOtherTools: false });
    assert.deepEqual(v.comments.map((c) => [c.syntax, c.status, c.problem?.code ?? null]), [
      ['checkov', 'ignored', 'otherToolsOff'],
      ['tfsec', 'ignored', 'otherToolsOff'],
      ['iso27017', 'valid', null],
    ]);
  });
});

describe('suppressions view: expiry arithmetic (server side)', () => {
  it('counts calendar days between two dates, across months, leap days and years', () => {
    assert.equal(daysBetween('2026-06-15', '2026-06-15'), 0);
    assert.equal(daysBetween('2026-06-15', '2026-07-15'), 30);
    assert.equal(daysBetween('2028-02-28', '2028-03-01'), 2);
    assert.equal(daysBetween('2026-12-31', '2027-01-01'), 1);
    assert.equal(daysBetween('2026-06-15', '2026-06-01'), -14);
    assert.equal(daysBetween('2026-06-15', '2026-02-30'), undefined);
    assert.equal(daysBetween('2026-06-15', 'soon'), undefined);
  });

  it('flags expired after the date, soon within 30 days (the day itself included), ok later', () => {
    const today = '2026-06-15';
    assert.deepEqual(expiryStatus('2026-06-14', today), { status: 'expired', daysLeft: -1 });
    assert.deepEqual(expiryStatus('2026-06-15', today), { status: 'soon', daysLeft: 0 });
    assert.deepEqual(expiryStatus('2026-07-15', today), { status: 'soon', daysLeft: 30 });
    assert.deepEqual(expiryStatus('2026-07-16', today), { status: 'ok', daysLeft: 31 });
    assert.deepEqual(expiryStatus('2026-13-01', today), { status: 'invalid' });
    assert.deepEqual(expiryStatus('2026-06-20', today, 3), { status: 'ok', daysLeft: 5 });
  });
});

describe('suppressions view: settings', () => {
  it('the client maps the VS Code settings to the wire shape with their defaults', () => {
    assert.deepEqual(normaliseSuppressionSettings(undefined), { requireReason: true, honourOtherTools: true });
    assert.deepEqual(
      normaliseSuppressionSettings({ requireReason: false, honourOtherTools: false, forbidControls: [' 12.3.1 ', '', 7, '12.3.1', 'CLD.9.5.1'], forbidSeverities: ['Error', 'hint', 'warning', 'error', null] }),
      { requireReason: false, honourOtherTools: false, forbid: { controls: ['12.3.1', 'CLD.9.5.1'], severities: ['error', 'warning'] } },
    );
    assert.deepEqual(normaliseSuppressionSettings({ requireReason: 'no', honourOtherTools: 1, forbidControls: 'x', forbidSeverities: {} }), { requireReason: true, honourOtherTools: true });
  });

  it('the server validates again, accepting the wire shape and the flat names', () => {
    assert.equal(normaliseSettings({}).suppressions, undefined);
    assert.deepEqual(normaliseSettings({ suppressions: { honourOtherTools: false } }).suppressions, { honourOtherTools: false });
    assert.deepEqual(normaliseSettings({ suppressions: { requireReason: true, honourOtherTools: 'no', forbid: { controls: ['9.4.1'], severities: ['error', 'bogus'] } } }).suppressions, {
      requireReason: true,
      forbid: { controls: ['9.4.1'], severities: ['error'] },
    });
    assert.deepEqual(normaliseSettings({ suppressions: { forbidControls: [' 12.3.1', '12.3.1'], forbidSeverities: ['WARNING'], forbid: { controls: ['12.3.1'] } } }).suppressions, {
      forbid: { controls: ['12.3.1'], severities: ['warning'] },
    });
    assert.equal(normaliseSettings({ suppressions: [] }).suppressions, undefined);
  });
});

// ---- the view's model ----

const range = (line: number) => ({ start: { line, character: 0 }, end: { line, character: 30 } });
const finding = (uri: string, line: number): FindingInfo => ({
  uri,
  ruleId: VERSIONING,
  messageId: 'missing',
  severity: 'warning',
  message: 'm',
  range: range(line),
  controls: ['12.3.1'],
  fixable: true,
  related: [],
});
function info(over: Partial<SuppressionCommentInfo> & Pick<SuppressionCommentInfo, 'uri'>): SuppressionCommentInfo {
  return {
    syntax: 'iso27017',
    scope: 'block',
    ids: [VERSIONING],
    range: range(0),
    text: `iso27017:ignore ${VERSIONING} -- why`,
    reason: 'why',
    status: 'valid',
    rules: [VERSIONING],
    findings: [],
    ...over,
  };
}
const A = 'file:///w/a.tf';
const B = 'file:///w/sub/b.tf';
const label = (u: string): string => u.replace('file:///w/', '');

describe('suppressions view: model', () => {
  const comments = [
    info({ uri: B, range: range(4), findings: [finding(B, 5)] }),
    info({ uri: A, range: range(9), syntax: 'checkov', ids: ['CKV_AWS_19', 'CKV_AWS_21'], rules: [ENCRYPTION, VERSIONING], text: 'checkov:skip=…', reason: undefined }),
    info({ uri: A, range: range(2), ids: [], rules: [], syntax: 'kics', text: 'kics-scan ignore-line', scope: 'line', reason: undefined }),
    info({ uri: A, range: range(0), status: 'invalid', problem: { code: 'missingReason', message: 'Suppression … gives no reason' }, reason: undefined }),
  ];

  it('groups by file (sorted by path, comments by line) and by rule (a comment under each rule it names, none last)', () => {
    const byFile = groupSuppressions(comments, 'file', label);
    assert.deepEqual(byFile.map((g) => [g.key, g.comments.map((c) => c.range.start.line)]), [
      [A, [0, 2, 9]],
      [B, [4]],
    ]);
    const byRule = groupSuppressions(comments, 'rule', label);
    assert.deepEqual(byRule.map((g) => [g.key, g.comments.map((c) => `${label(c.uri)}:${c.range.start.line}`)]), [
      [ENCRYPTION, ['a.tf:9']],
      [VERSIONING, ['a.tf:0', 'a.tf:9', 'sub/b.tf:4']],
      [NO_RULE_KEY, ['a.tf:2']],
    ]);
    assert.deepEqual(byRule.map((g) => groupLabel(g)), [ENCRYPTION, VERSIONING, 'No specific rule']);
    assert.equal(groupLabel(byFile[1]!, label), 'sub/b.tf');
    assert.equal(groupNodeId(byRule[0]!), `suppressions:rule:${ENCRYPTION}`);
    assert.equal(groupDescription(byFile[0]!), '3 suppressions · 1 invalid');
    assert.deepEqual(groupSuppressions([], 'file'), []);
  });

  it('gives comments ids that survive lines moving and tell identical comments apart', () => {
    const one = info({ uri: A, range: range(3) });
    const twin = info({ uri: A, range: range(8) });
    const ids = commentNodeIds('g', [one, twin]);
    assert.notEqual(ids[0], ids[1]);
    assert.deepEqual(commentNodeIds('g', [info({ uri: A, range: range(13) }), info({ uri: A, range: range(18) })]), ids);
    assert.notDeepEqual(commentNodeIds('g', [info({ uri: A, text: 'other' })]), [ids[0]]);
  });

  it('labels, describes and marks each comment by its verdict and expiry', () => {
    const soon = info({ uri: A, expires: '2026-06-20', expiry: { status: 'soon', daysLeft: 5 }, findings: [finding(A, 1), finding(A, 7)] });
    assert.equal(commentLabel(soon, 'file'), VERSIONING);
    assert.equal(commentLabel(soon, 'rule', label), 'a.tf:1');
    assert.equal(commentDescription(soon, 'file'), 'iso27017 · "why" · until 2026-06-20 (in 5 days) · silences 2 findings');
    assert.deepEqual(commentIcon(soon), { id: 'warning', color: 'problemsWarningIcon.foreground' });

    const later = info({ uri: A, expires: '2027-01-01', expiry: { status: 'ok', daysLeft: 200 } });
    assert.equal(commentDescription(later, 'file'), 'iso27017 · "why" · until 2027-01-01 · silences nothing now');
    assert.deepEqual(commentIcon(later), { id: 'eye-closed' });

    const expired = info({ uri: A, status: 'invalid', expires: '2026-06-01', expiry: { status: 'expired', daysLeft: -14 }, problem: { code: 'expired', message: 'Suppression … expired on 2026-06-01; …' } });
    assert.equal(commentDescription(expired, 'file'), 'iso27017 · expired on 2026-06-01');
    assert.equal(expiryText(expired), 'expired 2026-06-01 (14 days ago)');
    assert.deepEqual(commentIcon(expired), { id: 'error', color: 'problemsErrorIcon.foreground' });

    const unknown = info({ uri: A, ids: ['terraform/nope'], rules: ['terraform/nope'], status: 'invalid', problem: { code: 'unknownRule', message: 'Suppression "…" names unknown rule id "terraform/nope". It suppresses nothing.' } });
    assert.equal(problemText(unknown), 'unknown rule terraform/nope');
    assert.equal(problemText(info({ uri: A, status: 'invalid', problem: { code: 'somethingNew', message: 'Full message.' } })), 'Full message.');

    const checkov = comments[1]!;
    assert.equal(commentRuleText(checkov), `CKV_AWS_19, CKV_AWS_21 → ${ENCRYPTION}, ${VERSIONING}`);
    assert.equal(commentDescription(checkov, 'rule'), 'Checkov · CKV_AWS_19, CKV_AWS_21 · no reason · silences nothing now');
    assert.equal(commentRuleText(comments[2]!), 'any rule (line)');
    const ignored = info({ uri: A, syntax: 'checkov', ids: ['CKV_AWS_21'], status: 'ignored', problem: { code: 'otherToolsOff', message: '…' } });
    assert.equal(commentDescription(ignored, 'file'), "Checkov · other tools' comments are switched off");
    assert.deepEqual(commentIcon(ignored), { id: 'circle-slash', color: 'disabledForeground' });

    assert.equal(attentionCount([soon, later, expired, unknown, ignored]), 3);
  });
});
