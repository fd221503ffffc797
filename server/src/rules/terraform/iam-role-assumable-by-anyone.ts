// IAM role trust policies do not let every principal assume the role.

import { defineRule } from '../../engine/rule';
import { isPublicGrant, readPolicyAttr } from './_policy';

export default defineRule({
  meta: {
    id: 'terraform/iam-role-assumable-by-anyone',
    platform: 'terraform',
    provider: 'aws',
    title: 'IAM roles cannot be assumed by every principal',
    severity: 'error',
    controls: ['9.2.3', '9.4.1'],
    messages: {
      incorrect: 'The trust policy of role "{{name}}" lets any principal (Principal "*") assume it without a condition that limits it to known accounts.',
    },
    fixable: false,
    docs: {
      summary:
        'A trust policy that allows Principal "*" lets any AWS account in the world request credentials for the role, and with them every permission the role holds. Name the accounts, roles or services that may assume it, or limit "*" with a condition such as aws:PrincipalOrgID.',
    },
    equivalents: {
      checkov: ['CKV_AWS_60'],
    },
    resourceTypes: ['aws_iam_role'],
  },
  check(ctx) {
    for (const role of ctx.model.resourcesOfType('aws_iam_role')) {
      const read = readPolicyAttr(ctx.model, role, 'assume_role_policy');
      if (!read || !read.policy || !read.policy.statements.some(isPublicGrant)) continue;
      const doc = read.policy.document;
      ctx.report({
        resource: role,
        messageId: 'incorrect',
        span: read.attr.span,
        file: read.attr.file,
        related: doc ? [{ file: doc.file, span: doc.headerSpan, message: 'trust policy document granting sts:AssumeRole to "*"' }] : undefined,
      });
    }
  },
});
