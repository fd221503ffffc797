// The command line's `fix` (dry-run diff and atomic rewrite, on temporary copies) and the fixes and
// suppressions in `scan --format json`.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv-draft-04';
import { repoRoot } from './support/project';

function cli(args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, ['-r', 'tsx/cjs', join(repoRoot, 'server/src/cli.ts'), ...args], { cwd: repoRoot, encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

const made: string[] = [];
after(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'iso27017-fix-'));
  made.push(dir);
  for (const [p, t] of Object.entries(files)) writeFileSync(join(dir, p), t);
  return dir;
}

const MAIN = `resource "aws_kms_key" "k" {
  description = "key"
}

resource "aws_cloudtrail" "t" {
  name           = "trail"
  s3_bucket_name = "logs"
}
`;

describe('iso27017 fix', function () {
  this.timeout(120000);

  it('--dry-run prints a unified diff, changes nothing and exits 1 when there is something to fix', () => {
    const dir = workspace({ 'main.tf': MAIN });
    const r = cli(['fix', dir, '--dry-run', '--rule', 'terraform/kms-key-rotation-disabled']);
    assert.equal(r.code, 1, r.err);
    assert.equal(
      r.out,
      ['--- a/main.tf', '+++ b/main.tf', '@@ -1,5 +1,6 @@', ' resource "aws_kms_key" "k" {', '   description = "key"', '+  enable_key_rotation = true', ' }', ' ', ' resource "aws_cloudtrail" "t" {', ''].join('\n'),
    );
    assert.match(r.err, /Would apply 1 fix in 1 file/);
    assert.equal(readFileSync(join(dir, 'main.tf'), 'utf8'), MAIN);
  });

  it('rewrites the files atomically, keeping their mode, and leaves placeholder fixes unless asked', () => {
    const dir = workspace({ 'main.tf': MAIN, 'other.tf': 'variable "x" {}\n' });
    chmodSync(join(dir, 'main.tf'), 0o640);
    const r = cli(['fix', dir]);
    assert.equal(r.code, 0, r.err);
    const fixed = readFileSync(join(dir, 'main.tf'), 'utf8');
    assert.match(fixed, /enable_key_rotation = true/);
    assert.match(fixed, /enable_log_file_validation += true/);
    assert.match(fixed, /is_multi_region_trail += true/);
    assert.ok(!fixed.includes('REPLACE_ME'));
    assert.equal(statSync(join(dir, 'main.tf')).mode & 0o777, 0o640);
    assert.equal(readFileSync(join(dir, 'other.tf'), 'utf8'), 'variable "x" {}\n');
    assert.deepEqual(readdirSync(dir).sort(), ['main.tf', 'other.tf'], 'no temporary file left behind');
    assert.match(r.err, /can be fixed with --placeholders/);
    // Fixing again changes nothing.
    assert.equal(cli(['fix', dir, '--dry-run']).out, '');
    const withPlaceholders = cli(['fix', dir, '--placeholders']);
    assert.equal(withPlaceholders.code, 0, withPlaceholders.err);
    assert.match(readFileSync(join(dir, 'main.tf'), 'utf8'), /kms_key_id += "REPLACE_ME: /);
  });

  it('rejects an unknown --rule', () => {
    const r = cli(['fix', workspace({ 'main.tf': MAIN }), '--rule', 'terraform/nope']);
    assert.equal(r.code, 2);
    assert.match(r.err, /unknown rule "terraform\/nope"/);
  });
});

describe('iso27017 scan --format json: fixes and suppressions', function () {
  this.timeout(120000);

  it('lists the fixes of each finding and the suppressed findings with their comment', () => {
    const dir = workspace({
      'main.tf': `# iso27017:ignore terraform/kms-key-rotation-disabled until=2999-12-31 -- rotated by the HSM team\n${MAIN}`,
    });
    const out = JSON.parse(cli(['scan', dir, '--format', 'json']).out);
    assert.equal(out.summary.suppressed, 1);
    const s = out.suppressed[0];
    assert.equal(s.ruleId, 'terraform/kms-key-rotation-disabled');
    assert.deepEqual(s.suppression, {
      syntax: 'iso27017',
      scope: 'block',
      ids: ['terraform/kms-key-rotation-disabled'],
      reason: 'rotated by the HSM team',
      expires: '2999-12-31',
      file: 'main.tf',
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 97 } },
      text: 'iso27017:ignore terraform/kms-key-rotation-disabled until=2999-12-31 -- rotated by the HSM team',
    });
    assert.ok(!out.findings.some((f: { ruleId: string }) => f.ruleId === 'terraform/kms-key-rotation-disabled'));
    const validation = out.findings.find((f: { ruleId: string }) => f.ruleId === 'terraform/cloudtrail-log-validation-disabled');
    assert.equal(validation.fixable, true);
    assert.deepEqual(validation.fixes, [
      {
        title: 'Set enable_log_file_validation = true',
        isPreferred: true,
        placeholder: false,
        edits: [{ file: 'main.tf', range: { start: { line: 7, character: 25 }, end: { line: 7, character: 25 } }, newText: '\n  enable_log_file_validation = true' }],
      },
    ]);
    const kms = out.findings.find((f: { ruleId: string }) => f.ruleId === 'terraform/cloudtrail-not-kms-encrypted');
    assert.equal(kms.fixes[0].placeholder, true);
  });

  it('marks suppressed findings as suppressed in source in SARIF, which stays valid', () => {
    const dir = workspace({ 'main.tf': `# iso27017:ignore terraform/kms-key-rotation-disabled -- rotated by the HSM team\n${MAIN}` });
    const log = JSON.parse(cli(['scan', dir, '--format', 'sarif']).out) as { runs: any[] };
    const schema = JSON.parse(readFileSync(join(repoRoot, 'test/fixtures/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false }).compile(schema);
    assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 5)));
    const res = log.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'terraform/kms-key-rotation-disabled');
    assert.deepEqual(res.suppressions, [{ kind: 'inSource', status: 'accepted', justification: 'rotated by the HSM team' }]);
    assert.ok(log.runs[0].results.filter((x: { suppressions?: unknown }) => !x.suppressions).length > 0);
  });

  it('--forbid-suppress makes a control unsuppressible', () => {
    const dir = workspace({ 'main.tf': `# iso27017:ignore terraform/kms-key-rotation-disabled -- rotated by the HSM team\n${MAIN}` });
    const out = JSON.parse(cli(['scan', dir, '--format', 'json', '--forbid-suppress', '10.1.2']).out);
    assert.deepEqual(out.suppressed, []);
    assert.ok(out.findings.some((f: { ruleId: string }) => f.ruleId === 'terraform/kms-key-rotation-disabled'));
    assert.ok(out.findings.some((f: { ruleId: string; message: string }) => f.ruleId === 'iso27017/invalid-suppression' && /not allowed/.test(f.message)));
  });

  it('reports an expired suppression as a finding and the suppressed one again', () => {
    const dir = workspace({ 'main.tf': `# iso27017:ignore terraform/kms-key-rotation-disabled until=2000-01-01 -- was temporary\n${MAIN}` });
    const out = JSON.parse(cli(['scan', dir, '--format', 'json']).out);
    assert.deepEqual(out.suppressed, []);
    assert.ok(out.findings.some((f: { ruleId: string }) => f.ruleId === 'terraform/kms-key-rotation-disabled'));
    const inv = out.findings.find((f: { ruleId: string }) => f.ruleId === 'iso27017/invalid-suppression');
    assert.equal(inv.severity, 'warning');
    assert.match(inv.message, /expired on 2000-01-01/);
  });
});
