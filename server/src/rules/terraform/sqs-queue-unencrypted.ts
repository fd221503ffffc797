// SQS queues encrypt messages at rest, with SQS-managed keys or a KMS key.

import { defineRule } from '../../engine/rule';
import { isConstantExpr, replaceFix, setFix } from './_fixes';
import { isFilled, isTrue, isUnknown, setting } from './_encryption';

export default defineRule({
  meta: {
    id: 'terraform/sqs-queue-unencrypted',
    platform: 'terraform',
    provider: 'aws',
    title: 'SQS queues encrypt messages at rest',
    severity: 'warning',
    controls: ['10.1.1'],
    messages: {
      missing: 'SQS queue "{{name}}" declares no server-side encryption: set kms_master_key_id or sqs_managed_sse_enabled = true.',
      disabled: 'SQS queue "{{name}}" turns SQS-managed encryption off and names no KMS key, so its messages are stored unencrypted.',
      incorrect: 'SQS queue "{{name}}" has an empty kms_master_key_id, so no KMS key protects its messages.',
    },
    fixable: true,
    docs: {
      summary:
        'Queue messages often carry orders, events or personal data and can sit in the queue for days. Server-side encryption, with SQS-managed keys or a KMS key, keeps them unreadable at rest; a KMS key additionally restricts who can read them through its key policy.',
    },
    equivalents: {
      checkov: ['CKV_AWS_27'],
      trivy: ['AVD-AWS-0096', 'AWS-0096', 'aws-sqs-enable-queue-encryption'],
      kics: ['6e8849c1-3aa7-40e3-9063-b85ee300f29f'],
    },
    resourceTypes: ['aws_sqs_queue'],
  },
  check(ctx) {
    for (const q of ctx.model.resourcesOfType('aws_sqs_queue')) {
      const kms = setting(q, 'kms_master_key_id');
      const sse = setting(q, 'sqs_managed_sse_enabled');
      if ((kms && isUnknown(kms.value)) || (sse && isUnknown(sse.value))) continue;
      if (kms && isFilled(kms.value)) continue;
      if (sse && isTrue(sse.value)) continue;
      if (sse) ctx.report({ resource: q, messageId: 'disabled', span: sse.span, file: sse.file, fix: replaceFix(ctx, sse, 'true') });
      else if (kms) {
        // An empty key cannot stay next to SQS-managed encryption (the two conflict): the setting replaces it.
        const edit = isConstantExpr(kms.node.expr) ? ctx.fixer.replace(kms.file, kms.node, 'sqs_managed_sse_enabled = true') : undefined;
        const fix = ctx.fixer.fix('Use SQS-managed encryption (sqs_managed_sse_enabled = true)', edit);
        ctx.report({ resource: q, messageId: 'incorrect', span: kms.span, file: kms.file, fix });
      } else ctx.report({ resource: q, messageId: 'missing', fix: setFix(ctx, q, 'sqs_managed_sse_enabled', 'true') });
    }
  },
});
