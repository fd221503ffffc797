// SNS topics encrypt messages at rest with a KMS key.

import { defineRule } from '../../engine/rule';
import { isFilled, requireSetting } from './_encryption';

export default defineRule({
  meta: {
    id: 'terraform/sns-topic-unencrypted',
    platform: 'terraform',
    provider: 'aws',
    title: 'SNS topics encrypt messages with a KMS key',
    severity: 'warning',
    controls: ['10.1.1'],
    messages: {
      missing: 'SNS topic "{{name}}" sets no kms_master_key_id, so its messages are stored unencrypted.',
      incorrect: 'SNS topic "{{name}}" has an empty kms_master_key_id, so its messages are stored unencrypted.',
    },
    fixable: true,
    docs: {
      summary:
        'SNS keeps published messages on disk until every subscriber has received them. Without a KMS key those messages are stored in plain form; with one, reading them also requires permission on the key.',
    },
    equivalents: {
      checkov: ['CKV_AWS_26'],
      trivy: ['AVD-AWS-0095', 'AWS-0095', 'aws-sns-enable-topic-encryption'],
      kics: ['28545147-2fc6-42d5-a1f9-cf226658e591'],
    },
    resourceTypes: ['aws_sns_topic'],
  },
  check(ctx) {
    for (const t of ctx.model.resourcesOfType('aws_sns_topic')) requireSetting(ctx, t, t, 'kms_master_key_id', isFilled, { fix: { value: '"alias/aws/sns"', title: 'Set kms_master_key_id = "alias/aws/sns" (the AWS-managed key)' } });
  },
});
