// The repository config (.iso27017/config.json): the reader (every field, comments, problems with positions,
// unknown keys kept as warnings) and the merge with a person's settings (docs/config.md).

import assert from 'node:assert/strict';
import { mergeSettings, mergeSuppressionPolicy, sidecarProblems } from '../../server/src/config/merge';
import { emptyRepoConfig, parseRepoConfig } from '../../server/src/config/repoConfig';
import { Project } from '../../server/src/engine/project';
import type { Iso27017Settings } from '../../server/src/protocol';
import { rules } from '../../server/src/rules/index';

const VERSIONING = 'terraform/s3-versioning-disabled';
const known = new Set(rules.map((r) => r.meta.id));
const metas = rules.map((r) => r.meta);

const FULL = `// The team's baseline.
{
  "$schema": "../controls-data/schema/config.schema.json",
  /* block comment */
  "rules": { "${VERSIONING}": "off", "terraform/s3-encryption-missing": "error", },
  "exclude": ["examples/**", "*.auto.tfvars"],
  "formats": ["terraform"],
  "providers": ["aws"],
  "suppressions": {
    "requireReason": true,
    "forbidControls": ["10.1.1"],
    "forbidSeverities": ["error"],
    "honourOtherTools": false,
    "sidecar": [
      { "rule": "${VERSIONING}", "path": "legacy/**", "reason": "rebuilt nightly", "until": "2999-12-31" }
    ]
  },
  "checklist": { "path": "compliance/checklist.json" }
}
`;

const user = (s: Partial<Iso27017Settings> = {}): Iso27017Settings => ({ enable: true, rules: {}, exclude: [], ...s });

describe('repository config: reader', function () {
  it('reads every field of a file with comments and trailing commas', function () {
    const r = parseRepoConfig(FULL, { knownRules: known });
    assert.deepEqual(r.problems, []);
    assert.equal(r.valid, true);
    const c = r.config;
    assert.deepEqual(c.rules, { [VERSIONING]: 'off', 'terraform/s3-encryption-missing': 'error' });
    assert.deepEqual(c.exclude, ['examples/**', '*.auto.tfvars']);
    assert.deepEqual(c.formats, ['terraform']);
    assert.deepEqual(c.providers, ['aws']);
    assert.equal(c.suppressions.requireReason, true);
    assert.deepEqual(c.suppressions.forbidControls, ['10.1.1']);
    assert.deepEqual(c.suppressions.forbidSeverities, ['error']);
    assert.equal(c.suppressions.honourOtherTools, false);
    assert.equal(c.suppressions.sidecar.length, 1);
    const s = c.suppressions.sidecar[0]!;
    assert.deepEqual({ rule: s.rule, path: s.path, reason: s.reason, until: s.until }, { rule: VERSIONING, path: 'legacy/**', reason: 'rebuilt nightly', until: '2999-12-31' });
    assert.deepEqual(s.range.start, { line: 14, character: 6 });
    assert.deepEqual(c.checklist, { path: 'compliance/checklist.json' });
    assert.deepEqual(c.unknown, {});
  });

  it('gives the defaults for an empty object, and a warning for an empty file', function () {
    assert.deepEqual(parseRepoConfig('{}'), { config: emptyRepoConfig(), problems: [], valid: true });
    const empty = parseRepoConfig('');
    assert.equal(empty.valid, true);
    assert.equal(empty.problems[0]?.severity, 'warning');
  });

  it('reports unknown keys as warnings at the key, and keeps them', function () {
    const text = '{\n  "rules": {},\n  "future": { "a": [1, 2] },\n  "suppressions": { "later": true },\n  "checklist": { "owner": "x" }\n}\n';
    const r = parseRepoConfig(text);
    assert.equal(r.valid, true);
    assert.deepEqual(
      r.problems.map((p) => [p.severity, p.code, p.pointer, p.range.start.line, p.range.start.character]),
      [
        ['warning', 'unknown-key', '/future', 2, 2],
        ['warning', 'unknown-key', '/suppressions/later', 3, 20],
        ['warning', 'unknown-key', '/checklist/owner', 4, 17],
      ],
    );
    assert.deepEqual(r.config.unknown, { future: { a: [1, 2] }, suppressions: { later: true }, checklist: { owner: 'x' } });
  });

  it('reports bad values as errors with the range of the value, and keeps the rest', function () {
    const text = [
      '{',
      '  "rules": { "a/b": "loud", "terraform/s3-encryption-missing": "info" },',
      '  "exclude": "examples",',
      '  "formats": ["terraform", "yaml"],',
      '  "providers": ["aws", "oracle"],',
      '  "suppressions": { "requireReason": "yes", "forbidControls": ["A.1"], "forbidSeverities": ["fatal"],',
      '    "sidecar": [{ "rule": "x/y", "path": "p" }, { "rule": "' + VERSIONING + '", "path": "a", "reason": "r", "until": "2024-02-30" }] },',
      '  "checklist": { "path": "../elsewhere.json" }',
      '}',
    ].join('\n');
    const r = parseRepoConfig(text, { knownRules: known });
    assert.equal(r.valid, false);
    const at = (pointer: string) => r.problems.find((p) => p.pointer === pointer);
    const loud = at('/rules/a~1b')!;
    assert.equal(loud.severity, 'error');
    assert.deepEqual(loud.range, { start: { line: 1, character: 20 }, end: { line: 1, character: 26 } });
    assert.deepEqual(r.config.rules, { 'terraform/s3-encryption-missing': 'info' });
    assert.equal(at('/exclude')!.range.start.line, 2);
    assert.deepEqual(r.config.exclude, []);
    assert.match(at('/formats/1')!.message, /Unknown format "yaml"/);
    assert.deepEqual(r.config.formats, ['terraform']);
    assert.deepEqual(r.config.providers, ['aws']);
    assert.ok(at('/suppressions/requireReason'));
    assert.equal(r.config.suppressions.requireReason, undefined);
    assert.ok(at('/suppressions/forbidControls/0'));
    assert.ok(at('/suppressions/forbidSeverities/0'));
    assert.match(at('/suppressions/sidecar/0')!.message, /needs "reason"/);
    assert.match(at('/suppressions/sidecar/1/until')!.message, /YYYY-MM-DD/);
    assert.deepEqual(r.config.suppressions.sidecar, []);
    assert.match(at('/checklist/path')!.message, /stay inside/);
    assert.equal(r.config.checklist.path, '.iso27017/checklist.json');
  });

  it('reports syntax errors and duplicate keys at their place, never throws', function () {
    const r = parseRepoConfig('{\n  "rules": {}\n  "exclude": ["a"],\n  "exclude": ["b"]\n}');
    assert.equal(r.valid, false);
    const syntax = r.problems.find((p) => p.code === 'syntax')!;
    assert.match(syntax.message, /comma/);
    assert.equal(syntax.range.start.line, 2);
    const dup = r.problems.find((p) => p.code === 'duplicate-key')!;
    assert.equal(dup.range.start.line, 3);
    assert.deepEqual(r.config.exclude, ['a'], 'the first key counts');
    for (const junk of ['[', '"x"', '{"rules": [}', '\u0000\u0001', '{"suppressions": {"sidecar": [1, null, {}]}}']) {
      assert.doesNotThrow(() => parseRepoConfig(junk));
      assert.equal(parseRepoConfig(junk).valid, false, junk);
    }
  });

  it('warns about unknown rule and control ids but keeps them', function () {
    const r = parseRepoConfig('{ "rules": { "terraform/nope": "off" }, "suppressions": { "forbidControls": ["99.9.9"] } }', { knownRules: known, knownControls: new Set(['10.1.1']) });
    assert.equal(r.valid, true);
    assert.deepEqual(r.problems.map((p) => [p.severity, p.code]), [['warning', 'unknown-rule'], ['warning', 'unknown-control']]);
    assert.deepEqual(r.config.rules, { 'terraform/nope': 'off' });
    assert.deepEqual(r.config.suppressions.forbidControls, ['99.9.9']);
  });
});

