// The account-level "EBS encryption by default" switch is not turned off.

import { defineRule } from '../../engine/rule';
import { isTrue, requireSetting } from './_encryption';

export default defineRule({
  meta: {
    id: 'terraform/ebs-default-encryption-disabled',
    platform: 'terraform',
    provider: 'aws',
    title: 'EBS encryption by default stays enabled',
    severity: 'warning',
    controls: ['10.1.1'],
    messages: {
      incorrect: 'aws_ebs_encryption_by_default "{{name}}" turns EBS encryption by default off for the region.',
    },
    fixable: true,
    docs: {
      summary:
        'Encryption by default makes every new EBS volume and snapshot copy in the region encrypted, even when a template or a person forgets to ask for it. Switching it off removes that safety net for the whole account and region.',
    },
    equivalents: {
      checkov: ['CKV_AWS_106'],
      kics: ['3d3f6270-546b-443c-adb4-bb6fb2187ca6'],
    },
    resourceTypes: ['aws_ebs_encryption_by_default'],
  },
  check(ctx) {
    for (const res of ctx.model.resourcesOfType('aws_ebs_encryption_by_default')) {
      // `enabled` defaults to true.
      requireSetting(ctx, res, res, 'enabled', isTrue, { reportMissing: false, fix: { value: 'true' } });
    }
  },
});
