// RDS database instances are not reachable from the internet.

import { defineRule } from '../../engine/rule';
import { expectAttr, isTrue } from './helpers';

export default defineRule({
  meta: {
    id: 'terraform/rds-publicly-accessible',
    platform: 'terraform',
    provider: 'aws',
    title: 'RDS database instances are not publicly accessible',
    severity: 'error',
    controls: ['13.1.3', '9.4.1'],
    messages: {
      incorrect: 'Database instance "{{name}}" is publicly accessible: it gets a public IP address and DNS name.',
    },
    fixable: true,
    docs: {
      summary:
        'A publicly accessible database instance receives a public address, so only its security group stands between the database and the internet, and a single permissive rule exposes it to password guessing and exploits. Keep databases in private subnets and reach them through the application tier, a VPN or a bastion.',
    },
    equivalents: {
      checkov: ['CKV_AWS_17'],
      trivy: ['AVD-AWS-0180', 'AWS-0180', 'aws-rds-enable-public-access'],
      kics: ['35113e6f-2c6b-414d-beec-7a9482d3b2d1'],
    },
    resourceTypes: ['aws_db_instance', 'aws_rds_cluster_instance'],
  },
  check(ctx) {
    expectAttr(ctx, { types: ['aws_db_instance', 'aws_rds_cluster_instance'], path: 'publicly_accessible', ok: (v) => !isTrue(v), whenMissing: 'ok', fix: { value: 'false' } });
  },
});
