// Encrypted EFS file systems use a customer-managed KMS key rather than the AWS-managed default.

import { defineRule } from '../../engine/rule';
import { placeholder } from './_fixes';
import { isFilled, isTrue, isUnknown, requireSetting, setting } from './_encryption';

export default defineRule({
  meta: {
    id: 'terraform/efs-not-cmk-encrypted',
    platform: 'terraform',
    provider: 'aws',
    title: 'Encrypted EFS file systems use a customer-managed KMS key',
    severity: 'info',
    controls: ['10.1.2'],
    messages: {
      missing: 'EFS file system "{{name}}" is encrypted with the AWS-managed key (aws/elasticfilesystem); set kms_key_id to a key you manage.',
      incorrect: 'EFS file system "{{name}}" has an empty kms_key_id.',
    },
    fixable: true,
    docs: {
      summary:
        'With the AWS-managed key anyone allowed to use EFS in the account can read the data, and the key policy cannot be changed or audited on its own. A customer-managed key lets you limit, log and if needed revoke access to the file system\'s contents.',
    },
    equivalents: {
      checkov: ['CKV_AWS_184'],
      kics: ['25d251f3-f348-4f95-845c-1090e41a615c'],
    },
    resourceTypes: ['aws_efs_file_system'],
  },
  check(ctx) {
    for (const fs of ctx.model.resourcesOfType('aws_efs_file_system')) {
      // Only encrypted file systems: an unencrypted one is terraform/efs-unencrypted's finding.
      const enc = setting(fs, 'encrypted');
      if (!enc || isUnknown(enc.value) || !isTrue(enc.value)) continue;
      requireSetting(ctx, fs, fs, 'kms_key_id', isFilled, { fix: { value: placeholder('ARN of a customer-managed KMS key'), placeholder: true } });
    }
  },
});
