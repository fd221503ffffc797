// The account password policy asks for long passwords built from every character class.

import { defineRule } from '../../engine/rule';
import { replaceFix, setFix } from './_fixes';
import { asNumber, isUnknown } from '../../documents/terraform/values';
import { isTrue } from './helpers';

const MIN_LENGTH = 14;
const CLASSES: Array<[string, string]> = [
  ['require_lowercase_characters', 'lowercase letters'],
  ['require_uppercase_characters', 'uppercase letters'],
  ['require_numbers', 'numbers'],
  ['require_symbols', 'symbols'],
];

export default defineRule({
  meta: {
    id: 'terraform/iam-password-policy-weak',
    platform: 'terraform',
    provider: 'aws',
    title: `The IAM password policy requires at least ${MIN_LENGTH} characters from every character class`,
    severity: 'warning',
    controls: ['9.2.4'],
    messages: {
      shortMissing: `Password policy "{{name}}" sets no minimum_password_length: AWS then accepts passwords of 6 characters (at least ${MIN_LENGTH} recommended).`,
      short: `Password policy "{{name}}" accepts passwords of {{length}} characters; require at least ${MIN_LENGTH}.`,
      classesMissing: 'Password policy "{{name}}" does not require {{classes}}.',
      classOff: 'Password policy "{{name}}" does not require {{class}}.',
    },
    fixable: true,
    docs: {
      summary:
        'Console passwords of IAM users are guessed offline and sprayed online; length is what makes them resist both. A policy that demands long passwords mixing letters, digits and symbols rules out the short, common choices attackers try first.',
    },
    equivalents: {
      checkov: ['CKV_AWS_10', 'CKV_AWS_11', 'CKV_AWS_12', 'CKV_AWS_14', 'CKV_AWS_15'],
      trivy: [
        'AVD-AWS-0063', 'AWS-0063', 'aws-iam-set-minimum-password-length',
        'AVD-AWS-0058', 'AWS-0058', 'aws-iam-require-lowercase-in-passwords',
        'AVD-AWS-0059', 'AWS-0059', 'aws-iam-require-numbers-in-passwords',
        'AVD-AWS-0060', 'AWS-0060', 'aws-iam-require-symbols-in-passwords',
        'AVD-AWS-0061', 'AWS-0061', 'aws-iam-require-uppercase-in-passwords',
      ],
      kics: ['1bc1c685-e593-450e-88fb-19db4c82aa1d'],
    },
    resourceTypes: ['aws_iam_account_password_policy'],
  },
  check(ctx) {
    for (const policy of ctx.model.resourcesOfType('aws_iam_account_password_policy')) {
      const len = policy.attr('minimum_password_length');
      if (!len || len.value === null) {
        ctx.report({ resource: policy, messageId: 'shortMissing', fix: setFix(ctx, policy, 'minimum_password_length', String(MIN_LENGTH)) });
      } else {
        const n = asNumber(len.value);
        if (!isUnknown(n) && n < MIN_LENGTH) {
          ctx.report({ resource: policy, messageId: 'short', span: len.span, file: len.file, data: { length: n }, fix: replaceFix(ctx, len, String(MIN_LENGTH)) });
        }
      }
      const missing: string[] = [];
      const missingAttrs: Array<[string, string]> = [];
      for (const [attr, label] of CLASSES) {
        const a = policy.attr(attr);
        if (!a || a.value === null) {
          missing.push(label);
          missingAttrs.push([attr, 'true']);
        } else if (!isUnknown(a.value) && !isTrue(a.value)) {
          ctx.report({ resource: policy, messageId: 'classOff', span: a.span, file: a.file, data: { class: label }, fix: replaceFix(ctx, a, 'true') });
        }
      }
      if (missing.length > 0) {
        ctx.report({
          resource: policy,
          messageId: 'classesMissing',
          data: { classes: missing.join(', ') },
          fix: ctx.fixer.fix(`Require ${missing.join(', ')}`, ctx.fixer.setAll(policy, missingAttrs)),
        });
      }
    }
  },
});
