// The command line: formats, exit codes, errors array, SARIF validity.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv-draft-04';
import { repoRoot } from './support/project';

function cli(args: string[], cwd = repoRoot): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, ['-r', 'tsx/cjs', join(repoRoot, 'server/src/cli.ts'), ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

function workspace(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'iso27017-cli-'));
  for (const [p, t] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), t);
  }
  return dir;
}

const BAD = `resource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n}\n`;
const GOOD = `resource "aws_s3_bucket" "ok" {\n  bucket = "ok"\n  versioning {\n    enabled = true\n  }\n}\n`;

describe('iso27017 CLI', function () {
  this.timeout(120000);

  it('scan --format json lists findings with rule, range, resource, controls and equivalents', () => {
    const dir = workspace({ 'main.tf': BAD });
    const r = cli(['scan', dir, '--format', 'json']);
    assert.equal(r.code, 1, r.err);
    const out = JSON.parse(r.out);
    const f = out.findings.find((x: { ruleId: string }) => x.ruleId === 'terraform/s3-versioning-disabled');
    assert.ok(f, 'versioning finding');
    assert.equal(f.file, 'main.tf');
    assert.deepEqual(f.range.start, { line: 0, character: 0 });
    assert.deepEqual(f.resource, { type: 'aws_s3_bucket', name: 'logs', address: 'aws_s3_bucket.logs' });
    assert.ok(f.controls.includes('12.3.1'));
    assert.ok(f.equivalents.checkov.includes('CKV_AWS_21'));
    assert.equal(typeof f.fixable, 'boolean');
    assert.match(f.message, /\(ISO 27017 12\.3\.1 /);
    assert.deepEqual(out.errors, []);
  });

  it('scan evaluates the modules terraform init installed (only those its manifest lists) and reports on the call', () => {
    const dir = workspace({
      'main.tf': 'module "logs" {\n  source  = "terraform-aws-modules/s3-bucket/aws"\n  version = "4.1.2"\n}\n',
      '.terraform/modules/modules.json': JSON.stringify({ Modules: [{ Key: '', Source: '', Dir: '.' }, { Key: 'logs', Source: 'registry.terraform.io/terraform-aws-modules/s3-bucket/aws', Version: '4.1.2', Dir: '.terraform/modules/logs' }] }),
      '.terraform/modules/logs/main.tf': BAD.replace('"logs" {', '"this" {'),
      // Shipped with the module, not listed in the manifest: never read (it would give a finding of its own).
      '.terraform/modules/logs/examples/complete/main.tf': BAD,
      '.terraform/providers/registry.terraform.io/hashicorp/aws/5.0.0/linux_amd64/terraform-provider-aws': Buffer.from([0, 1, 2, 0]),
    });
    const out = JSON.parse(cli(['scan', dir, '--format', 'json']).out);
    const found = out.findings.filter((x: { ruleId: string }) => x.ruleId === 'terraform/s3-versioning-disabled');
    assert.deepEqual(
      found.map((f: { file: string; range: { start: { line: number } }; resource: { address: string } }) => [f.file, f.range.start.line, f.resource.address]),
      [['main.tf', 0, 'module.logs.aws_s3_bucket.this']],
    );
    assert.match(found[0].message, /\(in the installed module terraform-aws-modules\/s3-bucket\/aws 4\.1\.2\)/);
    assert.equal(found[0].fixable, false);
    assert.deepEqual(out.errors, []);
    assert.ok(out.findings.every((f: { file: string }) => f.file === 'main.tf'), 'nothing is reported in .terraform');
    // Excluding an installed module's folder leaves that module out (excluding .terraform, all of them).
    const excluded = JSON.parse(cli(['scan', dir, '--format', 'json', '--exclude', '.terraform/modules/logs/**']).out);
    assert.deepEqual(excluded.findings.filter((x: { ruleId: string }) => x.ruleId === 'terraform/s3-versioning-disabled'), []);
  });

  it('exit code follows --fail-on', () => {
    const dir = workspace({ 'main.tf': BAD });
    const sev = JSON.parse(cli(['scan', dir, '--format', 'json']).out).findings.map((f: { severity: string }) => f.severity) as string[];
    assert.equal(cli(['scan', dir, '--fail-on', 'none']).code, 0);
    assert.equal(cli(['scan', dir, '--fail-on', 'error']).code, sev.includes('error') ? 1 : 0);
    assert.equal(cli(['scan', dir, '--fail-on', 'warning']).code, sev.some((s) => s === 'error' || s === 'warning') ? 1 : 0);
  });

  it('a clean project exits 0 and says so', () => {
    const dir = workspace({ 'main.tf': GOOD.replace('"ok"', '"ok"') });
    const r = cli(['scan', join(dir, 'main.tf'), '--format', 'json', '--fail-on', 'error']);
    assert.equal(r.code, 0, r.err);
  });

  it('usage errors exit 2 with a message', () => {
    assert.equal(cli(['scan', '--format', 'xml']).code, 2);
    assert.equal(cli(['frobnicate']).code, 2);
    const r = cli(['scan', '/definitely/not/here']);
    assert.equal(r.code, 2);
    assert.match(r.err, /no such file or directory/);
  });

  it('unparsable, binary and half-typed files are listed in errors and never stop the scan', () => {
    const dir = workspace({ 'a.tf': BAD, 'b.tf': 'resource "aws_s3_bucket" "half" {\n  bucket = "x', 'c.tf': Buffer.from([0, 1, 2, 3, 0, 255]) });
    const r = cli(['scan', dir, '--format', 'json']);
    assert.equal(r.code, 1, r.err);
    const out = JSON.parse(r.out);
    assert.ok(out.findings.some((f: { file: string }) => f.file === 'a.tf'));
    const files = out.errors.map((e: { file: string }) => e.file).sort();
    assert.deepEqual(files, ['b.tf', 'c.tf']);
  });

  it('scan --format sarif is valid SARIF 2.1.0 with the controls as taxa', () => {
    const dir = workspace({ 'main.tf': BAD });
    const r = cli(['scan', dir, '--format', 'sarif']);
    const log = JSON.parse(r.out) as { runs: any[] };
    const schema = JSON.parse(readFileSync(join(repoRoot, 'test/fixtures/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
    // The published schema has one pattern that is invalid under the `u` flag; compile patterns without it.
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    const validate = ajv.compile(schema);
    assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 5)));
    const run = log.runs[0];
    assert.equal(run.taxonomies[0].name, 'ISO 27017');
    assert.ok(run.taxonomies[0].taxa.some((t: { id: string }) => t.id === '12.3.1'));
    const res = run.results.find((x: { ruleId: string }) => x.ruleId === 'terraform/s3-versioning-disabled');
    assert.ok(res.taxa.some((t: { id: string }) => t.id === '12.3.1'));
    assert.equal(res.locations[0].physicalLocation.region.startLine, 1);
    // Each rule carries its help (code-scanning viewers show it with the alert), and no link to a site that does not exist.
    const rule = run.tool.driver.rules[res.ruleIndex];
    assert.equal(rule.id, 'terraform/s3-versioning-disabled');
    assert.match(rule.help.markdown, /\*\*ISO\/IEC 27017 controls:\*\* 12\.3\.1 \S/);
    assert.match(rule.help.markdown, /Checkov CKV_AWS_21/);
    assert.match(rule.help.text, /# iso27017:ignore terraform\/s3-versioning-disabled -- <reason>/);
    assert.equal(rule.helpUri, undefined);
    assert.equal(run.tool.driver.informationUri, undefined);
  });

  it('text output names the control next to each finding', () => {
    const dir = workspace({ 'main.tf': BAD });
    const r = cli(['scan', dir, '--no-color']);
    assert.match(r.out, /^main\.tf$/m);
    assert.match(r.out, /^\s+1:1\s+warning\s+S3 bucket .*\(ISO 27017 12\.3\.1 [^)]+\)\s+terraform\/s3-versioning-disabled$/m);
    assert.match(r.out, /\d+ findings? \(/);
  });

  it('rules --format json lists every rule with its metadata', () => {
    const r = cli(['rules', '--format', 'json']);
    assert.equal(r.code, 0, r.err);
    const list = JSON.parse(r.out);
    assert.ok(list.length > 0);
    for (const m of list) for (const k of ['id', 'title', 'severity', 'controls', 'equivalents', 'docs']) assert.ok(k in m, `${m.id} lacks ${k}`);
  });

  it('controls --format json lists the 44 controls with the rules that evidence them', () => {
    const r = cli(['controls', '--format', 'json']);
    assert.equal(r.code, 0, r.err);
    const cat = JSON.parse(r.out);
    assert.equal(cat.controls.length, 44);
    assert.ok(cat.controls.find((c: { id: string }) => c.id === '12.3.1').rules.includes('terraform/s3-versioning-disabled'));
  });
});
