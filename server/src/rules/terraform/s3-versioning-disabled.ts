// S3 buckets keep old object versions, either inline (provider v3) or through aws_s3_bucket_versioning (v4+).

import { defineRule } from '../../engine/rule';
import { companionEdit, hcl, setPathFix } from './_fixes';
import { isUnknown } from './helpers';

export default defineRule({
  meta: {
    id: 'terraform/s3-versioning-disabled',
    platform: 'terraform',
    provider: 'aws',
    title: 'S3 buckets have versioning enabled',
    severity: 'warning',
    controls: ['12.3.1', 'CLD.8.1.5'],
    messages: {
      missing: 'S3 bucket "{{name}}" has no versioning: deleted or overwritten objects cannot be recovered.',
      incorrect: 'S3 bucket "{{name}}" has versioning turned off.',
      suspended: 'S3 bucket "{{name}}" has versioning status "{{status}}" instead of "Enabled".',
    },
    fixable: true,
    docs: {
      summary:
        'Versioning keeps every previous copy of an object, so an accidental delete, an overwrite by a faulty deploy or a ransomware-style encryption can be rolled back. It is the cheapest backup an S3 bucket has.',
    },
    equivalents: {
      checkov: ['CKV_AWS_21'],
      trivy: ['AVD-AWS-0090', 'AWS-0090', 'aws-s3-enable-versioning'],
      kics: ['568a4d22-3517-44a6-a7ad-6a7eed88722c'],
    },
    resourceTypes: ['aws_s3_bucket', 'aws_s3_bucket_versioning'],
  },
  check(ctx) {
    for (const bucket of ctx.model.resourcesOfType('aws_s3_bucket')) {
      // Provider v4+: a separate aws_s3_bucket_versioning resource decides.
      const companions = ctx.model.linked(bucket, 'aws_s3_bucket_versioning', ['bucket'], ['bucket']);
      if (companions.length > 0) {
        for (const v of companions) {
          const status = v.get('versioning_configuration.status');
          if (!status) {
            if (!v.hasDynamic('versioning_configuration')) {
              ctx.report({
                resource: bucket,
                messageId: 'missing',
                related: [{ file: v.file, span: v.headerSpan, message: 'versioning resource without a status' }],
                fix: setPathFix(ctx, v, 'versioning_configuration.status', '"Enabled"', 'Set versioning_configuration.status = "Enabled"'),
              });
            }
          } else if (!isUnknown(status.value) && status.value !== 'Enabled') {
            ctx.report({
              resource: v,
              messageId: 'suspended',
              span: status.span,
              file: status.file,
              data: { name: bucket.address, status: String(status.value) },
              related: [{ file: bucket.file, span: bucket.headerSpan, message: `the bucket ${bucket.address}` }],
              fix: ctx.fixer.fix('Set status = "Enabled"', ctx.fixer.replaceValue(status.file, status.span, '"Enabled"')),
            });
          }
        }
        continue;
      }
      const enabled = bucket.get('versioning.enabled');
      if (enabled) {
        if (!isUnknown(enabled.value) && enabled.value !== true && enabled.value !== 'true') {
          ctx.report({ resource: bucket, messageId: 'incorrect', span: enabled.span, fix: setPathFix(ctx, bucket, 'versioning.enabled', 'true') });
        }
      } else if (!bucket.hasDynamic('versioning')) {
        // A bucket written in the provider v3 style (inline `versioning` block) keeps that style.
        const fix =
          bucket.blocks('versioning').length > 0
            ? setPathFix(ctx, bucket, 'versioning.enabled', 'true')
            : ctx.fixer.fix(
                `Add aws_s3_bucket_versioning for ${bucket.name} with status "Enabled"`,
                companionEdit(ctx, bucket, 'aws_s3_bucket_versioning', [hcl.block('versioning_configuration', [hcl.attr('status', '"Enabled"')])]),
              );
        ctx.report({ resource: bucket, messageId: 'missing', fix });
      }
    }
  },
});
