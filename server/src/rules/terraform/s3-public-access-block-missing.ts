// Every S3 bucket is covered by a Block Public Access configuration with all four settings on.

import { defineRule } from '../../engine/rule';
import { companionEdit, hcl, replaceFix } from './_fixes';
import { isFalse, isTrue, isUnknown } from './helpers';

const SETTINGS = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'] as const;

export default defineRule({
  meta: {
    id: 'terraform/s3-public-access-block-missing',
    platform: 'terraform',
    provider: 'aws',
    title: 'S3 buckets have Block Public Access fully enabled',
    severity: 'warning',
    controls: ['9.4.1'],
    messages: {
      missing: 'S3 bucket "{{name}}" has no aws_s3_bucket_public_access_block.',
      settingMissing: 'Public access block "{{name}}" does not set {{setting}} (default false).',
      settingOff: 'Public access block "{{name}}" turns {{setting}} off.',
    },
    fixable: true,
    docs: {
      summary:
        'Block Public Access is the safety net that stops a later ACL or bucket policy change from exposing a bucket. AWS turns it on for new buckets, but unless Terraform declares it, someone with access can switch it off later without the change showing as drift; and a declared block with a setting off or omitted (omitted means false) leaves that gap open. Declare an aws_s3_bucket_public_access_block with all four settings true, or an account-wide one.',
    },
    equivalents: {
      checkov: ['CKV2_AWS_6', 'CKV_AWS_53', 'CKV_AWS_54', 'CKV_AWS_55', 'CKV_AWS_56'],
      trivy: [
        'AVD-AWS-0094', 'AWS-0094', 'aws-s3-specify-public-access-block',
        'AVD-AWS-0086', 'AWS-0086', 'aws-s3-block-public-acls',
        'AVD-AWS-0087', 'AWS-0087', 'aws-s3-block-public-policy',
        'AVD-AWS-0091', 'AWS-0091', 'aws-s3-ignore-public-acls',
        'AVD-AWS-0093', 'AWS-0093', 'aws-s3-no-public-buckets',
      ],
    },
    resourceTypes: ['aws_s3_bucket', 'aws_s3_bucket_public_access_block', 'aws_s3_account_public_access_block'],
  },
  check(ctx) {
    const accountBlocks = ctx.model.resourcesOfType('aws_s3_account_public_access_block');
    const accountCovers = accountBlocks.some((a) => SETTINGS.every((s) => {
      const v = a.attr(s);
      return !!v && isTrue(v.value);
    }));

    if (!accountCovers) {
      for (const bucket of ctx.model.resourcesOfType('aws_s3_bucket')) {
        if (ctx.model.linked(bucket, 'aws_s3_bucket_public_access_block', ['bucket'], ['bucket']).length > 0) continue;
        const fix = ctx.fixer.fix(
          `Add aws_s3_bucket_public_access_block for ${bucket.name} with all four settings on`,
          companionEdit(ctx, bucket, 'aws_s3_bucket_public_access_block', SETTINGS.map((s) => hcl.attr(s, 'true'))),
        );
        ctx.report({ resource: bucket, messageId: 'missing', fix });
      }
    }

    for (const block of [...ctx.model.resourcesOfType('aws_s3_bucket_public_access_block'), ...accountBlocks]) {
      const unset: string[] = [];
      for (const setting of SETTINGS) {
        const a = block.attr(setting);
        if (!a) unset.push(setting);
        else if (!isUnknown(a.value) && isFalse(a.value)) {
          ctx.report({ resource: block, messageId: 'settingOff', span: a.span, file: a.file, data: { setting }, fix: replaceFix(ctx, a, 'true') });
        }
      }
      if (unset.length > 0) {
        ctx.report({
          resource: block,
          messageId: 'settingMissing',
          data: { setting: unset.join(', ') },
          fix: ctx.fixer.fix(`Set ${unset.join(', ')} = true`, ctx.fixer.setAll(block, unset.map((s) => [s, 'true'] as [string, string]))),
        });
      }
    }
  },
});
