// S3 buckets record server access logs, inline (provider v3) or through aws_s3_bucket_logging (v4+).

import type { TfResource } from '../../documents/terraform/model';
import { refsOf } from '../../documents/terraform/values';
import { defineRule } from '../../engine/rule';
import { companionEdit, hcl, placeholder } from './_fixes';

/** True when the value names the bucket: by reference or by its literal name. */
function namesBucket(value: unknown, bucket: TfResource): boolean {
  if (refsOf(value).includes(bucket.address)) return true;
  const name = bucket.attr('bucket');
  return typeof value === 'string' && name !== undefined && typeof name.value === 'string' && name.value === value;
}

/** True when the bucket receives other buckets' access logs (it is a log bucket itself). */
function isLogTarget(ctx: { model: import('../../documents/terraform/model').TerraformModel }, bucket: TfResource): boolean {
  for (const other of ctx.model.resourcesOfType('aws_s3_bucket')) {
    for (const l of other.blocks('logging')) {
      const t = l.attr('target_bucket');
      if (t && namesBucket(t.value, bucket)) return true;
    }
  }
  if (ctx.model.linked(bucket, 'aws_s3_bucket_logging', ['target_bucket'], ['bucket']).length > 0) return true;
  // The canned ACL that grants the S3 log delivery group write access marks a log bucket.
  const acl = bucket.attr('acl');
  if (acl && acl.value === 'log-delivery-write') return true;
  return ctx.model.linked(bucket, 'aws_s3_bucket_acl', ['bucket'], ['bucket']).some((a) => a.attr('acl')?.value === 'log-delivery-write');
}

export default defineRule({
  meta: {
    id: 'terraform/s3-access-logging-disabled',
    platform: 'terraform',
    provider: 'aws',
    title: 'S3 buckets have server access logging enabled',
    severity: 'warning',
    controls: ['12.4.1', 'CLD.12.4.5'],
    messages: {
      missing: 'S3 bucket "{{name}}" has no server access logging: reads and writes of its objects are not recorded.',
    },
    fixable: true,
    docs: {
      summary:
        'Server access logs record every request made to a bucket, including who read or deleted which object and from where. They are what an investigation relies on after a leak or an unexpected deletion; buckets that only receive other buckets\' logs are exempt.',
    },
    equivalents: {
      checkov: ['CKV_AWS_18'],
      trivy: ['AVD-AWS-0089', 'AWS-0089', 'aws-s3-enable-logging'],
      kics: ['f861041c-8c9f-4156-acfc-5e6e524f5884'],
    },
    resourceTypes: ['aws_s3_bucket', 'aws_s3_bucket_logging'],
  },
  check(ctx) {
    for (const bucket of ctx.model.resourcesOfType('aws_s3_bucket')) {
      if (bucket.blocks('logging').length > 0 || bucket.hasDynamic('logging')) continue;
      if (ctx.model.linked(bucket, 'aws_s3_bucket_logging', ['bucket'], ['bucket']).length > 0) continue;
      if (isLogTarget(ctx, bucket)) continue;
      const fix = ctx.fixer.fix(
        `Add aws_s3_bucket_logging for ${bucket.name} (placeholder target bucket to fill in)`,
        companionEdit(ctx, bucket, 'aws_s3_bucket_logging', [
          hcl.attr('target_bucket', placeholder('name of the bucket that receives access logs')),
          hcl.attr('target_prefix', hcl.str(`${bucket.name}/`)),
        ]),
        { placeholder: true },
      );
      ctx.report({ resource: bucket, messageId: 'missing', fix });
    }
  },
});