describe('repository config: merge with user settings', function () {
  const repo = parseRepoConfig(FULL, { knownRules: known }).config;

  it('without a config, the user settings apply as they are', function () {
    const m = mergeSettings(user({ rules: { a: 'off' } }), undefined, '/ws', metas);
    assert.deepEqual(m.settings, user({ rules: { a: 'off' } }));
    assert.equal(m.sidecar, undefined);
  });

  it('user rules override the repository per rule; excludes are the union', function () {
    const m = mergeSettings(user({ rules: { [VERSIONING]: 'error' }, exclude: ['tmp/**', 'examples/**'] }), repo, '/ws', metas);
    assert.equal(m.settings.rules[VERSIONING], 'error');
    assert.equal(m.settings.rules['terraform/s3-encryption-missing'], 'error');
    assert.deepEqual(m.settings.exclude, ['examples/**', '*.auto.tfvars', 'tmp/**']);
    assert.equal(m.checklistPath, 'compliance/checklist.json');
  });

  it('the suppression policy is the stricter of both: a person cannot loosen it', function () {
    const m = mergeSuppressionPolicy({ requireReason: false, honourOtherTools: true, forbid: { controls: ['12.3.1'], severities: ['warning'] } }, repo)!;
    assert.equal(m.requireReason, true);
    assert.equal(m.honourOtherTools, false);
    assert.deepEqual(m.forbid, { controls: ['10.1.1', '12.3.1'], severities: ['error', 'warning'] });
    // A side that says nothing has no opinion.
    const silent = emptyRepoConfig();
    assert.deepEqual(mergeSuppressionPolicy({ requireReason: false }, silent), { requireReason: false });
    silent.suppressions.requireReason = false;
    assert.deepEqual(mergeSuppressionPolicy({ requireReason: true }, silent), { requireReason: true });
  });

  it('providers and formats turn other rules off, unless the person turns one back on', function () {
    const fake = [
      { id: 'terraform/a', platform: 'terraform' as const, provider: 'aws' as const },
      { id: 'terraform/z', platform: 'terraform' as const, provider: 'azure' as const },
      { id: 'terraform/any', platform: 'terraform' as const },
    ];
    const m = mergeSettings(user(), { ...emptyRepoConfig(), providers: ['aws'] }, '/ws', fake);
    assert.deepEqual(m.settings.rules, { 'terraform/z': 'off' });
    assert.equal(mergeSettings(user({ rules: { 'terraform/z': 'info' } }), { ...emptyRepoConfig(), providers: ['aws'] }, '/ws', fake).settings.rules['terraform/z'], 'info');
    const none = mergeSettings(user(), { ...emptyRepoConfig(), formats: [] }, '/ws', fake);
    assert.equal(none.settings.enable, false, 'no format left: nothing is analysed');
    // formats: ["terraform"] turns the Dockerfile rules off (providers do not touch rules without one).
    const withDocker = [...fake, { id: 'dockerfile/d', platform: 'dockerfile' as const }];
    assert.deepEqual(mergeSettings(user(), { ...emptyRepoConfig(), formats: ['terraform'] }, '/ws', withDocker).settings.rules, { 'dockerfile/d': 'off' });
    assert.deepEqual(mergeSettings(user(), { ...emptyRepoConfig(), providers: ['aws'] }, '/ws', withDocker).settings.rules, { 'terraform/z': 'off' });
  });

  it('sidecar entries are relative to the config folder and point at the config file', function () {
    const m = mergeSettings(user(), repo, '/ws', metas);
    assert.equal(m.sidecar?.root, '/ws');
    assert.equal(m.sidecar?.file, '/ws/.iso27017/config.json');
    assert.equal(m.sidecar?.entries[0]?.rule, VERSIONING);
  });

  it('reports sidecar entries that expired or that the policy forbids', function () {
    const cfg = parseRepoConfig(
      `{ "suppressions": { "forbidControls": ["10.1.1"], "sidecar": [
        { "rule": "${VERSIONING}", "path": "a", "reason": "r", "until": "2000-01-01" },
        { "rule": "terraform/s3-encryption-missing", "path": "b", "reason": "r" } ] } }`,
      { knownRules: known },
    ).config;
    const m = mergeSettings(user(), cfg, '/ws', metas);
    const problems = sidecarProblems(m, new Map(metas.map((x) => [x.id, x])), '2026-01-01');
    assert.deepEqual(problems.map((p) => [p.code, p.pointer]), [
      ['sidecar-expired', '/suppressions/sidecar/0'],
      ['sidecar-not-allowed', '/suppressions/sidecar/1'],
    ]);
  });
});

