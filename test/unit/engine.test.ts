// The engine facade: detection, positions, settings, robustness against bad input.

import assert from 'node:assert/strict';
import { detectFormat } from '../../server/src/documents/detect';
import { LineMap } from '../../server/src/engine/lines';
import { MAX_FILE_BYTES, Project } from '../../server/src/engine/project';
import { controls, ruleById } from './support/project';

const VERSIONING = 'terraform/s3-versioning-disabled';

function analyse(files: Record<string, string>, settings = {}) {
  const p = new Project({ rules: [ruleById(VERSIONING)], controls: controls(), settings });
  for (const [k, v] of Object.entries(files)) p.setFile(`/w/${k}`, v);
  return p.analyzeAll();
}

describe('file detection', () => {
  const cases: Array<[string, string | undefined, string | undefined]> = [
    ['main.tf', undefined, 'terraform'],
    ['prod.tfvars', undefined, 'tfvars'],
    ['x.tf.json', undefined, 'terraform-json'],
    ['Dockerfile', undefined, 'dockerfile'],
    ['api.dockerfile', undefined, 'dockerfile'],
    ['docker-compose.prod.yml', undefined, 'compose'],
    ['compose.yaml', undefined, 'compose'],
    ['.env', undefined, 'appconfig'],
    ['application-prod.yml', undefined, 'appconfig'],
    ['appsettings.Development.json', undefined, 'appconfig'],
    ['stack.yaml', 'AWSTemplateFormatVersion: "2010-09-09"\nResources: {}\n', 'cloudformation'],
    ['stack.json', '{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}', 'cloudformation'],
    ['deploy.yaml', 'apiVersion: apps/v1\nkind: Deployment\n', 'kubernetes'],
    ['random.yaml', 'a: 1\n', undefined],
    ['notes.txt', 'resource "x" "y" {}', undefined],
  ];
  for (const [name, text, expected] of cases) it(`${name} → ${expected ?? 'not analysed'}`, () => assert.equal(detectFormat(name, text), expected));
});

describe('LineMap', () => {
  it('converts offsets to LSP positions and back across LF, CRLF and CR', () => {
    const m = new LineMap('ab\r\ncd\nef\rgh');
    assert.deepEqual(m.position(0), { line: 0, character: 0 });
    assert.deepEqual(m.position(4), { line: 1, character: 0 });
    assert.deepEqual(m.position(7), { line: 2, character: 0 });
    assert.deepEqual(m.position(10), { line: 3, character: 0 });
    assert.equal(m.offset({ line: 1, character: 1 }), 5);
    assert.equal(m.lineText(0), 'ab');
  });
});

