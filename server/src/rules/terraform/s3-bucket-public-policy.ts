// S3 bucket policies do not grant access to every principal without a narrowing condition.

import type { TfResource } from '../../documents/terraform/model';
import { defineRule, type TerraformRuleContext } from '../../engine/rule';
import { isPublicGrant, readPolicyAttr, reportOnPolicy } from './_policy';
import { isTrue } from './helpers';

/** True when Block Public Access is known to refuse or neutralise public bucket policies for this bucket. */
function publicPoliciesBlocked(ctx: TerraformRuleContext, bucket: TfResource | undefined): boolean {
  const blocks = (r: TfResource): boolean => ['block_public_policy', 'restrict_public_buckets'].some((n) => {
    const a = r.attr(n);
    return !!a && isTrue(a.value);
  });
  if (ctx.model.resourcesOfType('aws_s3_account_public_access_block').some(blocks)) return true;
  if (!bucket) return false;
  return ctx.model.linked(bucket, 'aws_s3_bucket_public_access_block', ['bucket'], ['bucket']).some(blocks);
}

export default defineRule({
  meta: {
    id: 'terraform/s3-bucket-public-policy',
    platform: 'terraform',
    provider: 'aws',
    title: 'S3 bucket policies do not grant access to everyone',
    severity: 'error',
    controls: ['9.4.1'],
    messages: {
      incorrect: 'The policy of "{{name}}" allows any principal (Principal "*") without a condition that limits it to known accounts or sources.',
    },
    fixable: false,
    docs: {
      summary:
        'A bucket policy statement that allows Principal "*" applies to anonymous callers and every AWS account. Unless a condition ties it to your organisation, account, VPC endpoint or a source resource, the objects it covers are public. Name the principals that need access instead.',
    },
    equivalents: {
      checkov: ['CKV_AWS_70'],
      kics: ['7af43613-6bb9-4a0e-8c4d-1314b799425e'],
    },
    resourceTypes: ['aws_s3_bucket', 'aws_s3_bucket_policy'],
  },
  check(ctx) {
    const buckets = ctx.model.resourcesOfType('aws_s3_bucket');
    for (const res of ctx.model.resourcesOfType('aws_s3_bucket', 'aws_s3_bucket_policy')) {
      const read = readPolicyAttr(ctx.model, res, 'policy');
      if (!read || !read.policy) continue;
      if (!read.policy.statements.some(isPublicGrant)) continue;
      let bucket: TfResource | undefined = res.type === 'aws_s3_bucket' ? res : undefined;
      if (!bucket) {
        const ref = res.attr('bucket');
        if (ref) {
          bucket = ctx.model.referencedBy(ref).find((r) => r.type === 'aws_s3_bucket');
          if (!bucket && typeof ref.value === 'string') bucket = buckets.find((b) => b.attr('bucket')?.value === ref.value);
        }
      }
      if (publicPoliciesBlocked(ctx, bucket)) continue;
      reportOnPolicy(ctx, res, { attr: read.attr, policy: read.policy }, 'policy document granting access to "*"');
    }
  },
});
