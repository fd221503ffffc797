// CloudWatch log groups state how long they keep their events.

import { defineRule } from '../../engine/rule';
import { asNumber, isUnknown } from '../../documents/terraform/values';
import { expectAttr } from './helpers';

/** What the fix writes: a year, long enough for most audit and incident-investigation needs. */
const RETENTION_DAYS = 365;

export default defineRule({
  meta: {
    id: 'terraform/log-group-retention-missing',
    platform: 'terraform',
    provider: 'aws',
    title: 'CloudWatch log groups set a retention period',
    severity: 'info',
    controls: ['18.1.3', '12.4.1', '12.1.3'],
    messages: {
      missing: 'CloudWatch log group "{{name}}" sets no retention_in_days: its events are kept forever, with no decided retention for these records.',
      incorrect: 'CloudWatch log group "{{name}}" has retention_in_days = 0, which keeps events forever.',
    },
    fixable: true,
    docs: {
      summary:
        'Logs are records with a purpose and a lifetime: long enough to investigate incidents and meet legal duties, not so long that personal data and costs pile up indefinitely. Setting retention_in_days makes that decision explicit for each log group instead of keeping everything forever by default.',
    },
    equivalents: {
      checkov: ['CKV_AWS_66'],
      kics: ['ef0b316a-211e-42f1-888e-64efe172b755'],
    },
    resourceTypes: ['aws_cloudwatch_log_group'],
  },
  check(ctx) {
    expectAttr(ctx, {
      types: ['aws_cloudwatch_log_group'],
      path: 'retention_in_days',
      ok: (v) => {
        const n = asNumber(v);
        return isUnknown(n) || n > 0;
      },
      fix: { value: String(RETENTION_DAYS) },
    });
  },
});
