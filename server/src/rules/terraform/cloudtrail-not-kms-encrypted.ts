// CloudTrail log files are encrypted with a customer-managed KMS key.

import { defineRule } from '../../engine/rule';
import { placeholder } from './_fixes';
import { expectAttr, isNonEmptyString } from './helpers';

export default defineRule({
  meta: {
    id: 'terraform/cloudtrail-not-kms-encrypted',
    platform: 'terraform',
    provider: 'aws',
    title: 'CloudTrail trails encrypt their log files with a KMS key',
    severity: 'warning',
    controls: ['10.1.1', '18.1.3'],
    messages: {
      missing: 'CloudTrail trail "{{name}}" sets no kms_key_id: its log files are protected only by S3-managed encryption.',
      incorrect: 'CloudTrail trail "{{name}}" has an empty kms_key_id.',
    },
    fixable: true,
    docs: {
      summary:
        'Audit logs describe the whole account and are a prime target for anyone covering their tracks. Encrypting them with a customer-managed KMS key adds a second permission, separate from the bucket policy, that a reader must hold, and every decryption is itself logged.',
    },
    equivalents: {
      checkov: ['CKV_AWS_35'],
      trivy: ['AVD-AWS-0015', 'AWS-0015', 'aws-cloudtrail-encryption-customer-managed-key'],
      kics: ['5d9e3164-9265-470c-9a10-57ae454ac0c7'],
    },
    resourceTypes: ['aws_cloudtrail'],
  },
  check(ctx) {
    expectAttr(ctx, { types: ['aws_cloudtrail'], path: 'kms_key_id', ok: isNonEmptyString, fix: { value: placeholder('ARN of the customer-managed KMS key for CloudTrail'), placeholder: true } });
  },
});
