// GuardDuty detectors are switched on.

import { defineRule } from '../../engine/rule';
import { expectAttr, isFalse } from './helpers';

export default defineRule({
  meta: {
    id: 'terraform/guardduty-detector-disabled',
    platform: 'terraform',
    provider: 'aws',
    title: 'GuardDuty detectors are enabled',
    severity: 'warning',
    controls: ['CLD.12.4.5', '12.4.1'],
    messages: {
      incorrect: 'GuardDuty detector "{{name}}" is disabled: threat findings for this account and region are not produced.',
    },
    fixable: true,
    docs: {
      summary:
        'GuardDuty watches CloudTrail, VPC flow and DNS logs for signs of compromise such as crypto-mining, credential misuse or contact with known-bad hosts. A detector that exists but is disabled gives the impression of monitoring without any of its findings.',
    },
    equivalents: {
      checkov: ['CKV_AWS_238'],
      kics: ['704dadd3-54fc-48ac-b6a0-02f170011473'],
    },
    resourceTypes: ['aws_guardduty_detector'],
  },
  check(ctx) {
    expectAttr(ctx, { types: ['aws_guardduty_detector'], path: 'enable', whenMissing: 'ok', ok: (v) => !isFalse(v), fix: { value: 'true' } });
  },
});
