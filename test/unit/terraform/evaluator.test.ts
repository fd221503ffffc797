// Project-wide evaluation: variables, tfvars, locals, references, functions, count/for_each, modules, links.

import assert from 'node:assert/strict';
import { Project } from '../../../server/src/engine/project';
import { defineRule, type TerraformRule } from '../../../server/src/engine/rule';
import type { TfResource } from '../../../server/src/documents/terraform/model';
import { isUnknown, type Value } from '../../../server/src/documents/terraform/values';

/** Evaluates a project and hands the model to `inspect` through a throwaway rule. */
function withModel(files: Record<string, string>, inspect: (m: import('../../../server/src/documents/terraform/model').TerraformModel) => void): void {
  let seen = false;
  const rule: TerraformRule = defineRule({
    meta: { id: 'terraform/test-probe', platform: 'terraform', title: 't', severity: 'info', controls: [], messages: {}, fixable: false, docs: { summary: '' }, equivalents: {} },
    check(ctx) {
      if (!ctx.model.resources.some((r) => r.modulePath.length === 0)) return;
      seen = true;
      inspect(ctx.model);
    },
  });
  const p = new Project({ rules: [rule], controls: [] });
  for (const [path, text] of Object.entries(files)) p.setFile(`/w/${path}`, text);
  const result = p.analyzeAll();
  assert.deepEqual(result.errors.filter((e) => e.message.startsWith('Rule ')), []);
  assert.ok(seen, 'the probe rule saw no root module');
}

function value(r: TfResource | undefined, path: string): Value | undefined {
  assert.ok(r, 'resource not found');
  return r.get(path)?.value;
}

function one(m: import('../../../server/src/documents/terraform/model').TerraformModel, type: string, name: string, modulePath: string[] = []): TfResource {
  const r = m.resourcesOfType(type).find((x) => x.name === name && x.modulePath.join('.') === modulePath.join('.'));
  assert.ok(r, `${type}.${name} not found`);
  return r;
}

