// Security groups do not let the whole internet reach Remote Desktop (port 3389).

import { defineRule } from '../../engine/rule';
import { publicCidrFix } from './_fixes';
import { describePorts, publicIngressOnPort } from './_network';

export default defineRule({
  meta: {
    id: 'terraform/security-group-open-rdp',
    platform: 'terraform',
    provider: 'aws',
    title: 'Security groups do not allow Remote Desktop (port 3389) from the whole internet',
    severity: 'error',
    controls: ['13.1.3', '9.1.2', '9.4.1'],
    messages: {
      incorrect: 'Security group rule in "{{name}}" allows Remote Desktop from {{cidr}} ({{ports}}): any host on the internet can reach the Windows logon.',
    },
    fixable: true,
    docs: {
      summary:
        'Remote Desktop exposed to every address is one of the most common ways into cloud Windows hosts: it is scanned constantly and attacked with credential stuffing and protocol exploits. Allow it only from known administration ranges, a bastion or a VPN, or use Session Manager / Fleet Manager instead.',
    },
    equivalents: {
      checkov: ['CKV_AWS_25'],
      trivy: ['AVD-AWS-0107', 'AWS-0107', 'aws-ec2-no-public-ingress-sgr'],
      kics: ['151187cb-0efc-481c-babd-ad24e3c9bc22'],
    },
    resourceTypes: ['aws_security_group', 'aws_default_security_group', 'aws_security_group_rule', 'aws_vpc_security_group_ingress_rule'],
  },
  check(ctx) {
    for (const { rule, cidr } of publicIngressOnPort(ctx.model, 3389, ['tcp', 'udp'])) {
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
