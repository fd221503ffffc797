// Modules installed by `terraform init` (registry, git, … sources): evaluated from `.terraform/modules` when the root's
// module manifest lists them, never downloaded; their findings are reported on the user's module call.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isInstalledModulePath, isModuleManifest } from '../../server/src/engine/paths';
import { Project, parseModuleManifest } from '../../server/src/engine/project';
import { rules } from '../../server/src/rules/index';
import { controls, corpusRoot, ruleById } from './support/project';

const VERSIONING = 'terraform/s3-versioning-disabled';
const SOURCE = 'registry.terraform.io/terraform-aws-modules/s3-bucket/aws';

const manifest = (...mods: Array<{ Key: string; Source: string; Version?: string; Dir: string }>): string =>
  JSON.stringify({ Modules: [{ Key: '', Source: '', Dir: '.' }, ...mods] });

/** The installed module: a bucket whose versioning follows an input (off by default). */
const BUCKET_MODULE = [
  'variable "versioning" {',
  '  default = false',
  '}',
  '',
  'resource "aws_s3_bucket" "this" {',
  '  versioning {',
  '    enabled = var.versioning',
  '  }',
  '}',
  '',
].join('\n');

const CALL = (inputs = ''): string => `module "logs" {\n  source  = "terraform-aws-modules/s3-bucket/aws"\n  version = "4.1.2"\n${inputs}}\n`;

function project(files: Record<string, string>): Project {
  const p = new Project({ rules: [ruleById(VERSIONING)], controls: controls() });
  for (const [k, v] of Object.entries(files)) p.setFile(`/w/${k}`, v);
  return p;
}

const INSTALLED = {
  '.terraform/modules/modules.json': manifest({ Key: 'logs', Source: SOURCE, Version: '4.1.2', Dir: '.terraform/modules/logs' }),
  '.terraform/modules/logs/main.tf': BUCKET_MODULE,
};

