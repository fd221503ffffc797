// ECR repositories encrypt images with KMS rather than the default AES-256 (S3-managed) keys.

import { defineRule } from '../../engine/rule';
import { requireSetting } from './_encryption';

export default defineRule({
  meta: {
    id: 'terraform/ecr-repository-not-kms-encrypted',
    platform: 'terraform',
    provider: 'aws',
    title: 'ECR repositories encrypt images with KMS',
    severity: 'info',
    controls: ['10.1.2'],
    messages: {
      missing: 'ECR repository "{{name}}" uses the default AES-256 encryption; set encryption_configuration { encryption_type = "KMS" } to control the key.',
      incorrect: 'ECR repository "{{name}}" encrypts images with AES-256 managed keys instead of KMS.',
    },
    fixable: true,
    docs: {
      summary:
        'Images can contain application code, configuration and occasionally secrets baked into layers. KMS encryption puts image access behind a key policy and records every decryption, which the default AES-256 keys do not. The choice is fixed when the repository is created.',
    },
    equivalents: {
      checkov: ['CKV_AWS_136'],
    },
    resourceTypes: ['aws_ecr_repository'],
  },
  check(ctx) {
    for (const repo of ctx.model.resourcesOfType('aws_ecr_repository')) {
      requireSetting(ctx, repo, repo, 'encryption_configuration.encryption_type', (v) => v === 'KMS' || v === 'KMS_DSSE', {
        fix: { value: '"KMS"', title: 'Set encryption_configuration.encryption_type = "KMS" (the repository is replaced)' },
      });
    }
  },
});
