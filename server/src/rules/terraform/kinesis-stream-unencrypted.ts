// Kinesis data streams encrypt records at rest with KMS.

import { defineRule } from '../../engine/rule';
import { replaceFix, setFix, type FixSpec } from './_fixes';
import { isUnknown, requireSetting } from './_encryption';

/** What the fixes write: the AWS-managed key for Kinesis. */
const AWS_KEY = '"alias/aws/kinesis"';

export default defineRule({
  meta: {
    id: 'terraform/kinesis-stream-unencrypted',
    platform: 'terraform',
    provider: 'aws',
    title: 'Kinesis data streams are encrypted with KMS',
    severity: 'warning',
    controls: ['10.1.1'],
    messages: {
      missing: 'Kinesis stream "{{name}}" sets no encryption_type, so its records are stored unencrypted.',
      incorrect: 'Kinesis stream "{{name}}" stores its records unencrypted (encryption_type is not "KMS").',
      noKey: 'Kinesis stream "{{name}}" uses KMS encryption but names no kms_key_id (use a key ARN or "alias/aws/kinesis").',
    },
    fixable: true,
    docs: {
      summary:
        'A stream retains every record for its whole retention period, from a day up to a year. Server-side encryption with KMS keeps those records unreadable at rest, and the key policy decides which producers and consumers may use them.',
    },
    equivalents: {
      checkov: ['CKV_AWS_43'],
      trivy: ['AVD-AWS-0064', 'AWS-0064', 'aws-kinesis-enable-in-transit-encryption'],
      kics: ['862fe4bf-3eec-4767-a517-40f378886b88'],
    },
    resourceTypes: ['aws_kinesis_stream'],
  },
  check(ctx) {
    for (const s of ctx.model.resourcesOfType('aws_kinesis_stream')) {
      // The fix also names the AWS-managed key when no key is written, so that one fix settles the stream.
      const keyWritten = s.attr('kms_key_id');
      const fixWith = (): FixSpec | undefined =>
        ctx.fixer.fix(
          keyWritten ? 'Set encryption_type = "KMS"' : 'Set encryption_type = "KMS" with the AWS-managed key alias/aws/kinesis',
          ctx.fixer.setAll(s, [['encryption_type', '"KMS"'], ...(keyWritten ? [] : [['kms_key_id', AWS_KEY] as [string, string]])]),
        );
      const v = requireSetting(ctx, s, s, 'encryption_type', (x) => x === 'KMS', { fixWith });
      if (v.kind !== 'ok') continue;
      const key = s.get('kms_key_id');
      if (!key || key.value === null || (!isUnknown(key.value) && String(key.value).trim() === '')) {
        ctx.report({
          resource: s,
          messageId: 'noKey',
          ...(key ? { span: key.span, file: key.file } : {}),
          fix: key ? replaceFix(ctx, key, AWS_KEY) : setFix(ctx, s, 'kms_key_id', AWS_KEY),
        });
      }
    }
  },
});
