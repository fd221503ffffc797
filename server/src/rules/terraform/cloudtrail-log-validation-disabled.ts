// CloudTrail trails write digest files so that tampering with delivered logs can be detected.

import { defineRule } from '../../engine/rule';
import { expectAttr, isTrue } from './helpers';

export default defineRule({
  meta: {
    id: 'terraform/cloudtrail-log-validation-disabled',
    platform: 'terraform',
    provider: 'aws',
    title: 'CloudTrail trails have log file validation enabled',
    severity: 'warning',
    controls: ['18.1.3', '16.1.7', '12.4.1'],
    messages: {
      missing: 'CloudTrail trail "{{name}}" does not validate its log files (enable_log_file_validation is not set): edited or deleted log files would go unnoticed.',
      incorrect: 'CloudTrail trail "{{name}}" has log file validation turned off: edited or deleted log files would go unnoticed.',
    },
    fixable: true,
    docs: {
      summary:
        'With validation on, CloudTrail signs an hourly digest of the files it delivered, which proves later that the audit record was not altered or pruned. Without it the logs are much weaker as evidence after an incident.',
    },
    equivalents: {
      checkov: ['CKV_AWS_36'],
      trivy: ['AVD-AWS-0016', 'AWS-0016', 'aws-cloudtrail-enable-log-validation'],
      kics: ['52ffcfa6-6c70-4ea6-8376-d828d3961669'],
    },
    resourceTypes: ['aws_cloudtrail'],
  },
  check(ctx) {
    expectAttr(ctx, { types: ['aws_cloudtrail'], path: 'enable_log_file_validation', ok: isTrue, fix: { value: 'true' } });
  },
});
