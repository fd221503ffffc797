// KMS key policies do not let every principal use or manage the key.

import { defineRule } from '../../engine/rule';
import { reportPublicPolicies } from './_policy';

const TYPES = ['aws_kms_key', 'aws_kms_key_policy', 'aws_kms_replica_key'];

export default defineRule({
  meta: {
    id: 'terraform/kms-key-policy-wildcard',
    platform: 'terraform',
    provider: 'aws',
    title: 'KMS key policies do not grant access to everyone',
    severity: 'error',
    controls: ['10.1.2', '9.4.1'],
    messages: {
      incorrect: 'The key policy of "{{name}}" allows any principal (Principal "*") without a condition that limits it to known accounts.',
    },
    fixable: false,
    docs: {
      summary:
        'A key policy is the root of access to a KMS key: IAM policies only count where the key policy delegates to them. A statement that allows Principal "*" without a condition such as kms:CallerAccount or aws:PrincipalOrgID lets any AWS account use, and with kms:* even administer or delete, the key that protects your data.',
    },
    equivalents: {
      checkov: ['CKV_AWS_33'],
      kics: ['7ebc9038-0bde-479a-acc4-6ed7b6758899'],
    },
    resourceTypes: TYPES,
  },
  check(ctx) {
    reportPublicPolicies(ctx, TYPES);
  },
});
