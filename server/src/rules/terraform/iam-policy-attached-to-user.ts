// IAM permissions are granted through groups or roles, not attached to individual users.

import { defineRule } from '../../engine/rule';
import { isUnknown } from '../../documents/terraform/values';

export default defineRule({
  meta: {
    id: 'terraform/iam-policy-attached-to-user',
    platform: 'terraform',
    provider: 'aws',
    title: 'IAM policies are attached to groups or roles, not to users',
    severity: 'warning',
    controls: ['9.2.3', '9.2.2'],
    messages: {
      inline: 'Inline policy "{{name}}" grants permissions directly to an IAM user; attach it to a group or role instead.',
      attachment: 'Policy attachment "{{name}}" grants a managed policy directly to an IAM user; attach it to a group or role instead.',
    },
    fixable: false,
    docs: {
      summary:
        'Permissions given user by user drift apart, survive role changes and are hard to review. Granting them through groups or roles ties access to a job function, so joining, moving and leaving are one membership change and a review covers a handful of groups instead of every account.',
    },
    equivalents: {
      checkov: ['CKV_AWS_40'],
      trivy: ['AVD-AWS-0143', 'AWS-0143', 'aws-iam-no-user-attached-policies'],
      kics: ['b4378389-a9aa-44ee-91e7-ef183f11079e'],
    },
    resourceTypes: ['aws_iam_user_policy', 'aws_iam_user_policy_attachment', 'aws_iam_policy_attachment'],
  },
  check(ctx) {
    for (const res of ctx.model.resourcesOfType('aws_iam_user_policy', 'aws_iam_user_policy_attachment')) {
      const user = res.attr('user');
      if (user && user.value === null) continue;
      ctx.report({
        resource: res,
        messageId: res.type === 'aws_iam_user_policy' ? 'inline' : 'attachment',
        span: user?.span,
        file: user?.file,
      });
    }
    for (const res of ctx.model.resourcesOfType('aws_iam_policy_attachment')) {
      const users = res.attr('users');
      if (!users || users.value === null) continue;
      // The list may hold unknown names (aws_iam_user.x.name); what matters is that it is not empty.
      const written = users.node.expr.kind === 'tuple' ? users.node.expr.items.length : undefined;
      const known = !isUnknown(users.value) && Array.isArray(users.value) ? users.value.length : undefined;
      const count = known ?? written;
      if (count === undefined || count === 0) continue;
      ctx.report({ resource: res, messageId: 'attachment', span: users.span, file: users.file });
    }
  },
});
