// DynamoDB tables use KMS server-side encryption instead of the AWS-owned default key.

import { defineRule } from '../../engine/rule';
import { isTrue, requireSetting } from './_encryption';

export default defineRule({
  meta: {
    id: 'terraform/dynamodb-table-not-cmk-encrypted',
    platform: 'terraform',
    provider: 'aws',
    title: 'DynamoDB tables are encrypted with a KMS key',
    severity: 'info',
    controls: ['10.1.1', '10.1.2'],
    messages: {
      missing:
        'DynamoDB table "{{name}}" has no server_side_encryption block, so it is encrypted only with an AWS-owned key that you cannot see, audit or restrict.',
      incorrect: 'DynamoDB table "{{name}}" turns KMS server-side encryption off and falls back to the AWS-owned key.',
    },
    fixable: true,
    docs: {
      summary:
        'DynamoDB always encrypts tables, but by default with a key owned by AWS that does not appear in your account. Enabling KMS server-side encryption (with the AWS-managed key or, better, a key given in kms_key_arn) puts every use of the key in CloudTrail and under a key policy you control.',
    },
    equivalents: {
      kics: ['ce089fd4-1406-47bd-8aad-c259772bb294'],
    },
    resourceTypes: ['aws_dynamodb_table'],
  },
  check(ctx) {
    for (const table of ctx.model.resourcesOfType('aws_dynamodb_table')) {
      requireSetting(ctx, table, table, 'server_side_encryption.enabled', isTrue, { fix: { value: 'true' } });
    }
  },
});