describe('installed modules (terraform init)', () => {
  it('knows the manifest and the installed code by their paths', () => {
    assert.equal(isModuleManifest('/w/app/.terraform/modules/modules.json'), true);
    assert.equal(isModuleManifest('.terraform/modules/modules.json'), true);
    assert.equal(isModuleManifest('/w/app/modules.json'), false);
    assert.equal(isInstalledModulePath('/w/app/.terraform/modules/vpc/main.tf'), true);
    assert.equal(isInstalledModulePath('/w/app/modules/vpc/main.tf'), false);
    assert.equal(Project.isProjectFile('/w/.terraform/modules/modules.json', '{}'), true);
    assert.equal(Project.isProjectFile('/w/other.json', '{}'), false);
  });

  it('reads the manifest: keys, folders relative to the root, sources and versions; rejects what is not one', () => {
    const m = parseModuleManifest('/w/app', manifest({ Key: 'vpc', Source: 'registry.terraform.io/x/vpc/aws', Version: '5.0.0', Dir: '.terraform/modules/vpc' }, { Key: 'vpc.sub', Source: './modules/sub', Dir: '.terraform/modules/vpc/modules/sub' }))!;
    assert.deepEqual([...m.keys()], ['vpc', 'vpc.sub'], 'the root entry (Key "") is left out');
    assert.deepEqual(m.get('vpc'), { dir: '/w/app/.terraform/modules/vpc', source: 'registry.terraform.io/x/vpc/aws', version: '5.0.0' });
    assert.deepEqual(m.get('vpc.sub'), { dir: '/w/app/.terraform/modules/vpc/modules/sub', source: './modules/sub' });
    assert.equal(parseModuleManifest('/w', '{ not json'), null);
    assert.equal(parseModuleManifest('/w', '{"modules": []}'), null);
    assert.equal(parseModuleManifest('/w', 'null'), null);
    assert.deepEqual([...parseModuleManifest('/w', '{"Modules": [null, 3, {"Key": "a"}, {"Key": "b", "Dir": 7}]}')!.keys()], []);
  });

  it('without a manifest, a registry module is not evaluated (nothing is downloaded) and its folder is not a root', () => {
    const p = project({ 'main.tf': CALL(), '.terraform/modules/logs/main.tf': BUCKET_MODULE });
    const r = p.analyzeAll();
    assert.deepEqual(r.findings, []);
    assert.deepEqual(r.files, ['/w/main.tf'], 'installed code is never listed as analysed');
  });

  it('evaluates the installed module and reports its finding on the module call, naming the source, without fixes', () => {
    const p = project({ 'main.tf': `# the log bucket\n${CALL()}`, ...INSTALLED });
    const r = p.analyzeAll();
    assert.deepEqual(r.files, ['/w/main.tf']);
    assert.equal(r.findings.length, 1, JSON.stringify(r.findings.map((f) => f.message)));
    const f = r.findings[0]!;
    assert.equal(f.file, '/w/main.tf');
    assert.deepEqual(f.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 13 } }, 'on `module "logs"`');
    assert.equal(f.resource?.address, 'module.logs.aws_s3_bucket.this');
    assert.match(f.message, /module\.logs\.aws_s3_bucket\.this/);
    assert.match(f.message, / \(in the installed module terraform-aws-modules\/s3-bucket\/aws 4\.1\.2\) \(ISO 27017 /);
    assert.equal(f.fixable, false);
    assert.deepEqual(f.fixes, []);
    assert.equal(f.related[0]?.file, '/w/.terraform/modules/logs/main.tf');
    assert.equal(f.related[0]?.range.start.line, 6, 'the related location is where the rule put it in the installed code (enabled = var.versioning)');
  });

  it('passes the call\'s inputs: versioning = true gives no finding, an unknown input none either', () => {
    assert.deepEqual(project({ 'main.tf': CALL('  versioning = true\n'), ...INSTALLED }).analyzeAll().findings, []);
    assert.deepEqual(project({ 'main.tf': CALL('  versioning = var.unset\n'), ...INSTALLED }).analyzeAll().findings, []);
    assert.equal(project({ 'main.tf': CALL('  versioning = false\n'), ...INSTALLED }).analyzeAll().findings.length, 1);
  });

  it('reports on the input of the call that sets the failing value, through the module\'s own calls', () => {
    // Set by the caller: the finding is on its `versioning = false`, not on the module header.
    const direct = project({ 'main.tf': CALL('  versioning = false\n'), ...INSTALLED }).analyzeAll().findings;
    assert.deepEqual(direct.map((f) => [f.range.start.line, f.range.start.character, f.range.end.character]), [[3, 15, 20]]);
    // Two hops: the installed module passes the input on to a module of its own.
    const nested = project({
      'main.tf': CALL('  versioning = false\n'),
      '.terraform/modules/modules.json': manifest({ Key: 'logs', Source: SOURCE, Dir: '.terraform/modules/logs' }),
      '.terraform/modules/logs/main.tf': 'variable "versioning" {}\nmodule "inner" {\n  source     = "./inner"\n  versioning = var.versioning\n}\n',
      '.terraform/modules/logs/inner/main.tf': BUCKET_MODULE,
    }).analyzeAll().findings;
    assert.deepEqual(nested.map((f) => [f.file, f.range.start.line, f.resource?.address]), [['/w/main.tf', 3, 'module.logs.module.inner.aws_s3_bucket.this']]);
    // A value computed from two variables cannot be pinned on one input: the call's header.
    const two = project({
      'main.tf': CALL('  versioning = false\n'),
      ...INSTALLED,
      '.terraform/modules/logs/main.tf': BUCKET_MODULE.replace('enabled = var.versioning', 'enabled = var.versioning && var.other').replace('variable "versioning"', 'variable "other" {\n  default = true\n}\nvariable "versioning"'),
    }).analyzeAll().findings;
    assert.deepEqual(two.map((f) => f.range.start.line), [0]);
  });

  it('follows calls inside the installed module (by their manifest keys) back to the user\'s call', () => {
    const p = project({
      'main.tf': CALL(),
      '.terraform/modules/modules.json': manifest(
        { Key: 'logs', Source: SOURCE, Version: '4.1.2', Dir: '.terraform/modules/logs' },
        { Key: 'logs.inner', Source: './modules/inner', Dir: '.terraform/modules/logs/modules/inner' },
      ),
      '.terraform/modules/logs/main.tf': 'module "inner" {\n  source = "./modules/inner"\n}\n',
      '.terraform/modules/logs/modules/inner/main.tf': BUCKET_MODULE,
    });
    const r = p.analyzeAll();
    assert.deepEqual(
      r.findings.map((f) => [f.file, f.range.start.line, f.resource?.address]),
      [['/w/main.tf', 0, 'module.logs.module.inner.aws_s3_bucket.this']],
    );
  });

  it('reports a module used twice once per call; a user\'s local module that calls it is where the finding goes', () => {
    const p = project({
      'main.tf': `${CALL()}module "net" {\n  source = "./net"\n}\n`,
      'net/main.tf': 'module "flows" {\n  source = "terraform-aws-modules/s3-bucket/aws"\n}\n',
      '.terraform/modules/modules.json': manifest(
        { Key: 'logs', Source: SOURCE, Version: '4.1.2', Dir: '.terraform/modules/logs' },
        { Key: 'net', Source: './net', Dir: 'net' },
        { Key: 'net.flows', Source: SOURCE, Version: '4.1.2', Dir: '.terraform/modules/net.flows' },
      ),
      '.terraform/modules/logs/main.tf': BUCKET_MODULE,
      '.terraform/modules/net.flows/main.tf': BUCKET_MODULE,
    });
    const r = p.analyzeAll();
    assert.deepEqual(
      r.findings.map((f) => [f.file, f.range.start.line, f.resource?.address]),
      [
        ['/w/main.tf', 0, 'module.logs.aws_s3_bucket.this'],
        ['/w/net/main.tf', 0, 'module.net.module.flows.aws_s3_bucket.this'],
      ],
    );
    assert.deepEqual(r.files, ['/w/main.tf', '/w/net/main.tf']);
  });

  it('a suppression comment above the module call silences its findings', () => {
    const text = `# iso27017:ignore ${VERSIONING} -- the module's bucket only holds build caches\n${CALL()}`;
    const r = project({ 'main.tf': text, ...INSTALLED }).analyzeAll();
    assert.deepEqual(r.findings, []);
    assert.equal(r.suppressed?.length, 1);
    assert.equal(r.suppressed![0]!.finding.resource?.address, 'module.logs.aws_s3_bucket.this');
  });

  it('follows the manifest as it is added, changed and removed (terraform init, a version bump, a clean checkout)', () => {
    const p = project({ 'main.tf': CALL(), '.terraform/modules/logs/main.tf': BUCKET_MODULE });
    assert.equal(p.analyzeAll().findings.length, 0);
    p.setFile('/w/.terraform/modules/modules.json', INSTALLED['.terraform/modules/modules.json']);
    assert.equal(p.analyzeFiles(['/w/main.tf']).findings.length, 1, 'found after terraform init');
    p.setFile('/w/.terraform/modules/modules.json', manifest({ Key: 'logs', Source: SOURCE, Version: '4.2.0', Dir: '.terraform/modules/logs' }));
    assert.match(p.analyzeAll().findings[0]!.message, /s3-bucket\/aws 4\.2\.0\)/);
    p.setFile('/w/.terraform/modules/modules.json', '{ half written');
    const broken = p.analyzeAll();
    assert.deepEqual(broken.findings, [], 'an unreadable manifest: the module is not evaluated, nothing breaks');
    assert.deepEqual(broken.errors.map((e) => e.file), ['/w/.terraform/modules/modules.json']);
    assert.deepEqual(broken.files, ['/w/.terraform/modules/modules.json', '/w/main.tf'], 'listed, so that an editor shows the error on it');
    assert.match(broken.errors[0]!.message, /module manifest could not be read .* Run terraform init again\./);
    p.deleteFile('/w/.terraform/modules/modules.json');
    assert.deepEqual(p.analyzeAll().findings, []);
  });

  it('an edit of the installed code re-analyses the root that calls it', () => {
    const p = project({ 'main.tf': CALL(), ...INSTALLED });
    assert.equal(p.analyzeAll().findings.length, 1);
    p.setFile('/w/.terraform/modules/logs/main.tf', BUCKET_MODULE.replace('default = false', 'default = true'));
    const r = p.analyzeFiles(['/w/.terraform/modules/logs/main.tf']);
    assert.deepEqual(r.files, ['/w/main.tf']);
    assert.deepEqual(r.findings, []);
  });
});