describe('terraform evaluation', () => {
  it('resolves variable defaults, terraform.tfvars and *.auto.tfvars in that order of precedence', () => {
    withModel(
      {
        'main.tf': `variable "a" { default = "from-default" }\nvariable "b" { default = 1 }\nvariable "c" {}\nvariable "d" {}\nresource "x" "r" {\n  a = var.a\n  b = var.b\n  c = var.c\n  d = var.d\n}\n`,
        'terraform.tfvars': `a = "from-tfvars"\nb = 2\n`,
        'z.auto.tfvars': `b = 3\n`,
        'prod.tfvars': `d = "not-auto-loaded"\n`,
      },
      (m) => {
        const r = one(m, 'x', 'r');
        assert.equal(value(r, 'a'), 'from-tfvars');
        assert.equal(value(r, 'b'), 3);
        assert.ok(isUnknown(value(r, 'c')));
        assert.ok(isUnknown(value(r, 'd')));
      },
    );
  });

  it('evaluates locals, templates, conditionals and functions', () => {
    withModel(
      {
        'main.tf': `locals {\n  env = "prod"\n  name = "\${local.env}-logs"\n  enc = local.env == "prod" ? true : false\n  tags = merge({ a = "1" }, { b = upper("x") })\n  n = length(concat([1, 2], [3]))\n  j = jsonencode({ k = [1, "two"] })\n  c = coalesce("", "fallback")\n  t = try(local.tags.missing, "default")\n}\nresource "x" "r" {\n  name = local.name\n  enc = local.enc\n  tags = local.tags\n  n = local.n\n  j = local.j\n  c = local.c\n  t = local.t\n  cycle = local.cycle\n}\nlocals { cycle = local.cycle }\n`,
      },
      (m) => {
        const r = one(m, 'x', 'r');
        assert.equal(value(r, 'name'), 'prod-logs');
        assert.equal(value(r, 'enc'), true);
        assert.deepEqual(value(r, 'tags'), { a: '1', b: 'X' });
        assert.equal(value(r, 'tags.b'), 'X');
        assert.equal(value(r, 'n'), 3);
        assert.equal(value(r, 'j'), '{"k":[1,"two"]}');
        assert.equal(value(r, 'c'), 'fallback');
        assert.equal(value(r, 't'), 'default');
        assert.ok(isUnknown(value(r, 'cycle')));
      },
    );
  });

  it('keeps references to other resources as unknowns that remember their source', () => {
    withModel(
      {
        'main.tf': `resource "aws_s3_bucket" "b" { bucket = "my-bucket" }\nresource "aws_s3_bucket_versioning" "v" {\n  bucket = aws_s3_bucket.b.id\n}\nresource "aws_s3_bucket_logging" "l" {\n  bucket = aws_s3_bucket.b.bucket\n}\nresource "aws_s3_bucket_acl" "a" {\n  bucket = "my-bucket"\n}\nresource "aws_s3_bucket_policy" "p" {\n  bucket = "other"\n}\n`,
      },
      (m) => {
        const b = one(m, 'aws_s3_bucket', 'b');
        const v = one(m, 'aws_s3_bucket_versioning', 'v');
        const bucketRef = value(v, 'bucket');
        assert.ok(isUnknown(bucketRef));
        assert.deepEqual([...bucketRef.refs], ['aws_s3_bucket.b']);
        assert.equal(value(one(m, 'aws_s3_bucket_logging', 'l'), 'bucket'), 'my-bucket');
        assert.equal(m.linked(b, 'aws_s3_bucket_versioning', ['bucket'], ['bucket']).length, 1);
        assert.equal(m.linked(b, 'aws_s3_bucket_logging', ['bucket'], ['bucket']).length, 1);
        assert.equal(m.linked(b, 'aws_s3_bucket_acl', ['bucket'], ['bucket']).length, 1);
        assert.equal(m.linked(b, 'aws_s3_bucket_policy', ['bucket'], ['bucket']).length, 0);
        assert.deepEqual(m.referencedBy(v.get('bucket')!).map((r) => r.address), ['aws_s3_bucket.b']);
      },
    );
  });

  it('skips, in try(), an index into a resource that has no such instance (count = 0), as Terraform does', () => {
    withModel(
      {
        // The shape of terraform-aws-modules/vpc: `try(aws_vpc_ipv4_cidr_block_association.this[0].vpc_id, aws_vpc.this[0].id, "")`.
        'main.tf': [
          'variable "cidrs" { default = [] }',
          'variable "ask" {}',
          'resource "aws_vpc" "this" {\n  count = 1\n}',
          'resource "aws_vpc_ipv4_cidr_block_association" "this" {\n  count = length(var.cidrs)\n}',
          'resource "aws_flow_log" "f" {\n  vpc_id = try(aws_vpc_ipv4_cidr_block_association.this[0].vpc_id, aws_vpc.this[0].id, "")\n}',
          'resource "x" "cond" {\n  v = var.ask ? aws_vpc_ipv4_cidr_block_association.this[0].vpc_id : aws_vpc.this[0].id\n}',
          'resource "x" "bare" {\n  v = aws_vpc_ipv4_cidr_block_association.this[0].vpc_id\n}',
          'resource "x" "unknown_count" {\n  count = length(var.ask)\n}',
          'resource "x" "maybe" {\n  v = try(x.unknown_count[0].id, "fallback")\n}',
          '',
        ].join('\n'),
      },
      (m) => {
        const vpc = one(m, 'aws_vpc', 'this');
        const id = value(one(m, 'aws_flow_log', 'f'), 'vpc_id');
        assert.ok(isUnknown(id));
        assert.deepEqual([...id.refs], ['aws_vpc.this'], 'the second argument of try()');
        assert.equal(m.linked(vpc, 'aws_flow_log', ['vpc_id']).length, 1, 'so the flow log counts for the VPC');
        // An unknown condition: the branch that cannot be evaluated is unknown; the other keeps its reference.
        const cond = value(one(m, 'x', 'cond'), 'v');
        assert.ok(isUnknown(cond) && cond.refs.includes('aws_vpc.this'), JSON.stringify(cond));
        // Outside try(), the invalid index is an unknown value, never an error.
        assert.ok(isUnknown(value(one(m, 'x', 'bare'), 'v')));
        // With an unknown count, the instance may exist: try() takes the first argument, unknown.
        assert.ok(isUnknown(value(one(m, 'x', 'maybe'), 'v')));
      },
    );
  });

  it('expands count and for_each, and drops count = 0', () => {
    withModel(
      {
        'main.tf': `variable "on" { default = false }\nresource "x" "off" {\n  count = var.on ? 1 : 0\n}\nresource "x" "two" {\n  count = 2\n  i = count.index\n}\nresource "x" "each" {\n  for_each = { a = "A", b = "B" }\n  v = each.value\n  k = each.key\n}\nresource "x" "unknown" {\n  count = var.nope\n}\nvariable "nope" {}\n`,
      },
      (m) => {
        const xs = m.resourcesOfType('x');
        assert.equal(xs.filter((r) => r.name === 'off').length, 0);
        assert.deepEqual(xs.filter((r) => r.name === 'two').map((r) => r.get('i')?.value), [0, 1]);
        assert.deepEqual(xs.filter((r) => r.name === 'each').map((r) => [r.get('k')?.value, r.get('v')?.value]), [['a', 'A'], ['b', 'B']]);
        assert.equal(xs.filter((r) => r.name === 'unknown').length, 1);
      },
    );
  });

  it('evaluates local modules with their inputs and follows outputs back to the caller', () => {
    withModel(
      {
        'main.tf': `module "store" {\n  source = "./modules/store"\n  name = "from-root"\n  versioned = true\n}\nresource "aws_s3_bucket_versioning" "v" {\n  bucket = module.store.bucket_id\n}\n`,
        'modules/store/main.tf': `variable "name" {}\nvariable "versioned" { default = false }\nresource "aws_s3_bucket" "this" {\n  bucket = var.name\n  versioning { enabled = var.versioned }\n}\noutput "bucket_id" { value = aws_s3_bucket.this.id }\n`,
      },
      (m) => {
        const b = one(m, 'aws_s3_bucket', 'this', ['store']);
        assert.equal(b.address, 'module.store.aws_s3_bucket.this');
        assert.equal(b.file, '/w/modules/store/main.tf');
        assert.equal(value(b, 'bucket'), 'from-root');
        assert.equal(value(b, 'versioning.enabled'), true);
        assert.equal(m.linked(b, 'aws_s3_bucket_versioning', ['bucket']).length, 1);
      },
    );
  });

  it('does not evaluate a called module on its own with defaults', () => {
    let count = 0;
    withModel(
      {
        'main.tf': `module "m" {\n  source = "./mod"\n  n = 0\n}\nresource "x" "root" {}\n`,
        'mod/main.tf': `variable "n" { default = 1 }\nresource "x" "inner" { count = var.n }\n`,
      },
      (m) => {
        count = m.resourcesOfType('x').filter((r) => r.name === 'inner').length;
      },
    );
    assert.equal(count, 0);
  });

  it('gives unknown, not an error, for unsupported functions and missing names', () => {
    withModel(
      { 'main.tf': `resource "x" "r" {\n  a = file("secret.txt")\n  b = var.missing\n  c = aws_nothing.here.id\n  d = timestamp()\n}\n` },
      (m) => {
        const r = one(m, 'x', 'r');
        for (const k of ['a', 'b', 'c', 'd']) assert.ok(isUnknown(value(r, k)), k);
      },
    );
  });

  it('evaluates dynamic blocks with an unknown iterator', () => {
    withModel(
      { 'main.tf': `resource "x" "r" {\n  dynamic "rule" {\n    for_each = var.rules\n    content { port = rule.value.port }\n  }\n}\nvariable "rules" {}\n` },
      (m) => {
        const r = one(m, 'x', 'r');
        assert.ok(r.hasDynamic('rule'));
        assert.equal(r.blocks('rule').length, 1);
        assert.ok(isUnknown(value(r, 'rule.port')));
      },
    );
  });
});
