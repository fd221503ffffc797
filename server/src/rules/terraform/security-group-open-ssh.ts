// Security groups do not let the whole internet reach SSH (TCP 22).

import { defineRule } from '../../engine/rule';
import { publicCidrFix } from './_fixes';
import { describePorts, publicIngressOnPort } from './_network';

export default defineRule({
  meta: {
    id: 'terraform/security-group-open-ssh',
    platform: 'terraform',
    provider: 'aws',
    title: 'Security groups do not allow SSH (port 22) from the whole internet',
    severity: 'error',
    controls: ['13.1.3', '9.1.2', '9.4.1'],
    messages: {
      incorrect: 'Security group rule in "{{name}}" allows SSH from {{cidr}} ({{ports}}): any host on the internet can try to log in.',
    },
    fixable: true,
    docs: {
      summary:
        'An SSH port reachable from every address is found by internet-wide scanners within minutes and then faces endless password guessing and exploit attempts. Restrict the source to known administration networks, a bastion or VPN range, or use Session Manager instead of inbound SSH.',
    },
    equivalents: {
      checkov: ['CKV_AWS_24'],
      trivy: ['AVD-AWS-0107', 'AWS-0107', 'aws-ec2-no-public-ingress-sgr'],
      kics: ['65905cec-d691-4320-b320-2000436cb696'],
    },
    resourceTypes: ['aws_security_group', 'aws_default_security_group', 'aws_security_group_rule', 'aws_vpc_security_group_ingress_rule'],
  },
  check(ctx) {
    for (const { rule, cidr } of publicIngressOnPort(ctx.model, 22, ['tcp'])) {
      ctx.report({
        resource: rule.resource,
        messageId: 'incorrect',
        span: cidr.field.span,
        file: cidr.field.file,
        fix: publicCidrFix(ctx, cidr.field),
        data: { cidr: cidr.cidr, ports: describePorts(rule) },
      });
    }
  },
});
