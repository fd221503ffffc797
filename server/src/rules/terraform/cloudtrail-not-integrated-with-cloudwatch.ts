// CloudTrail trails deliver events to CloudWatch Logs, where they can raise alarms.

import { defineRule } from '../../engine/rule';
import { placeholder } from './_fixes';
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
    fixable: true,
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
    expectAttr(ctx, {
      types: ['aws_cloudtrail'],
      path: 'cloud_watch_logs_group_arn',
      ok: isNonEmptyString,
      // CloudTrail also needs a role to write to the log group; both are the user's to choose.
      fix: (trail, attr) => {
        const group = placeholder('ARN of the CloudWatch Logs log group, ending in :*');
        const role = trail.attr('cloud_watch_logs_role_arn') ? [] : [['cloud_watch_logs_role_arn', placeholder('ARN of the role CloudTrail assumes to write to it')] as [string, string]];
        const edits = attr ? [ctx.fixer.replaceValue(attr.file, attr.span, group), ...(role.length ? [ctx.fixer.set(trail, role[0]![0], role[0]![1])] : [])] : ctx.fixer.setAll(trail, [['cloud_watch_logs_group_arn', group], ...role]);
        return ctx.fixer.fix('Send the trail to CloudWatch Logs (placeholders to fill in)', edits, { placeholder: true });
      },
    });
  },
});
