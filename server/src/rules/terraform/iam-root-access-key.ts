// No access keys are created for the root identity.

import { defineRule } from '../../engine/rule';
import { setFix } from './_fixes';
import { isUnknown } from '../../documents/terraform/values';

export default defineRule({
  meta: {
    id: 'terraform/iam-root-access-key',
    platform: 'terraform',
    provider: 'aws',
    title: 'No active access keys exist for the root user',
    severity: 'error',
    controls: ['9.2.3', '9.2.4'],
    messages: {
      incorrect: 'Access key "{{name}}" belongs to "root": a leaked key would give unrestricted control of the whole account.',
    },
    fixable: true,
    docs: {
      summary:
        'The root user can do everything, including closing the account and changing its contact details, and its permissions cannot be narrowed by policies. Programmatic keys for it are a standing invitation to total compromise; use IAM roles or users with scoped permissions and keep root for the few tasks that require it.',
    },
    equivalents: {
      checkov: ['CKV_AWS_348'],
      trivy: ['AVD-AWS-0141', 'AWS-0141', 'aws-iam-no-root-access-keys'],
      kics: ['970d224d-b42a-416b-81f9-8f4dfe70c4bc', '7081f85c-b94d-40fd-8b45-a4f1cac75e46'],
    },
    resourceTypes: ['aws_iam_access_key'],
  },
  check(ctx) {
    for (const key of ctx.model.resourcesOfType('aws_iam_access_key')) {
      const user = key.attr('user');
      if (!user || isUnknown(user.value) || user.value !== 'root') continue;
      const status = key.attr('status');
      if (status && (isUnknown(status.value) || status.value === 'Inactive')) continue;
      ctx.report({
        resource: key,
        messageId: 'incorrect',
        span: user.span,
        file: user.file,
        fix: setFix(ctx, key, 'status', '"Inactive"', 'Deactivate the root access key (status = "Inactive")'),
      });
    }
  },
});
