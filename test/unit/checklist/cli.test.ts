// The `checklist init|status` and `soa` commands: in process for speed, and through the real CLI entry point.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHECKLIST_PATH, parseChecklist, setApplicability, setStatus } from '../../../server/src/checklist/index';
import { commandOf, runChecklistCommand } from '../../../server/src/cli/checklist';
import { rules } from '../../../server/src/rules/index';
import { repoRoot } from '../support/project';
import { catalog, ok } from './helpers';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runChecklistCommand(args, { loadCatalog: catalog, rules, out: (s) => void (out += s), err: (s) => void (err += s), today: '2024-05-01' });
  return { code, out, err };
}

function cli(args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, ['-r', 'tsx/cjs', join(repoRoot, 'server/src/cli.ts'), ...args], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 1 << 26 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'iso27017-checklist-'));
  for (const [p, t] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), t);
  }
  return dir;
}

const TF = `resource "aws_instance" "web" {
  ami           = "ami-123"
  instance_type = "t3.micro"
}

resource "aws_s3_bucket" "logs" {
  bucket = "logs"
}

resource "aws_db_instance" "db" {
  engine            = "postgres"
  instance_class    = "db.t3.micro"
  allocated_storage = 20
}
`;

describe('checklist: command line', function () {
  this.timeout(120000);

  it('finds the command word past options', () => {
    assert.equal(commandOf(['--format', 'md', 'soa', 'x']), 'soa');
    assert.equal(commandOf(['checklist', 'init']), 'checklist');
    assert.equal(commandOf(['--no-color', 'scan']), 'scan');
  });

  describe('checklist init', () => {
    it('creates the checklist from the detected services and prints what it found', async () => {
      const dir = workspace({ 'main.tf': TF });
      const r = await run(['checklist', 'init', dir, '--provider', 'aws']);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /^Created .*\.iso27017\/checklist\.json: 44 controls of catalog/m);
      assert.match(r.out, /^Service models: IaaS, PaaS$/m);
      assert.match(r.out, /^ {2}EC2 +aws +IaaS +from aws_instance$/m);
      assert.match(r.out, /^ {2}RDS +aws +PaaS +from aws_db_instance$/m);
      assert.match(r.out, /^ {2}S3 +aws +PaaS +from aws_s3_bucket$/m);
      const text = readFileSync(join(dir, CHECKLIST_PATH), 'utf8');
      assert.ok(text.startsWith('// '), 'explained by a leading comment');
      const p = parseChecklist(text, { catalog: catalog() });
      assert.deepEqual(p.problems, []);
      assert.deepEqual(p.checklist!.providers, ['aws']);
      assert.deepEqual(p.checklist!.models, ['IaaS', 'PaaS']);
      assert.deepEqual(p.checklist!.services.map((s) => s.name), ['EC2', 'RDS', 'S3']);
      assert.equal(p.checklist!.controls['12.3.1']!.responsibility, 'customer', 'IaaS + PaaS: the customer-heavier IaaS default');
      assert.deepEqual(readdirSync(join(dir, '.iso27017')), ['checklist.json'], 'no temp file left');
    });

    it('refuses to overwrite an existing checklist (exit 1), leaving it byte-for-byte', async () => {
      const dir = workspace({ 'main.tf': TF, [CHECKLIST_PATH]: '// mine\n{ "version": 1 }\n' });
      const r = await run(['checklist', 'init', dir]);
      assert.equal(r.code, 1);
      assert.match(r.err, /already exists and was not changed/);
      assert.equal(readFileSync(join(dir, CHECKLIST_PATH), 'utf8'), '// mine\n{ "version": 1 }\n');
      assert.deepEqual(readdirSync(join(dir, '.iso27017')), ['checklist.json']);
    });

    it('--model overrides the detected models, and says which detected ones it leaves out', async () => {
      const dir = workspace({ 'main.tf': TF });
      const r = await run(['checklist', 'init', dir, '--model', 'saas']);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /note: the Terraform uses IaaS services \(EC2\), but --model leaves IaaS out/);
      const p = parseChecklist(readFileSync(join(dir, CHECKLIST_PATH), 'utf8'));
      assert.deepEqual(p.checklist!.models, ['SaaS']);
      assert.equal(p.checklist!.controls['12.3.1']!.responsibility, 'provider');
    });

    it('an empty folder gets all three models, and a note', async () => {
      const dir = workspace({});
      const r = await run(['checklist', 'init', dir]);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /Services detected: none/);
      assert.match(r.out, /no cloud service was detected/);
    });

    it('usage errors exit 2', async () => {
      assert.equal((await run(['checklist', 'init', '/definitely/not/here'])).code, 2);
      assert.equal((await run(['checklist', 'init', '--model', 'faas'])).code, 2);
      assert.equal((await run(['checklist', 'frob'])).code, 2);
      assert.equal((await run(['checklist'])).code, 2);
      assert.equal((await run(['soa', '--format', 'pdf'])).code, 2);
    });
  });

  describe('checklist status', () => {
    it('exit 2 without a checklist, saying how to create one', async () => {
      const dir = workspace({ 'main.tf': TF });
      const none = await run(['checklist', 'status', dir]);
      assert.equal(none.code, 2);
      assert.match(none.err, /no checklist at .*checklist init/);
    });

    it('exit 2 with an invalid checklist, which is not rewritten', async () => {
      const bad = '{\n  "version": 1,\n  "catalog": { "standard": "ISO/IEC 27017", "dataVersion": "1.0.0" },\n  "controls": { "5.1.1": { "responsibility": "shared", "applicable": true, "status": "finished" } }\n}\n';
      const dir = workspace({ 'main.tf': TF, [CHECKLIST_PATH]: bad });
      const r = await run(['checklist', 'status', dir]);
      assert.equal(r.code, 2);
      assert.match(r.err, /checklist\.json:4:86: error: "status" must be one of "todo", "in-progress", "done"; found the string "finished"\./);
      assert.equal(readFileSync(join(dir, CHECKLIST_PATH), 'utf8'), bad);
    });

    it('prints progress per responsibility; exit 0 without conflicts, 1 when a done control fails its rules', async () => {
      const dir = workspace({ 'main.tf': TF });
      assert.equal((await run(['checklist', 'init', dir])).code, 0);
      const clean = await run(['checklist', 'status', dir]);
      assert.equal(clean.code, 0, clean.err);
      assert.match(clean.out, /^ {2}customer +0\/\d+ done, \d+ to do$/m);
      assert.match(clean.out, /^ {2}all +0\/44 done, 44 to do$/m);
      assert.match(clean.out, /No conflicts/);

      const file = join(dir, CHECKLIST_PATH);
      let text = readFileSync(file, 'utf8');
      text = ok(setStatus(text, '12.3.1', 'done')).text;
      text = ok(setApplicability(text, '11.2.7', false, 'No own hardware.')).text;
      writeFileSync(file, text);
      const r = await run(['checklist', 'status', dir]);
      assert.equal(r.code, 1);
      assert.match(r.out, /^ {2}all +1\/43 done, 42 to do, 1 not applicable$/m);
      const line = text.split('\n').findIndex((l) => l.includes('"12.3.1"')) + 1;
      assert.match(r.out, new RegExp(`checklist\\.json:${line}:5: Control 12\\.3\\.1 is marked done, but \\d+ findings? of its rules (is|are) open: .*terraform/s3-versioning-disabled`));
      assert.match(r.out, /^ {4}main\.tf:6:1 +terraform\/s3-versioning-disabled +aws_s3_bucket\.logs$/m);
    });
  });

  describe('soa', () => {
    it('reads the checklist when there is one, and writes --output', async () => {
      const dir = workspace({ 'main.tf': TF });
      await run(['checklist', 'init', dir]);
      const file = join(dir, CHECKLIST_PATH);
      writeFileSync(file, ok(setApplicability(readFileSync(file, 'utf8'), '11.2.7', false, 'No own hardware.')).text);
      const out = join(dir, 'soa.csv');
      const r = await run(['soa', dir, '--format', 'csv', '--output', out]);
      assert.equal(r.code, 0, r.err);
      assert.equal(r.out, '');
      const csv = readFileSync(out, 'utf8');
      assert.equal(csv.split('\r\n').filter(Boolean).length, 45);
      assert.ok(csv.includes('11.2.7,Secure disposal or re-use of equipment,no,No own hardware.,'));
      const md = (await run(['soa', dir])).out;
      assert.match(md, /Source: the checklist \.iso27017\/checklist\.json\./);
    });

    it('exit 2 when the checklist is invalid', async () => {
      const dir = workspace({ [CHECKLIST_PATH]: '{ "version": 1, ' });
      const r = await run(['soa', dir]);
      assert.equal(r.code, 2);
      assert.match(r.err, /error: /);
    });

    it('`soa examples/ --format md` prints a complete SoA of the example project from the catalog defaults', () => {
      assert.equal(existsSync(join(repoRoot, 'examples', CHECKLIST_PATH)), false);
      const r = cli(['soa', 'examples/', '--format', 'md']);
      assert.equal(r.code, 0, r.err);
      const controls = r.out.split('\n').filter((l) => l.startsWith('### '));
      assert.equal(controls.length, 44);
      for (const c of catalog().controls) assert.ok(controls.some((l) => l.startsWith(`### ${c.id.replace(/\./g, '.')} `)), c.id);
      assert.equal(r.out.split('\n').filter((l) => l.startsWith('## ')).length, catalog().groups.length + 1);
      assert.match(r.out, /No checklist at \.iso27017\/checklist\.json: responsibilities are the catalog defaults for IaaS, PaaS \(detected from the Terraform\)/);
      assert.match(r.out, /Services: EC2 \(aws, IaaS\).*S3 \(aws, PaaS\)/);
      assert.match(r.out, /terraform\/s3-versioning-disabled: 1 open finding \(terraform-aws\/main\.tf:\d+\)/);
    });

    it('the main CLI lists the commands in its usage and dispatches them', () => {
      const help = cli(['--help']);
      assert.match(help.out, /iso27017 checklist init \[folder\]/);
      assert.match(help.out, /iso27017 soa \[folder\]/);
      const bad = cli(['checklist', 'nope']);
      assert.equal(bad.code, 2);
      assert.match(bad.err, /unknown checklist command "nope"/);
    });
  });
});
