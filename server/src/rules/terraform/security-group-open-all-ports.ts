// Security groups do not open every port to the whole internet.

import { defineRule } from '../../engine/rule';
import { publicCidrFix } from './_fixes';
import { describePorts, opensAllPorts, publicCidr, securityGroupRules } from './_network';

export default defineRule({
  meta: {
    id: 'terraform/security-group-open-all-ports',
    platform: 'terraform',
    provider: 'aws',
    title: 'Security groups do not allow all ports from the whole internet',
    severity: 'error',
    controls: ['13.1.3', '9.1.2', '9.4.1'],
    messages: {
      incorrect: 'Security group rule in "{{name}}" allows {{ports}} from {{cidr}}: every service on the attached resources is reachable from the internet.',
    },
    fixable: true,
    docs: {
      summary:
        'A rule that admits every protocol or the whole port range from any address turns the security group into no firewall at all: databases, admin consoles and debug ports become reachable as soon as something listens on them. Open only the ports the service needs, to the sources that need them.',
    },
    equivalents: {
      checkov: ['CKV_AWS_277'],
    },
    resourceTypes: ['aws_security_group', 'aws_default_security_group', 'aws_security_group_rule', 'aws_vpc_security_group_ingress_rule'],
  },
  check(ctx) {
    for (const rule of securityGroupRules(ctx.model, 'ingress')) {
      const cidr = publicCidr(rule.cidrFields);
      if (!cidr || opensAllPorts(rule) !== true) continue;
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
