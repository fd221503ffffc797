// Application and network load balancers have deletion protection.

import { defineRule } from '../../engine/rule';
import { expectAttr, isTrue } from './helpers';

export default defineRule({
  meta: {
    id: 'terraform/lb-deletion-protection-disabled',
    platform: 'terraform',
    provider: 'aws',
    title: 'Load balancers have deletion protection enabled',
    severity: 'info',
    controls: ['CLD.12.1.5'],
    messages: {
      missing: 'Load balancer "{{name}}" has no deletion protection (enable_deletion_protection is not set).',
      incorrect: 'Load balancer "{{name}}" has deletion protection turned off.',
    },
    fixable: true,
    docs: {
      summary:
        'Deleting a load balancer takes the service offline and releases its DNS name and addresses. Deletion protection turns that into a deliberate two-step operation, which guards against mistaken plans and careless console clicks.',
    },
    equivalents: {
      checkov: ['CKV_AWS_150'],
      kics: ['afecd1f1-6378-4f7e-bb3b-60c35801fdd4'],
    },
    resourceTypes: ['aws_lb', 'aws_alb'],
  },
  check(ctx) {
    expectAttr(ctx, { types: ['aws_lb', 'aws_alb'], path: 'enable_deletion_protection', ok: isTrue, fix: { value: 'true' } });
  },
});
