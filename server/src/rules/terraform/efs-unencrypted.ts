// EFS file systems are encrypted at rest.

import { defineRule } from '../../engine/rule';
import { isTrue, requireSetting } from './_encryption';

export default defineRule({
  meta: {
    id: 'terraform/efs-unencrypted',
    platform: 'terraform',
    provider: 'aws',
    title: 'EFS file systems are encrypted at rest',
    severity: 'warning',
    controls: ['10.1.1'],
    messages: {
      missing: 'EFS file system "{{name}}" does not set encrypted = true, so its data is stored unencrypted.',
      incorrect: 'EFS file system "{{name}}" is created without encryption at rest.',
    },
    fixable: true,
    docs: {
      summary:
        'Shared file systems tend to collect exports, uploads and application state from many services. Encryption at rest can only be chosen when the file system is created, and it keeps the stored data and its backups protected by KMS permissions.',
    },
    equivalents: {
      checkov: ['CKV_AWS_42'],
      trivy: ['AVD-AWS-0037', 'AWS-0037', 'aws-efs-enable-at-rest-encryption'],
      kics: ['48207659-729f-4b5c-9402-f884257d794f'],
    },
    resourceTypes: ['aws_efs_file_system'],
  },
  check(ctx) {
    for (const fs of ctx.model.resourcesOfType('aws_efs_file_system')) requireSetting(ctx, fs, fs, 'encrypted', isTrue, { fix: { value: 'true', title: 'Set encrypted = true (the file system is replaced)' } });
  },
});