describe('installed modules: the real terraform-aws-modules of the corpus, installed as terraform init would', () => {
  const real = join(corpusRoot, 'real');
  if (!existsSync(real)) {
    it.skip(`the corpus is absent (${real}); these tests need ../shared/corpus`);
    return;
  }

  /** The module's `.tf` files (its own local modules included; examples, tests and wrappers left out). */
  function moduleFiles(dir: string, base = dir): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) {
        if (!['examples', 'test', 'tests', 'wrappers'].includes(e.name)) out.push(...moduleFiles(join(dir, e.name), base));
      } else if (e.name.endsWith('.tf')) out.push([relative(base, join(dir, e.name)), readFileSync(join(dir, e.name), 'utf8')]);
    }
    return out;
  }

  /** A root calling `repo` (a corpus folder) as module `key` with `inputs`, analysed with every rule. */
  function scan(repo: string, registry: string, inputs: string) {
    const p = new Project({ rules, controls: controls() });
    p.setFile('/w/main.tf', `module "m" {\n  source = "${registry}"\n${inputs}}\n`);
    p.setFile('/w/.terraform/modules/modules.json', manifest({ Key: 'm', Source: `registry.terraform.io/${registry}`, Version: '0.0.0', Dir: '.terraform/modules/m' }));
    for (const [rel, text] of moduleFiles(join(real, repo))) p.setFile(`/w/.terraform/modules/m/${rel}`, text);
    return p.analyzeAll();
  }
  const byRule = (r: ReturnType<typeof scan>, id: string) => r.findings.filter((f) => f.ruleId === id).map((f) => `${f.range.start.line + 1} ${f.resource?.address}`);

  it('terraform-aws-vpc: a VPC with enable_flow_log = true has its flow log; without it, the finding is on the call', () => {
    const repo = 'terraform-aws-modules__terraform-aws-vpc';
    const on = scan(repo, 'terraform-aws-modules/vpc/aws', '  cidr = "10.0.0.0/16"\n  enable_flow_log = true\n');
    assert.deepEqual(on.errors, []);
    assert.deepEqual(byRule(on, 'terraform/vpc-flow-logs-missing'), []);
    const off = scan(repo, 'terraform-aws-modules/vpc/aws', '  cidr = "10.0.0.0/16"\n');
    assert.deepEqual(byRule(off, 'terraform/vpc-flow-logs-missing'), ['1 module.m.aws_vpc.this']);
    assert.ok(off.findings.every((f) => f.file === '/w/main.tf'));
  });

  it('terraform-aws-rds: publicly_accessible = true is reported on that input, through the module\'s db_instance module', () => {
    const r = scan('terraform-aws-modules__terraform-aws-rds', 'terraform-aws-modules/rds/aws', '  identifier = "db"\n  engine = "mysql"\n  publicly_accessible = true\n');
    assert.deepEqual(r.errors, []);
    assert.deepEqual(byRule(r, 'terraform/rds-publicly-accessible'), ['5 module.m.module.db_instance.aws_db_instance.this']);
  });
});
