// ECR repository policies do not let every principal pull or push images.

import { defineRule } from '../../engine/rule';
import { reportPublicPolicies } from './_policy';

const TYPES = ['aws_ecr_repository_policy'];

export default defineRule({
  meta: {
    id: 'terraform/ecr-repository-public',
    platform: 'terraform',
    provider: 'aws',
    title: 'ECR repository policies do not grant access to everyone',
    severity: 'error',
    controls: ['9.4.1'],
    messages: {
      incorrect: 'The repository policy of "{{name}}" allows any principal (Principal "*") without a condition that limits it to known accounts.',
    },
    fixable: false,
    docs: {
      summary:
        'A repository policy that allows Principal "*" lets any AWS account pull the images, with whatever code, configuration and secrets they contain, and, with push actions, replace them. Grant access to the accounts or organisation that need it.',
    },
    equivalents: {
      checkov: ['CKV_AWS_32'],
      trivy: ['AVD-AWS-0032', 'AWS-0032', 'aws-ecr-no-public-access'],
      kics: ['e86e26fc-489e-44f0-9bcd-97305e4ba69a'],
    },
    resourceTypes: TYPES,
  },
  check(ctx) {
    reportPublicPolicies(ctx, TYPES);
  },
});