describe('Project', () => {
  it('reports on the resource header for a missing setting and names the control', () => {
    const r = analyse({ 'main.tf': 'resource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n' });
    assert.equal(r.findings.length, 1);
    const f = r.findings[0]!;
    assert.deepEqual(f.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 28 } });
    assert.match(f.message, /\(ISO 27017 12\.3\.1 Information backup; CLD\.8\.1\.5 /);
    assert.deepEqual(r.files, ['/w/main.tf']);
  });

  it('applies per-rule severity and off settings', () => {
    const text = 'resource "aws_s3_bucket" "b" {}\n';
    assert.equal(analyse({ 'main.tf': text }, { rules: { [VERSIONING]: 'error' } }).findings[0]!.severity, 'error');
    assert.equal(analyse({ 'main.tf': text }, { rules: { [VERSIONING]: 'off' } }).findings.length, 0);
  });

  it('analyses what is complete in a half-typed file and reports the syntax error once', () => {
    const r = analyse({ 'main.tf': 'resource "aws_s3_bucket" "done" {\n  bucket = "a"\n}\n\nresource "aws_s3_bucket" "typing" {\n  bucket = "unclosed\n  acl = \n' });
    assert.ok(r.findings.some((f) => f.resource?.name === 'done'));
    assert.equal(r.errors.length, 1);
    assert.match(r.errors[0]!.message, /^Syntax error: /);
    assert.ok(r.errors[0]!.range);
  });

  it('lists binary and oversized files as errors without parsing them', () => {
    const r = analyse({ 'bin.tf': 'resource\u0000\u0001\u0002', 'big.tf': `# ${'x'.repeat(MAX_FILE_BYTES + 1)}` });
    assert.deepEqual(r.errors.map((e) => e.file).sort(), ['/w/big.tf', '/w/bin.tf']);
    assert.match(r.errors.find((e) => e.file === '/w/bin.tf')!.message, /binary/);
    assert.match(r.errors.find((e) => e.file === '/w/big.tf')!.message, /too large/);
  });

  it('survives deeply nested input and unknown resource types', () => {
    const deep = `locals {\n  x = ${'['.repeat(50000)}\n}\nresource "totally_unknown_type" "x" {\n  a = 1\n}\n`;
    const r = analyse({ 'deep.tf': deep });
    assert.deepEqual(r.findings, []);
    assert.equal(r.errors.length, 1);
  });

  it('forgets deleted files', () => {
    const p = new Project({ rules: [ruleById(VERSIONING)], controls: controls() });
    p.setFile('/w/main.tf', 'resource "aws_s3_bucket" "b" {}\n');
    assert.equal(p.analyzeAll().findings.length, 1);
    assert.ok(p.deleteFile('/w/main.tf'));
    assert.deepEqual(p.analyzeAll(), { findings: [], errors: [], files: [] });
  });

  it('an edit in one root keeps the findings another root gives a shared module', () => {
    const p = new Project({ rules: [ruleById(VERSIONING)], controls: controls() });
    p.setFile('/w/a/main.tf', 'module "m" {\n  source = "../mod"\n  on = true\n}\n');
    p.setFile('/w/b/main.tf', 'module "m" {\n  source = "../mod"\n  on = false\n}\n');
    p.setFile('/w/mod/main.tf', 'variable "on" {}\nresource "aws_s3_bucket" "b" {\n  versioning {\n    enabled = var.on\n  }\n}\n');
    const all = p.analyzeAll().findings.map((f) => f.file);
    const partial = p.analyzeFiles(['/w/a/main.tf']);
    assert.deepEqual(partial.findings.map((f) => f.file), all);
    assert.deepEqual(partial.files, ['/w/a/main.tf', '/w/b/main.tf', '/w/mod/main.tf']);
  });

  it('notices when an edit adds or removes a module call', () => {
    const p = new Project({ rules: [ruleById(VERSIONING)], controls: controls() });
    p.setFile('/w/a/main.tf', 'module "m" {\n  source = "../mod"\n}\n');
    p.setFile('/w/mod/main.tf', 'resource "aws_s3_bucket" "b" {}\n');
    assert.deepEqual(p.analyzeAll().findings.map((f) => f.resource?.address), ['module.m.aws_s3_bucket.b']);
    p.setFile('/w/a/main.tf', '# the call is gone\n');
    assert.deepEqual(p.analyzeAll().findings.map((f) => f.resource?.address), ['aws_s3_bucket.b']);
    p.setFile('/w/a/main.tf', 'module "n" {\n  source = "../mod"\n}\n');
    assert.deepEqual(p.analyzeFiles(['/w/a/main.tf']).findings.map((f) => f.resource?.address), ['module.n.aws_s3_bucket.b']);
    p.setFile('/w/a/other.tf', 'module "o" {\n  source = "../mod"\n}\n');
    assert.deepEqual(p.analyzeAll().findings.map((f) => f.resource?.address).sort(), ['module.n.aws_s3_bucket.b', 'module.o.aws_s3_bucket.b']);
  });

  it('analyses only the modules an edit affects, callers included', () => {
    const p = new Project({ rules: [ruleById(VERSIONING)], controls: controls() });
    p.setFile('/w/a/main.tf', 'module "m" {\n  source = "../mod"\n}\n');
    p.setFile('/w/mod/main.tf', 'resource "aws_s3_bucket" "b" {}\n');
    p.setFile('/w/other/main.tf', 'resource "aws_s3_bucket" "o" {}\n');
    const r = p.analyzeFiles(['/w/mod/main.tf']);
    assert.deepEqual(r.files, ['/w/a/main.tf', '/w/mod/main.tf']);
    assert.deepEqual(r.findings.map((f) => f.resource?.address), ['module.m.aws_s3_bucket.b']);
  });

  it('analyses a module folder named by the caller, e.g. one that has just lost its only caller', () => {
    const p = new Project({ rules: [ruleById(VERSIONING)], controls: controls() });
    p.setFile('/w/a/main.tf', 'module "m" {\n  source = "../mod"\n}\n');
    p.setFile('/w/mod/main.tf', 'resource "aws_s3_bucket" "b" {}\n');
    p.analyzeAll();
    p.setFile('/w/a/main.tf', '# the call is gone\n');
    // The edited file alone no longer reaches the module; naming its folder analyses it as the root it now is.
    assert.deepEqual(p.analyzeFiles(['/w/a/main.tf']).files, ['/w/a/main.tf']);
    const r = p.analyzeFiles(['/w/a/main.tf'], ['/w/mod/']);
    assert.deepEqual(r.files, ['/w/a/main.tf', '/w/mod/main.tf']);
    assert.deepEqual(r.findings.map((f) => f.resource?.address), ['aws_s3_bucket.b']);
  });
});
