// CloudTrail trails deliver events to CloudWatch Logs, where they can raise alarms.

import { defineRule } from '../../engine/rule';
import { expectAttr, isNonEmptyString } from './helpers';

export default defineRule({
  meta: {
    id: 'terraform/cloudtrail-not-integrated-with-cloudwatch',
    platform: 'terraform',
    provider: 'aws',
    title: 'CloudTrail trails send events to CloudWatch Logs',
    severity: 'warning',
    controls: ['CLD.12.4.5', '12.4.1'],
    messages: {
      missing: 'CloudTrail trail "{{name}}" sends no events to CloudWatch Logs (cloud_watch_logs_group_arn is not set): nothing can alert on suspicious API activity as it happens.',
      incorrect: 'CloudTrail trail "{{name}}" has an empty cloud_watch_logs_group_arn.',
    },
    fixable: false,
    docs: {
      summary:
        'Files in S3 are good for after-the-fact investigation but nobody watches them live. Streaming the trail to a CloudWatch log group lets metric filters and alarms react to root logins, policy changes or disabled keys within minutes.',
    },
    equivalents: {
      checkov: ['CKV2_AWS_10'],
      trivy: ['AVD-AWS-0162', 'AWS-0162', 'aws-cloudtrail-ensure-cloudwatch-integration'],
      kics: ['17b30f8f-8dfb-4597-adf6-57600b6cf25e'],
    },
    resourceTypes: ['aws_cloudtrail'],
  },
  check(ctx) {
    expectAttr(ctx, { types: ['aws_cloudtrail'], path: 'cloud_watch_logs_group_arn', ok: isNonEmptyString });
  },
});
