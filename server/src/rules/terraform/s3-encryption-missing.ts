// S3 buckets declare default server-side encryption, inline (provider v3) or through
// aws_s3_bucket_server_side_encryption_configuration (v4+).

import { defineRule } from '../../engine/rule';
import type { AttrView } from '../../documents/terraform/model';
import { companionEdit, hcl, replaceFix, setPathFix, type FixSpec } from './_fixes';
import { isS3Algorithm, judge, requireSetting, s3EncryptionCompanions } from './_encryption';

const ALGORITHM_PATH = 'apply_server_side_encryption_by_default.sse_algorithm';
/** The rule block the fixes write: SSE-S3, the S3 default, stated explicitly (choose a KMS key later if needed). */
const AES256_RULE = hcl.block('rule', [hcl.block('apply_server_side_encryption_by_default', [hcl.attr('sse_algorithm', '"AES256"')])]);

export default defineRule({
  meta: {
    id: 'terraform/s3-encryption-missing',
    platform: 'terraform',
    provider: 'aws',
    title: 'S3 buckets declare default server-side encryption',
    severity: 'info',
    controls: ['10.1.1'],
    messages: {
      missing:
        'S3 bucket "{{name}}" declares no default encryption: it relies on the implicit S3 default (SSE-S3) instead of a stated choice of algorithm and key.',
      missingRule: 'S3 bucket "{{name}}" has an encryption configuration without a default algorithm.',
      incorrect: 'S3 bucket "{{name}}" names an unsupported default encryption algorithm; use "AES256", "aws:kms" or "aws:kms:dsse".',
    },
    fixable: true,
    docs: {
      summary:
        'Writing the bucket\'s default encryption into the configuration records which algorithm and which key protect the objects, instead of leaving it to an account or service default that can differ between environments. It is also where a KMS key is chosen, which decides who can read the data.',
    },
    equivalents: {
      checkov: ['CKV_AWS_19'],
      trivy: ['AVD-AWS-0088', 'AWS-0088', 'aws-s3-enable-bucket-encryption'],
    },
    resourceTypes: ['aws_s3_bucket', 'aws_s3_bucket_server_side_encryption_configuration'],
  },
  check(ctx) {
    /** A misspelt algorithm becomes "aws:kms" when it mentions KMS, else "AES256". */
    const algorithmFix = (attr: AttrView): FixSpec | undefined => replaceFix(ctx, attr, typeof attr.value === 'string' && /kms/i.test(attr.value) ? '"aws:kms"' : '"AES256"');
    for (const bucket of ctx.model.resourcesOfType('aws_s3_bucket')) {
      const companions = s3EncryptionCompanions(ctx.model, bucket);
      if (companions.length > 0) {
        for (const c of companions) {
          const rules = c.blocks('rule');
          if (rules.length === 0) {
            if (!c.hasDynamic('rule')) {
              ctx.report({
                resource: bucket,
                messageId: 'missingRule',
                related: [{ file: c.file, span: c.headerSpan, message: 'encryption configuration without a rule' }],
                fix: ctx.fixer.fix('Add a default encryption rule (SSE-S3, "AES256")', ctx.fixer.insert(c, [AES256_RULE])),
              });
            }
            continue;
          }
          for (const rule of rules) {
            const v = judge(c, rule, 'apply_server_side_encryption_by_default.sse_algorithm', isS3Algorithm);
            if (v.kind === 'missing') {
              ctx.report({
                resource: c,
                messageId: 'missingRule',
                ...(v.at.span ? { span: v.at.span, file: v.at.file } : {}),
                data: { name: bucket.address },
                fix: setPathFix(ctx, rule, ALGORITHM_PATH, '"AES256"'),
              });
            } else if (v.kind === 'incorrect') {
              ctx.report({ resource: c, messageId: 'incorrect', span: v.attr.span, file: v.attr.file, data: { name: bucket.address }, fix: algorithmFix(v.attr) });
            }
          }
        }
        continue;
      }
      const cfgs = bucket.blocks('server_side_encryption_configuration');
      if (cfgs.length === 0) {
        if (!bucket.hasDynamic('server_side_encryption_configuration')) {
          const fix = ctx.fixer.fix(
            `Add aws_s3_bucket_server_side_encryption_configuration for ${bucket.name} (SSE-S3, "AES256")`,
            companionEdit(ctx, bucket, 'aws_s3_bucket_server_side_encryption_configuration', [AES256_RULE]),
          );
          ctx.report({ resource: bucket, messageId: 'missing', fix });
        }
        continue;
      }
      for (const cfg of cfgs) {
        requireSetting(ctx, bucket, cfg, `rule.${ALGORITHM_PATH}`, isS3Algorithm, {
          missingId: 'missingRule',
          fixWith: (v) => (v.kind === 'incorrect' ? algorithmFix(v.attr) : setPathFix(ctx, cfg, `rule.${ALGORITHM_PATH}`, '"AES256"')),
        });
      }
    }
  },
});
