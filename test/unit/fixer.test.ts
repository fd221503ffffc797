// The fixer toolkit: layout-preserving HCL edits (indentation, alignment, one-line blocks, CRLF), fix selection
// and application, and idempotence of the rules' fixes.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Block } from '../../server/src/documents/terraform/ast';
import { applyOffsetEdits, hcl, HclSource } from '../../server/src/documents/terraform/edit';
import { parseHcl } from '../../server/src/documents/terraform/parser';
import { applyTextEdits, fixAll, isConstantExpr, selectFixes } from '../../server/src/engine/fixer';
import { Project } from '../../server/src/engine/project';
import type { Fix } from '../../server/src/engine/types';
import { rules } from '../../server/src/rules/index';
import { controls, corpusRoot, ruleById } from './support/project';

function source(text: string): HclSource {
  return new HclSource(text, parseHcl(text));
}

/** The first top-level block, or the nested block at a path of types (`['resource', 'versioning']`). */
function block(src: HclSource, ...types: string[]): Block {
  let items = src.ast.body.items;
  let b: Block | undefined;
  for (const t of types) {
    b = items.find((i): i is Block => i.kind === 'block' && i.type === t);
    assert.ok(b, `no block ${t}`);
    items = b.body.items;
  }
  return b!;
}

/** Applies one edit and checks the result is valid HCL. */
function apply(src: HclSource, edit: { start: number; end: number; newText: string } | undefined): string {
  assert.ok(edit, 'an edit');
  const out = applyOffsetEdits(src.text, [edit]);
  assert.deepEqual(parseHcl(out).errors, [], `valid HCL:\n${out}`);
  return out;
}

