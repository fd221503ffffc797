// The command line reads the repository config (.iso27017/config.json) as the editor does: the nearest one at or
// above the scanned path, or --config FILE; --no-config reads none; a config with errors stops the command.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './support/project';

function cli(args: string[], cwd = repoRoot): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, ['-r', require.resolve('tsx/cjs'), join(repoRoot, 'server/src/cli.ts'), ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'iso27017-cli-config-'));
  for (const [p, t] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), t);
  }
  return dir;
}

const VERSIONING = 'terraform/s3-versioning-disabled';
const bucket = (name: string): string => `resource "aws_s3_bucket" "${name}" {\n  bucket = "${name}"\n}\n`;
const SUPPRESSED = `# iso27017:ignore ${VERSIONING} -- scratch bucket\n${bucket('s')}`;

interface Json {
  findings: Array<{ ruleId: string; file: string }>;
  suppressed?: unknown[];
}
const scanJson = (args: string[]): { json: Json; code: number; err: string } => {
  const r = cli(['scan', ...args, '--format', 'json', '--fail-on', 'none']);
  assert.equal(r.code, 0, r.err);
  return { json: JSON.parse(r.out) as Json, code: r.code, err: r.err };
};
const rulesOf = (j: Json, file?: string): string[] => j.findings.filter((f) => !file || f.file === file).map((f) => f.ruleId);

describe('iso27017 CLI: repository config', function () {
  this.timeout(120000);

  it('a rule turned off in the config disappears from scan; --no-config brings it back', function () {
    const dir = workspace({ 'main.tf': bucket('a'), '.iso27017/config.json': `// baseline\n{ "rules": { "${VERSIONING}": "off", }, }\n` });
    assert.ok(!rulesOf(scanJson([dir]).json).includes(VERSIONING));
    assert.ok(rulesOf(scanJson([dir, '--no-config']).json).includes(VERSIONING));
  });

  it('finds the nearest config above the scanned path, and applies its excludes relative to its folder', function () {
    const dir = workspace({ 'infra/main.tf': bucket('a'), 'infra/examples/x.tf': bucket('x'), '.iso27017/config.json': '{ "exclude": ["infra/examples/**"] }' });
    const j = scanJson([join(dir, 'infra')]).json;
    assert.ok(j.findings.length > 0);
    assert.ok(j.findings.every((f) => !f.file.includes('examples')), JSON.stringify(j.findings.map((f) => f.file)));
    assert.ok(scanJson([join(dir, 'infra'), '--no-config']).json.findings.some((f) => f.file.includes('examples')));
  });

  it('a control forbidden in the config makes a suppression comment invalid', function () {
    const dir = workspace({ 'main.tf': SUPPRESSED });
    assert.ok(!rulesOf(scanJson([dir]).json).includes(VERSIONING), 'suppressed without a config');
    writeFileSync(join(dir, 'cfg.json'), '{ "suppressions": { "forbidControls": ["12.3.1"] } }');
    const j = scanJson([dir, '--config', join(dir, 'cfg.json')]).json;
    assert.ok(rulesOf(j).includes(VERSIONING), 'the finding is back');
    assert.ok(rulesOf(j).includes('iso27017/invalid-suppression'), 'and the comment is reported');
  });

  it('sidecar entries suppress findings of files matching their glob', function () {
    const dir = workspace({
      'legacy/main.tf': bucket('l'),
      'app/main.tf': bucket('a'),
      '.iso27017/config.json': `{ "suppressions": { "sidecar": [ { "rule": "${VERSIONING}", "path": "legacy/**", "reason": "decommissioned in Q3" } ] } }`,
    });
    const { json } = scanJson([dir]);
    const files = json.findings.filter((f) => f.ruleId === VERSIONING).map((f) => f.file);
    assert.deepEqual(files, ['app/main.tf']);
    assert.ok((json.suppressed ?? []).length >= 1);
  });

  it('prints the config problems with positions; errors stop the command with exit code 2', function () {
    const dir = workspace({ 'main.tf': bucket('a'), '.iso27017/config.json': '{\n  "rules": { "terraform/nope": "off" },\n  "extra": 1\n}\n' });
    const ok = cli(['scan', dir, '--format', 'json', '--fail-on', 'none'], dir);
    assert.equal(ok.code, 0, ok.err);
    assert.match(ok.err, /\.iso27017\/config\.json:2:14: warning: Unknown rule id "terraform\/nope"/);
    assert.match(ok.err, /\.iso27017\/config\.json:3:3: warning: Unknown key "extra"/);
    writeFileSync(join(dir, '.iso27017/config.json'), '{\n  "rules": { "terraform/s3-versioning-disabled": "loud" }\n}\n');
    const bad = cli(['scan', dir], dir);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /config\.json:2:50: error: .*must be one of/);
    assert.match(bad.err, /--no-config/);
    assert.equal(cli(['scan', dir, '--no-config', '--fail-on', 'none'], dir).code, 0);
    assert.equal(cli(['scan', dir, '--config', join(dir, 'missing.json')]).code, 2);
    assert.equal(cli(['scan', dir, '--config', 'x', '--no-config']).code, 2);
  });

  it('fix leaves the rules the config turns off alone', function () {
    const dir = workspace({ 'main.tf': bucket('a'), '.iso27017/config.json': `{ "rules": { "${VERSIONING}": "off" } }` });
    const r = cli(['fix', dir, '--rule', VERSIONING, '--dry-run']);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, '');
    assert.equal(cli(['fix', dir, '--rule', VERSIONING, '--dry-run', '--no-config']).code, 1);
  });

  it('checklist status and soa read the config: checklist.path and the rules', function () {
    const dir = workspace({ 'main.tf': bucket('a'), '.iso27017/config.json': '{ "checklist": { "path": "compliance/checklist.json" } }' });
    const init = cli(['checklist', 'init', dir], dir);
    assert.equal(init.code, 0, init.err);
    assert.match(init.out, /Created compliance\/checklist\.json/);
    const status = cli(['checklist', 'status', dir], dir);
    assert.notEqual(status.code, 2, status.err);
    assert.match(status.out, /compliance\/checklist\.json/);
    const soa = cli(['soa', dir, '--format', 'json', '--no-config'], dir);
    assert.equal(soa.code, 0, soa.err);
    assert.match(soa.err, /No checklist at/, 'without the config, the default path has no checklist');
  });
});
