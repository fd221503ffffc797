// Symmetric KMS keys rotate their key material automatically.

import { defineRule } from '../../engine/rule';
import { isSet, isTrue, isUnknown, requireSetting, setting } from './_encryption';

export default defineRule({
  meta: {
    id: 'terraform/kms-key-rotation-disabled',
    platform: 'terraform',
    provider: 'aws',
    title: 'Symmetric KMS keys have automatic rotation enabled',
    severity: 'warning',
    controls: ['10.1.2'],
    messages: {
      missing: 'KMS key "{{name}}" does not set enable_key_rotation = true, so its key material is never rotated.',
      incorrect: 'KMS key "{{name}}" has automatic key rotation turned off.',
      unsupported:
        'KMS key "{{name}}" is a {{spec}} key, which AWS cannot rotate automatically: enable_key_rotation = true is rejected. Rotate it manually by creating a new key.',
    },
    fixable: true,
    docs: {
      summary:
        'Rotating key material limits how much data depends on a single key version and how long a leaked or weakened key stays useful. For symmetric KMS keys AWS does it automatically once enabled, keeping old versions for decryption, so there is no operational cost.',
    },
    equivalents: {
      checkov: ['CKV_AWS_7'],
      trivy: ['AVD-AWS-0065', 'AWS-0065', 'aws-kms-auto-rotate-keys'],
      kics: ['22fbfeac-7b5a-421a-8a27-7a2178bb910b'],
    },
    resourceTypes: ['aws_kms_key'],
  },
  check(ctx) {
    for (const key of ctx.model.resourcesOfType('aws_kms_key')) {
      const enabled = setting(key, 'is_enabled');
      if (enabled && !isUnknown(enabled.value) && !isTrue(enabled.value)) continue; // a disabled key encrypts nothing
      // Keys in a custom key store (CloudHSM, external) cannot be rotated by KMS.
      if (isSet(key, 'custom_key_store_id') || isSet(key, 'xks_key_id')) continue;
      const spec = setting(key, 'customer_master_key_spec');
      if (spec && isUnknown(spec.value)) continue;
      const specValue = spec ? String(spec.value) : 'SYMMETRIC_DEFAULT';
      if (specValue !== 'SYMMETRIC_DEFAULT') {
        const rotation = setting(key, 'enable_key_rotation');
        if (rotation && !isUnknown(rotation.value) && isTrue(rotation.value)) {
          ctx.report({
            resource: key,
            messageId: 'unsupported',
            data: { spec: specValue },
            related: [{ file: rotation.file, span: rotation.span, message: 'rotation requested here' }],
            fix: ctx.fixer.fix(`Remove enable_key_rotation (${specValue} keys cannot be rotated automatically)`, ctx.fixer.remove(rotation.file, rotation.node)),
          });
        }
        continue;
      }
      requireSetting(ctx, key, key, 'enable_key_rotation', isTrue, { fix: { value: 'true' } });
    }
  },
});