describe('HCL edit toolkit', () => {
  it('inserts an attribute after the last attribute, aligned with its group', () => {
    const src = source('resource "aws_kms_key" "k" {\n  description  = "key"\n  multi_region = false\n\n  tags = {}\n  lifecycle {\n    prevent_destroy = true\n  }\n}\n');
    const out = apply(src, src.insert(block(src, 'resource'), [hcl.attr('is_enabled', 'true')]));
    assert.equal(
      out,
      'resource "aws_kms_key" "k" {\n  description  = "key"\n  multi_region = false\n\n  tags = {}\n  is_enabled = true\n  lifecycle {\n    prevent_destroy = true\n  }\n}\n',
    );
    const aligned = source('resource "a" "b" {\n  description  = "key"\n  multi_region = false\n}\n');
    assert.equal(apply(aligned, aligned.insert(block(aligned, 'resource'), [hcl.attr('rotate', 'true')])), 'resource "a" "b" {\n  description  = "key"\n  multi_region = false\n  rotate       = true\n}\n');
  });

  it('does not align across a comment line, as terraform fmt', () => {
    const src = source('resource "a" "b" {\n  name        = "x"\n  shard_count = 1\n  # why\n  encryption_type = "NONE"\n}\n');
    const out = apply(src, src.insert(block(src, 'resource'), [hcl.attr('kms_key_id', '"k"')]));
    assert.match(out, /\n {2}encryption_type = "NONE"\n {2}kms_key_id {6}= "k"\n\}/);
  });

  it('keeps the file indentation: four spaces and tabs', () => {
    const four = source('resource "a" "b" {\n    x = 1\n    inner {\n        y = 2\n    }\n}\n');
    assert.equal(apply(four, four.insert(block(four, 'resource', 'inner'), [hcl.attr('z', '3')])), 'resource "a" "b" {\n    x = 1\n    inner {\n        y = 2\n        z = 3\n    }\n}\n');
    const tabs = source('resource "a" "b" {\n\tx = 1\n}\n\nresource "a" "c" {\n}\n');
    assert.equal(tabs.unit, '\t');
    const out = apply(tabs, tabs.insert(tabs.ast.body.items[1] as Block, [hcl.block('versioning', [hcl.attr('enabled', 'true')])]));
    assert.equal(out, 'resource "a" "b" {\n\tx = 1\n}\n\nresource "a" "c" {\n\tversioning {\n\t\tenabled = true\n\t}\n}\n');
  });

  it('expands one-line blocks, aligning their attributes with the new ones', () => {
    const one = source('resource "aws_kms_key" "k" { description = "key" } # keep\n');
    assert.equal(
      apply(one, one.insert(block(one, 'resource'), [hcl.attr('enable_key_rotation', 'true')])),
      'resource "aws_kms_key" "k" {\n  description         = "key"\n  enable_key_rotation = true\n} # keep\n',
    );
    const empty = source('resource "a" "b" {}\n');
    assert.equal(apply(empty, empty.insert(block(empty, 'resource'), [hcl.block('versioning', [hcl.attr('enabled', 'true')])])), 'resource "a" "b" {\n  versioning {\n    enabled = true\n  }\n}\n');
    const nested = source('resource "a" "b" {\n  versioning { enabled = false }\n}\n');
    assert.equal(
      apply(nested, nested.insert(block(nested, 'resource', 'versioning'), [hcl.attr('mfa_delete', 'false')])),
      'resource "a" "b" {\n  versioning {\n    enabled    = false\n    mfa_delete = false\n  }\n}\n',
    );
  });

  it('writes CRLF into CRLF files and leaves every other byte alone', () => {
    const text = 'resource "a" "b" {\r\n  x = 1 # note\r\n}\r\n\r\nresource "c" "d" { y = 2 }\r\n';
    const src = source(text);
    assert.equal(src.eol, '\r\n');
    const out = apply(src, src.insert(block(src, 'resource'), [hcl.attr('z', '3')]));
    assert.equal(out, 'resource "a" "b" {\r\n  x = 1 # note\r\n  z = 3\r\n}\r\n\r\nresource "c" "d" { y = 2 }\r\n');
    const src2 = source(out);
    const out2 = apply(src2, src2.insert(src2.ast.body.items[1] as Block, [hcl.attr('w', '4')]));
    assert.equal(out2, 'resource "a" "b" {\r\n  x = 1 # note\r\n  z = 3\r\n}\r\n\r\nresource "c" "d" {\r\n  y = 2\r\n  w = 4\r\n}\r\n');
    assert.ok(!/[^\r]\n/.test(out2), 'no bare LF');
  });

  it('inserts into a block whose closing brace shares the last line, and puts attributes before nested blocks', () => {
    const src = source('resource "a" "b" {\n  x = 1 }\n');
    assert.equal(apply(src, src.insert(block(src, 'resource'), [hcl.attr('y', '2')])), 'resource "a" "b" {\n  x = 1 \n  y = 2\n}\n');
    const blocksOnly = source('resource "a" "b" {\n  inner {\n    x = 1\n  }\n}\n');
    assert.equal(apply(blocksOnly, blocksOnly.insert(block(blocksOnly, 'resource'), [hcl.attr('y', '2')])), 'resource "a" "b" {\n  y = 2\n  inner {\n    x = 1\n  }\n}\n');
  });

  it('adds a companion resource after a block, keeping a trailing comment on its line', () => {
    const src = source('resource "aws_s3_bucket" "b" {\n  bucket = "b"\n} # the bucket\nresource "x" "y" {}\n');
    const out = apply(src, src.insertAfter(block(src, 'resource'), hcl.block('resource', [hcl.attr('bucket', 'aws_s3_bucket.b.id')], ['aws_s3_bucket_versioning', 'b'])));
    assert.equal(out, 'resource "aws_s3_bucket" "b" {\n  bucket = "b"\n} # the bucket\n\nresource "aws_s3_bucket_versioning" "b" {\n  bucket = aws_s3_bucket.b.id\n}\nresource "x" "y" {}\n');
  });

  it('removes items with their lines, and list elements with their separators', () => {
    const src = source('resource "a" "b" {\n  x = 1 # gone too\n  inner {\n    y = 2\n  }\n  z = 3\n}\n');
    const b = block(src, 'resource');
    assert.equal(apply(src, src.remove(b.body.items[0]!)), 'resource "a" "b" {\n  inner {\n    y = 2\n  }\n  z = 3\n}\n');
    assert.equal(apply(src, src.remove(b.body.items[1]!)), 'resource "a" "b" {\n  x = 1 # gone too\n  z = 3\n}\n');
    const list = source('x = ["a", "b", "c"]\ny = [\n  "a",\n  "b",\n]\nz = ["only"]\n');
    const tuple = (i: number) => (list.ast.body.items[i] as { expr: import('../../server/src/documents/terraform/ast').TupleExpr }).expr;
    assert.equal(apply(list, list.removeElement(tuple(0), 1)), 'x = ["a", "c"]\ny = [\n  "a",\n  "b",\n]\nz = ["only"]\n');
    assert.equal(apply(list, list.removeElement(tuple(0), 2)), 'x = ["a", "b"]\ny = [\n  "a",\n  "b",\n]\nz = ["only"]\n');
    assert.equal(apply(list, list.removeElement(tuple(1), 1)), 'x = ["a", "b", "c"]\ny = [\n  "a",\n]\nz = ["only"]\n');
    assert.equal(apply(list, list.removeElement(tuple(2), 0)), 'x = ["a", "b", "c"]\ny = [\n  "a",\n  "b",\n]\nz = []\n');
  });

  it('refuses edits it cannot make safely', () => {
    const half = source('resource "a" "b" {\n  x = 1\n');
    assert.equal(half.insert(half.ast.body.items[0] as Block, [hcl.attr('y', '2')]), undefined);
    const commented = source('resource "a" "b" { /* keep */ x = 1 }\n');
    assert.equal(commented.insert(block(commented, 'resource'), [hcl.attr('y', '2')]), undefined);
  });

  it('quotes strings for HCL and knows constants from references', () => {
    assert.equal(hcl.str('a "b" ${c} %{d} \\ e'), '"a \\"b\\" $${c} %%{d} \\\\ e"');
    const src = source('a = 1\nb = "x"\nc = var.x\nd = ["a", -1, null]\ne = "${var.x}"\nf = { k = "v" }\n');
    const consts = src.ast.body.items.map((i) => (i.kind === 'attribute' ? isConstantExpr(i.expr) : undefined));
    assert.deepEqual(consts, [true, true, false, true, false, true]);
  });
});

