// The AWS-managed AdministratorAccess policy is not attached directly to IAM users.

import type { AttrView } from '../../documents/terraform/model';
import { defineRule } from '../../engine/rule';
import { isUnknown } from './helpers';

const ADMIN_ARN = /^arn:aws[a-z-]*:iam::aws:policy\/AdministratorAccess$/;

export default defineRule({
  meta: {
    id: 'terraform/iam-user-admin-policy',
    platform: 'terraform',
    provider: 'aws',
    title: 'IAM users do not hold AdministratorAccess directly',
    severity: 'error',
    controls: ['9.2.3', '9.2.2'],
    messages: {
      incorrect: '"{{name}}" attaches AdministratorAccess directly to IAM user(s).',
    },
    fixable: false,
    docs: {
      summary:
        'An IAM user with AdministratorAccess has standing, unlimited rights tied to long-lived credentials (a password and access keys) that can leak. Privileged access should be granted through a role that administrators assume when needed, with MFA and session logging, so that it can be reviewed and withdrawn in one place.',
    },
    equivalents: {
      checkov: ['CKV_AWS_274'],
    },
    resourceTypes: ['aws_iam_user_policy_attachment', 'aws_iam_policy_attachment'],
  },
  check(ctx) {
    /** True when the ARN is known to be the AWS-managed AdministratorAccess policy. */
    const isAdmin = (arn: AttrView): boolean => {
      if (typeof arn.value === 'string') return ADMIN_ARN.test(arn.value);
      if (!isUnknown(arn.value)) return false;
      // `data.aws_iam_policy.admin.arn` where the data source looks the policy up by name or ARN.
      return ctx.model.referencedBy(arn).some((d) => {
        if (d.mode !== 'data' || d.type !== 'aws_iam_policy') return false;
        const name = d.attr('name')?.value;
        const byArn = d.attr('arn')?.value;
        return name === 'AdministratorAccess' || (typeof byArn === 'string' && ADMIN_ARN.test(byArn));
      });
    };
    for (const att of ctx.model.resourcesOfType('aws_iam_user_policy_attachment')) {
      const arn = att.attr('policy_arn');
      if (arn && isAdmin(arn)) ctx.report({ resource: att, messageId: 'incorrect', span: arn.span, file: arn.file });
    }
    for (const att of ctx.model.resourcesOfType('aws_iam_policy_attachment')) {
      const users = att.attr('users');
      if (!users || (Array.isArray(users.value) && users.value.length === 0) || users.value === null) continue;
      const arn = att.attr('policy_arn');
      if (arn && isAdmin(arn)) ctx.report({ resource: att, messageId: 'incorrect', span: arn.span, file: arn.file });
    }
  },
});
