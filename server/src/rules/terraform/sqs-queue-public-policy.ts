// SQS queue policies do not let every principal use the queue.

import { defineRule } from '../../engine/rule';
import { reportPublicPolicies } from './_policy';

const TYPES = ['aws_sqs_queue', 'aws_sqs_queue_policy'];

export default defineRule({
  meta: {
    id: 'terraform/sqs-queue-public-policy',
    platform: 'terraform',
    provider: 'aws',
    title: 'SQS queue policies do not grant access to everyone',
    severity: 'error',
    controls: ['9.4.1'],
    messages: {
      incorrect: 'The queue policy of "{{name}}" allows any principal (Principal "*") without a condition that limits it to known accounts or sources.',
    },
    fixable: false,
    docs: {
      summary:
        'A queue policy that allows Principal "*" without a narrowing condition lets anyone send, read or delete messages: data can leak, and forged messages can drive the consumers. Grant access to named principals, or tie a service principal to its source with aws:SourceArn or aws:SourceAccount.',
    },
    equivalents: {
      checkov: ['CKV_AWS_168'],
      kics: ['730675f9-52ed-49b6-8ead-0acb5dd7df7f'],
    },
    resourceTypes: TYPES,
  },
  check(ctx) {
    reportPublicPolicies(ctx, TYPES);
  },
});
