// RDS instances and clusters cannot be deleted without first lifting deletion protection.

import { defineRule } from '../../engine/rule';
import { expectAttr, isTrue } from './helpers';

export default defineRule({
  meta: {
    id: 'terraform/rds-deletion-protection-disabled',
    platform: 'terraform',
    provider: 'aws',
    title: 'RDS databases have deletion protection enabled',
    severity: 'warning',
    controls: ['CLD.12.1.5', 'CLD.8.1.5'],
    messages: {
      missing: 'RDS database "{{name}}" has no deletion protection (deletion_protection is not set): one API call or a mistaken plan can delete it.',
      incorrect: 'RDS database "{{name}}" has deletion protection turned off.',
    },
    fixable: true,
    docs: {
      summary:
        'Deleting a database is an irreversible administrative operation. Deletion protection makes it a two-step change, so a renamed resource, a wrong workspace or a compromised automation role cannot remove production data in a single step.',
    },
    equivalents: {
      checkov: ['CKV_AWS_293', 'CKV_AWS_139'],
    },
    resourceTypes: ['aws_db_instance', 'aws_rds_cluster'],
  },
  check(ctx) {
    expectAttr(ctx, { types: ['aws_db_instance', 'aws_rds_cluster'], path: 'deletion_protection', ok: isTrue, fix: { value: 'true' } });
  },
});
