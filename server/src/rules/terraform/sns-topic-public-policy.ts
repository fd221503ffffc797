// SNS topic policies do not let every principal use the topic.

import { defineRule } from '../../engine/rule';
import { reportPublicPolicies } from './_policy';

const TYPES = ['aws_sns_topic', 'aws_sns_topic_policy'];

export default defineRule({
  meta: {
    id: 'terraform/sns-topic-public-policy',
    platform: 'terraform',
    provider: 'aws',
    title: 'SNS topic policies do not grant access to everyone',
    severity: 'error',
    controls: ['9.4.1'],
    messages: {
      incorrect: 'The topic policy of "{{name}}" allows any principal (Principal "*") without a condition that limits it to known accounts or sources.',
    },
    fixable: false,
    docs: {
      summary:
        'A topic policy that allows Principal "*" without a condition such as AWS:SourceOwner, aws:SourceAccount or aws:PrincipalOrgID lets anyone publish to the topic or subscribe to it, so notifications can be read by outsiders or forged. Grant access to named principals only.',
    },
    equivalents: {
      checkov: ['CKV_AWS_169'],
      kics: ['b26d2b7e-60f6-413d-a3a1-a57db24aa2b3'],
    },
    resourceTypes: TYPES,
  },
  check(ctx) {
    reportPublicPolicies(ctx, TYPES);
  },
});
