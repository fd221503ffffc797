// S3 objects managed by Terraform are written with server-side encryption, their own or the bucket's default.

import { defineRule } from '../../engine/rule';
import { replaceFix, setFix } from './_fixes';
import { isS3Algorithm, isUnknown, s3DefaultEncryption, sameInstance, setting } from './_encryption';

const OBJECT_TYPES = ['aws_s3_object', 'aws_s3_bucket_object'];

export default defineRule({
  meta: {
    id: 'terraform/s3-object-unencrypted',
    platform: 'terraform',
    provider: 'aws',
    title: 'S3 objects are written with declared server-side encryption',
    severity: 'info',
    controls: ['10.1.1'],
    messages: {
      missing:
        'S3 object "{{name}}" sets no server_side_encryption and its bucket declares no default encryption, so its protection is left to the implicit S3 default.',
      incorrect: 'S3 object "{{name}}" names an unsupported server_side_encryption; use "AES256", "aws:kms" or "aws:kms:dsse".',
    },
    fixable: true,
    docs: {
      summary:
        'An object uploaded by Terraform should say how it is encrypted at rest, either on the object or through its bucket\'s default encryption. Stating it keeps the choice of algorithm and key visible in review rather than left to whatever the account default happens to be.',
    },
    equivalents: {
      kics: ['5fb49a69-8d46-4495-a2f8-9c8c622b2b6e'],
    },
    resourceTypes: OBJECT_TYPES,
  },
  check(ctx) {
    const buckets = ctx.model.resourcesOfType('aws_s3_bucket');
    for (const obj of ctx.model.resourcesOfType(...OBJECT_TYPES)) {
      const sse = setting(obj, 'server_side_encryption');
      if (sse) {
        if (!isUnknown(sse.value) && !isS3Algorithm(sse.value)) {
          ctx.report({ resource: obj, messageId: 'incorrect', span: sse.span, file: sse.file, fix: replaceFix(ctx, sse, '"AES256"') });
        }
        continue;
      }
      // A KMS key on the object implies SSE-KMS.
      if (setting(obj, 'kms_key_id')) continue;
      // Otherwise the bucket's default encryption applies, when the bucket is in this configuration.
      const own = buckets.filter((b) => ctx.model.linked(b, obj.type, ['bucket'], ['bucket']).some((o) => sameInstance(o, obj)));
      if (own.some((b) => s3DefaultEncryption(ctx.model, b) !== 'no')) continue;
      // A bucket we cannot see (a data source, an unresolved input) may well have default encryption.
      const bucketAttr = setting(obj, 'bucket');
      if (own.length === 0 && (!bucketAttr || isUnknown(bucketAttr.value))) continue;
      ctx.report({ resource: obj, messageId: 'missing', fix: setFix(ctx, obj, 'server_side_encryption', '"AES256"') });
    }
  },
});
