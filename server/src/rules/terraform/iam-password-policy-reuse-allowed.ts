// The account password policy stops users from cycling back to recent passwords.

import { defineRule } from '../../engine/rule';
import { asNumber, isUnknown } from '../../documents/terraform/values';
import { expectAttr } from './helpers';

const REMEMBERED = 24;

export default defineRule({
  meta: {
    id: 'terraform/iam-password-policy-reuse-allowed',
    platform: 'terraform',
    provider: 'aws',
    title: `The IAM password policy prevents reuse of the last ${REMEMBERED} passwords`,
    severity: 'info',
    controls: ['9.2.4'],
    messages: {
      missing: `Password policy "{{name}}" sets no password_reuse_prevention: users may set a previous password again (remember ${REMEMBERED}).`,
      incorrect: `Password policy "{{name}}" remembers too few previous passwords; set password_reuse_prevention to ${REMEMBERED}.`,
    },
    fixable: true,
    docs: {
      summary:
        'A password that was once exposed stays dangerous if its owner can switch back to it after a forced change. Remembering the previous passwords makes each change a real change.',
    },
    equivalents: {
      checkov: ['CKV_AWS_13'],
      trivy: ['AVD-AWS-0056', 'AWS-0056', 'aws-iam-no-password-reuse'],
      kics: ['89806cdc-9c2e-4bd1-a0dc-53f339bcfb2a'],
    },
    resourceTypes: ['aws_iam_account_password_policy'],
  },
  check(ctx) {
    expectAttr(ctx, {
      types: ['aws_iam_account_password_policy'],
      path: 'password_reuse_prevention',
      ok: (v) => {
        const n = asNumber(v);
        return isUnknown(n) || n >= REMEMBERED;
      },
      fix: { value: String(REMEMBERED) },
    });
  },
});
