// CloudWatch log groups are encrypted with a KMS key.

import { defineRule } from '../../engine/rule';
import { placeholder } from './_fixes';
import { isFilled, requireSetting } from './_encryption';

export default defineRule({
  meta: {
    id: 'terraform/cloudwatch-log-group-unencrypted',
    platform: 'terraform',
    provider: 'aws',
    title: 'CloudWatch log groups are encrypted with a KMS key',
    severity: 'info',
    controls: ['10.1.1', '18.1.3'],
    messages: {
      missing: 'Log group "{{name}}" sets no kms_key_id, so its events are protected only by the service\'s own encryption and not by a key you control.',
      incorrect: 'Log group "{{name}}" has an empty kms_key_id.',
    },
    fixable: true,
    docs: {
      summary:
        'Logs regularly pick up tokens, personal data and internal addresses. With a KMS key on the log group, reading the events also requires permission on the key, every decryption is recorded, and disabling the key makes the stored events unreadable.',
    },
    equivalents: {
      checkov: ['CKV_AWS_158'],
      trivy: ['AVD-AWS-0017', 'AWS-0017', 'aws-cloudwatch-log-group-customer-key'],
      kics: ['0afbcfe9-d341-4b92-a64c-7e6de0543879'],
    },
    resourceTypes: ['aws_cloudwatch_log_group'],
  },
  check(ctx) {
    for (const g of ctx.model.resourcesOfType('aws_cloudwatch_log_group')) requireSetting(ctx, g, g, 'kms_key_id', isFilled, { fix: { value: placeholder('ARN of a customer-managed KMS key whose policy allows CloudWatch Logs'), placeholder: true } });
  },
});