describe('choosing and applying fixes', () => {
  const edit = (line: number, from: number, to: number, newText: string) => ({ file: '/f.tf', range: { start: { line, character: from }, end: { line, character: to } }, newText });
  const fix = (title: string, ...edits: ReturnType<typeof edit>[]): Fix => ({ title, edits });

  it('skips a fix that overlaps a chosen one, keeps insertions at one point, and counts identical edits once', () => {
    const text = 'abcdef\nghij\n';
    const a = fix('a', edit(0, 1, 3, 'X'));
    const b = fix('b', edit(0, 2, 4, 'Y'));
    const c = fix('c', edit(1, 0, 0, '1'), edit(0, 1, 3, 'X'));
    const d = fix('d', edit(1, 0, 0, '2'));
    const { chosen, edits } = selectFixes([a, b, c, d], () => text);
    assert.deepEqual(chosen.map((f) => f.title), ['a', 'c', 'd']);
    assert.equal(applyTextEdits(text, edits), 'aXdef\n12ghij\n');
  });

  it('fixAll repeats passes until no fix is left and changes nothing more after that', () => {
    const text = 'resource "aws_kms_key" "k" { description = "k" }\nresource "aws_cloudtrail" "t" { name = "t" }\n';
    const p = new Project({ rules, controls: controls() });
    p.setFile('/w/main.tf', text);
    const first = fixAll(p, { placeholders: true });
    assert.ok(first.passes >= 2, 'the trail is a one-line block: its fixes overlap and need several passes');
    const fixed = first.files.get('/w/main.tf')!;
    assert.deepEqual(parseHcl(fixed).errors, []);
    assert.match(fixed, /enable_key_rotation = true/);
    assert.match(fixed, /enable_log_file_validation += true/);
    assert.match(fixed, /is_multi_region_trail += true/);
    const again = fixAll(p, { placeholders: true });
    assert.equal(again.files.size, 0);
    assert.equal(again.applied, 0);
  });

  it('leaves placeholder fixes out unless asked, and filters by rule', () => {
    const text = 'resource "aws_cloudtrail" "t" {\n  name = "t"\n}\n';
    const p = new Project({ rules, controls: controls() });
    p.setFile('/w/main.tf', text);
    const safe = fixAll(p, { rules: new Set(['terraform/cloudtrail-not-kms-encrypted']) });
    assert.equal(safe.files.size, 0);
    const withPlaceholders = fixAll(p, { rules: new Set(['terraform/cloudtrail-not-kms-encrypted']), placeholders: true });
    assert.equal(withPlaceholders.files.get('/w/main.tf'), 'resource "aws_cloudtrail" "t" {\n  name = "t"\n  kms_key_id = "REPLACE_ME: ARN of the customer-managed KMS key for CloudTrail"\n}\n');
  });

  it('adds a companion after the last existing companion of the bucket', () => {
    const text = [
      'resource "aws_s3_bucket" "b" {',
      '  bucket = "b"',
      '}',
      '',
      'resource "aws_s3_bucket_versioning" "b" {',
      '  bucket = aws_s3_bucket.b.id',
      '  versioning_configuration {',
      '    status = "Enabled"',
      '  }',
      '}',
      '',
      'resource "aws_kms_key" "other" {}',
      '',
    ].join('\n');
    const p = new Project({ rules: [ruleById('terraform/s3-public-access-block-missing')], controls: controls() });
    p.setFile('/w/main.tf', text);
    const f = p.analyzeAll().findings[0]!;
    assert.equal(f.fixes[0]!.title, 'Add aws_s3_bucket_public_access_block for b with all four settings on');
    const out = applyTextEdits(text, f.fixes[0]!.edits);
    assert.match(out, /status = "Enabled"\n {2}\}\n\}\n\nresource "aws_s3_bucket_public_access_block" "b" \{\n {2}bucket {18}= aws_s3_bucket\.b\.id\n/);
    assert.ok(out.endsWith('}\n\nresource "aws_kms_key" "other" {}\n'));
  });

  it('offers no companion for a bucket expanded by count, and never overwrites a reference', () => {
    const p = new Project({ rules: [ruleById('terraform/s3-versioning-disabled'), ruleById('terraform/kms-key-rotation-disabled')], controls: controls() });
    p.setFile('/w/main.tf', 'resource "aws_s3_bucket" "b" {\n  count  = 2\n  bucket = "b-${count.index}"\n}\nresource "aws_kms_key" "k" {\n  enable_key_rotation = local.rotate\n}\nlocals {\n  rotate = false\n}\n');
    const fs = p.analyzeAll().findings;
    assert.equal(fs.length, 2);
    for (const f of fs) {
      assert.deepEqual(f.fixes, [], f.ruleId);
      assert.equal(f.fixable, false);
    }
  });

  it('every fixable rule attaches at least one fix, and every fix edit names a held file', () => {
    assert.ok(rules.filter((r) => r.meta.fixable).length / rules.length >= 0.6, 'at least 60% of the rules are fixable');
  });
});

