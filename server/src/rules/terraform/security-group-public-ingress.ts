// Security groups admit traffic from the whole internet only to public web ports.

import { defineRule } from '../../engine/rule';
import { publicCidrFix } from './_fixes';
import { describePorts, opensAllPorts, opensPort, portRange, publicCidr, securityGroupRules } from './_network';

/** Ports that a public service is expected to expose to everyone. */
const WEB_PORTS = new Set([80, 443]);

export default defineRule({
  meta: {
    id: 'terraform/security-group-public-ingress',
    platform: 'terraform',
    provider: 'aws',
    title: 'Security groups admit internet traffic only to web ports (80/443)',
    severity: 'warning',
    controls: ['13.1.3', '9.1.2'],
    messages: {
      incorrect: 'Security group rule in "{{name}}" allows {{ports}} from {{cidr}}: anything listening there is reachable from the whole internet.',
    },
    fixable: true,
    docs: {
      summary:
        'Apart from the HTTP and HTTPS ports of a public web front end, a service rarely needs to be reachable from every address on the internet. Databases, caches, message brokers and internal APIs opened to 0.0.0.0/0 or ::/0 are routinely found by scanners; limit the source to the networks or security groups that actually call them.',
    },
    equivalents: {
      kics: ['4728cd65-a20c-49da-8b31-9c08b423e4db'],
    },
    resourceTypes: ['aws_security_group', 'aws_default_security_group', 'aws_security_group_rule', 'aws_vpc_security_group_ingress_rule'],
  },
  check(ctx) {
    for (const rule of securityGroupRules(ctx.model, 'ingress')) {
      const cidr = publicCidr(rule.cidrFields);
      if (!cidr) continue;
      const range = portRange(rule.protocol, rule.fromPort, rule.toPort);
      if (range === undefined) continue;
      if (range.kind === 'range' && range.from === range.to && WEB_PORTS.has(range.from)) continue;
      // ICMP carries no service; path-MTU discovery often needs it from anywhere.
      if (range.kind === 'none' && (range.protocol === 'icmp' || range.protocol === 'icmpv6')) continue;
      // SSH, RDP and all-ports openings have rules of their own (error severity); one finding is enough.
      if (opensAllPorts(rule) === true || opensPort(rule, 22, ['tcp']) === true || opensPort(rule, 3389, ['tcp', 'udp']) === true) continue;
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
