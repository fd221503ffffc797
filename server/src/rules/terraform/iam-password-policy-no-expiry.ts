// The account password policy makes passwords expire.

import { defineRule } from '../../engine/rule';
import { asNumber, isUnknown } from '../../documents/terraform/values';
import { expectAttr } from './helpers';

const MAX_AGE = 90;

export default defineRule({
  meta: {
    id: 'terraform/iam-password-policy-no-expiry',
    platform: 'terraform',
    provider: 'aws',
    title: `The IAM password policy expires passwords within ${MAX_AGE} days`,
    severity: 'info',
    controls: ['9.2.4'],
    messages: {
      missing: `Password policy "{{name}}" sets no max_password_age: console passwords never expire (at most ${MAX_AGE} days expected).`,
      incorrect: `Password policy "{{name}}" lets passwords live longer than ${MAX_AGE} days (or forever).`,
    },
    fixable: true,
    docs: {
      summary:
        'A maximum password age bounds how long a password captured by phishing or a breach elsewhere stays usable. Where MFA is enforced for every console user the value of forced rotation is lower, and this rule can be turned off deliberately.',
    },
    equivalents: {
      checkov: ['CKV_AWS_9'],
      trivy: ['AVD-AWS-0062', 'AWS-0062', 'aws-iam-set-max-password-age'],
      kics: ['ce60d060-efb8-4bfd-9cf7-ff8945d00d90'],
    },
    resourceTypes: ['aws_iam_account_password_policy'],
  },
  check(ctx) {
    expectAttr(ctx, {
      types: ['aws_iam_account_password_policy'],
      path: 'max_password_age',
      ok: (v) => {
        const n = asNumber(v);
        return isUnknown(n) || (n > 0 && n <= MAX_AGE);
      },
      fix: { value: String(MAX_AGE) },
    });
  },
});