describe('fix-all over the corpus', function () {
  this.timeout(120000);
  if (!existsSync(corpusRoot)) {
    it.skip(`the corpus is absent (${corpusRoot})`);
    return;
  }
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        if (!['node_modules', '.terraform', '.git'].includes(e.name)) walk(p);
      } else if (e.name.endsWith('.tf') || e.name.endsWith('.tfvars')) files.push(p);
    }
  };
  walk(corpusRoot);

  for (const eol of ['\n', '\r\n']) {
    it(`leaves valid HCL, with ${eol === '\n' ? 'LF' : 'CRLF'} line ends, and nothing left to fix`, () => {
      const p = new Project({ rules, controls: [] });
      const syntaxErrors = new Map<string, number>();
      for (const f of files) {
        const text = readFileSync(f, 'utf8').replace(/\r?\n/g, eol);
        p.setFile(f, text);
        syntaxErrors.set(f, parseHcl(text).errors.length);
      }
      const { files: changed, applied } = fixAll(p, { placeholders: true });
      assert.ok(applied > 100, `only ${applied} fixes applied`);
      const problems: string[] = [];
      for (const [f, text] of changed) {
        if (parseHcl(text).errors.length > syntaxErrors.get(f)!) problems.push(`${f}: not valid HCL after the fixes`);
        if (eol === '\r\n' && /[^\r]\n/.test(text)) problems.push(`${f}: a bare LF in a CRLF file`);
      }
      for (const f of p.analyzeAll().findings.filter((x) => x.fixes.length > 0)) problems.push(`${f.file}:${f.range.start.line + 1}: ${f.ruleId} still offers a fix`);
      assert.deepEqual(problems.slice(0, 10), []);
    });
  }
});