describe('repository config: sidecar suppressions in the engine', function () {
  const BUCKET = 'resource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n';

  function analyse(entries: Array<{ rule: string; path: string; reason: string; until?: string }>, forbid?: string[]) {
    const range = { start: { line: 3, character: 4 }, end: { line: 3, character: 40 } };
    const project = new Project({
      rules,
      controls: [],
      settings: {
        now: '2026-06-01',
        ...(forbid ? { suppressions: { forbid: { controls: forbid } } } : {}),
        sidecar: { root: '/ws', file: '/ws/.iso27017/config.json', entries: entries.map((e) => ({ ...e, range })) },
      },
    });
    project.setFile('/ws/legacy/main.tf', BUCKET);
    project.setFile('/ws/app/main.tf', BUCKET);
    return project.analyzeAll();
  }
  const has = (r: ReturnType<typeof analyse>, file: string) => r.findings.some((f) => f.ruleId === VERSIONING && f.file === file);

  it('suppresses the findings of the rule in matching files, pointing at the entry', function () {
    const r = analyse([{ rule: VERSIONING, path: 'legacy/**', reason: 'rebuilt nightly' }]);
    assert.equal(has(r, '/ws/legacy/main.tf'), false);
    assert.equal(has(r, '/ws/app/main.tf'), true);
    const s = r.suppressed!.find((x) => x.finding.ruleId === VERSIONING)!;
    assert.equal(s.suppression.file, '/ws/.iso27017/config.json');
    assert.equal(s.suppression.reason, 'rebuilt nightly');
    assert.equal(s.suppression.range.start.line, 3);
  });

  it('a glob without a slash matches at any depth', function () {
    const r = analyse([{ rule: VERSIONING, path: 'main.tf', reason: 'all of them' }]);
    assert.equal(has(r, '/ws/legacy/main.tf') || has(r, '/ws/app/main.tf'), false);
  });

  it('an expired or forbidden entry suppresses nothing', function () {
    assert.equal(has(analyse([{ rule: VERSIONING, path: 'legacy/**', reason: 'r', until: '2026-05-31' }]), '/ws/legacy/main.tf'), true);
    assert.equal(has(analyse([{ rule: VERSIONING, path: 'legacy/**', reason: 'r', until: '2026-06-01' }]), '/ws/legacy/main.tf'), false, 'the until day still counts');
    assert.equal(has(analyse([{ rule: VERSIONING, path: 'legacy/**', reason: 'r' }], ['12.3.1']), '/ws/legacy/main.tf'), true);
  });
});
