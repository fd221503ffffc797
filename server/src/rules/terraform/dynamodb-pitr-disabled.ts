// DynamoDB tables have point-in-time recovery.

import { defineRule } from '../../engine/rule';
import { expectAttr, isTrue } from './helpers';

export default defineRule({
  meta: {
    id: 'terraform/dynamodb-pitr-disabled',
    platform: 'terraform',
    provider: 'aws',
    title: 'DynamoDB tables have point-in-time recovery enabled',
    severity: 'warning',
    controls: ['12.3.1'],
    messages: {
      missing: 'DynamoDB table "{{name}}" has no point-in-time recovery: overwritten or deleted items cannot be restored.',
      incorrect: 'DynamoDB table "{{name}}" has point-in-time recovery turned off.',
    },
    fixable: true,
    docs: {
      summary:
        'Point-in-time recovery keeps continuous backups of a table for up to 35 days, so a faulty deployment or a script that overwrites items can be undone to the second. Without it the only way back is whatever on-demand backup happened to be taken.',
    },
    equivalents: {
      checkov: ['CKV_AWS_28'],
      trivy: ['AVD-AWS-0024', 'AWS-0024', 'aws-dynamodb-enable-recovery'],
      kics: ['741f1291-47ac-4a85-a07b-3d32a9d6bd3e'],
    },
    resourceTypes: ['aws_dynamodb_table'],
  },
  check(ctx) {
    expectAttr(ctx, { types: ['aws_dynamodb_table'], path: 'point_in_time_recovery.enabled', ok: isTrue, fix: { value: 'true' } });
  },
});
