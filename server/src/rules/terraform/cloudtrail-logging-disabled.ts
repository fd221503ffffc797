// CloudTrail trails keep recording: enable_logging is not switched off.

import { defineRule } from '../../engine/rule';
import { expectAttr, isFalse } from './helpers';

export default defineRule({
  meta: {
    id: 'terraform/cloudtrail-logging-disabled',
    platform: 'terraform',
    provider: 'aws',
    title: 'CloudTrail trails are logging',
    severity: 'warning',
    controls: ['12.4.1', '12.4.3', 'CLD.12.4.5'],
    messages: {
      incorrect: 'CloudTrail trail "{{name}}" has logging turned off: API calls in the account are not recorded.',
    },
    fixable: true,
    docs: {
      summary:
        'A trail with logging stopped still exists and looks configured, but records nothing, so administrator actions and API calls leave no evidence. Keep enable_logging at its default of true; pausing a trail is itself an event worth alerting on.',
    },
    equivalents: {
      checkov: ['CKV_AWS_251'],
      kics: ['4bb76f17-3d63-4529-bdca-2b454529d774'],
    },
    resourceTypes: ['aws_cloudtrail'],
  },
  check(ctx) {
    expectAttr(ctx, { types: ['aws_cloudtrail'], path: 'enable_logging', whenMissing: 'ok', ok: (v) => !isFalse(v), fix: { value: 'true' } });
  },
});
