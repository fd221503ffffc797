// Secrets Manager secrets are encrypted with a customer-managed KMS key.

import { defineRule } from '../../engine/rule';
import { placeholder } from './_fixes';
import { requireSetting } from './_encryption';

const AWS_MANAGED = /^(alias\/aws\/secretsmanager|arn:aws[\w-]*:kms:[^:]*:\d*:alias\/aws\/secretsmanager)$/;

export default defineRule({
  meta: {
    id: 'terraform/secretsmanager-secret-not-cmk-encrypted',
    platform: 'terraform',
    provider: 'aws',
    title: 'Secrets Manager secrets are encrypted with a customer-managed KMS key',
    severity: 'info',
    controls: ['10.1.2', '9.2.4'],
    messages: {
      missing: 'Secret "{{name}}" sets no kms_key_id, so it is encrypted with the AWS-managed key (aws/secretsmanager).',
      incorrect: 'Secret "{{name}}" names the AWS-managed key (or none) in kms_key_id instead of a customer-managed key.',
    },
    fixable: true,
    docs: {
      summary:
        'With the AWS-managed key, any principal allowed to call Secrets Manager in the account can decrypt the secret, and the secret cannot be shared with another account. A customer-managed key adds a second, separately audited permission in front of the secret value.',
    },
    equivalents: {
      checkov: ['CKV_AWS_149'],
      trivy: ['AVD-AWS-0098', 'AWS-0098', 'aws-ssm-secret-use-customer-key'],
      kics: ['a2f548f2-188c-4fff-b172-e9a6acb216bd'],
    },
    resourceTypes: ['aws_secretsmanager_secret'],
  },
  check(ctx) {
    for (const s of ctx.model.resourcesOfType('aws_secretsmanager_secret')) {
      requireSetting(ctx, s, s, 'kms_key_id', (v) => typeof v === 'string' && v.trim() !== '' && !AWS_MANAGED.test(v.trim()), {
        fix: { value: placeholder('ARN of a customer-managed KMS key'), placeholder: true },
      });
    }
  },
});
