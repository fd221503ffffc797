// EBS volumes are created encrypted.

import { defineRule } from '../../engine/rule';
import { isSet, isTrue, requireSetting } from './_encryption';

export default defineRule({
  meta: {
    id: 'terraform/ebs-volume-unencrypted',
    platform: 'terraform',
    provider: 'aws',
    title: 'EBS volumes are encrypted',
    severity: 'warning',
    controls: ['10.1.1'],
    messages: {
      missing: 'EBS volume "{{name}}" does not set encrypted = true, so it is created unencrypted unless the account enforces EBS encryption by default.',
      incorrect: 'EBS volume "{{name}}" is created unencrypted (encrypted is not true).',
    },
    fixable: true,
    docs: {
      summary:
        'An unencrypted EBS volume leaves its data, and every snapshot taken from it, readable to anyone who obtains a copy of the volume or snapshot. Encryption is free of charge, transparent to the instance, and can only be chosen when the volume is created.',
    },
    equivalents: {
      checkov: ['CKV_AWS_3'],
      trivy: ['AVD-AWS-0026', 'AWS-0026', 'aws-ec2-enable-volume-encryption'],
      kics: ['cc997676-481b-4e93-aa81-d19f8c5e9b12'],
    },
    resourceTypes: ['aws_ebs_volume'],
  },
  check(ctx) {
    for (const vol of ctx.model.resourcesOfType('aws_ebs_volume')) {
      // Restored from a snapshot and silent about encryption: the snapshot decides.
      const fromSnapshot = isSet(vol, 'snapshot_id');
      requireSetting(ctx, vol, vol, 'encrypted', isTrue, { reportMissing: !fromSnapshot, fix: { value: 'true', title: 'Set encrypted = true (the volume is replaced)' } });
    }
  },
});
