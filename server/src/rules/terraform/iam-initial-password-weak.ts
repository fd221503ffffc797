// Console passwords generated for IAM users are long and must be changed at first sign-in.

import { defineRule } from '../../engine/rule';
import { replaceFix, setFix } from './_fixes';
import { asNumber, isUnknown } from '../../documents/terraform/values';
import { isFalse } from './helpers';

const MIN_LENGTH = 14;

export default defineRule({
  meta: {
    id: 'terraform/iam-initial-password-weak',
    platform: 'terraform',
    provider: 'aws',
    title: 'Generated IAM console passwords are long and must be reset at first sign-in',
    severity: 'warning',
    controls: ['9.2.4'],
    messages: {
      noResetMissing: 'Login profile "{{name}}" does not set password_reset_required = true: the generated password can stay in use after it has been handed over.',
      noReset: 'Login profile "{{name}}" does not require the user to change the generated password at first sign-in.',
      short: `Login profile "{{name}}" generates a password of {{length}} characters; use at least ${MIN_LENGTH}.`,
    },
    fixable: true,
    docs: {
      summary:
        'The initial console password of an IAM user passes through Terraform state, pipelines and whoever hands it over. Forcing a change at first sign-in makes it a temporary secret known only to the user afterwards, and a long generated value keeps it out of reach of guessing in the meantime.',
    },
    equivalents: {
      kics: ['b592ffd4-0577-44b6-bd35-8c5ee81b5918'],
    },
    resourceTypes: ['aws_iam_user_login_profile'],
  },
  check(ctx) {
    for (const profile of ctx.model.resourcesOfType('aws_iam_user_login_profile')) {
      const reset = profile.attr('password_reset_required');
      if (!reset || reset.value === null) ctx.report({ resource: profile, messageId: 'noResetMissing', fix: setFix(ctx, profile, 'password_reset_required', 'true') });
      else if (!isUnknown(reset.value) && isFalse(reset.value)) {
        ctx.report({ resource: profile, messageId: 'noReset', span: reset.span, file: reset.file, fix: replaceFix(ctx, reset, 'true') });
      }
      const len = profile.attr('password_length');
      if (len && len.value !== null) {
        const n = asNumber(len.value);
        if (!isUnknown(n) && n < MIN_LENGTH) {
          ctx.report({ resource: profile, messageId: 'short', span: len.span, file: len.file, data: { length: n }, fix: replaceFix(ctx, len, String(MIN_LENGTH)) });
        }
      }
    }
  },
});
