// Network ACLs do not allow SSH (TCP 22) in from the whole internet.

import { defineRule } from '../../engine/rule';
import { publicCidrFix } from './_fixes';
import { describePorts, networkAclRules, opensPort, publicCidr } from './_network';

export default defineRule({
  meta: {
    id: 'terraform/network-acl-open-ssh',
    platform: 'terraform',
    provider: 'aws',
    title: 'Network ACLs do not allow SSH (port 22) from the whole internet',
    severity: 'error',
    controls: ['13.1.3', '9.1.2'],
    messages: {
      incorrect: 'Network ACL rule in "{{name}}" allows SSH in from {{cidr}} ({{ports}}): the subnet does not filter remote logins from the internet.',
    },
    fixable: true,
    docs: {
      summary:
        'A network ACL is the subnet-wide safety net behind security groups. An inbound allow entry for port 22 from every address removes that second layer for remote administration, so a single permissive security group is enough to expose SSH; keep administration traffic to known ranges.',
    },
    equivalents: {
      checkov: ['CKV_AWS_232'],
      trivy: ['AVD-AWS-0105', 'AWS-0105', 'aws-ec2-no-public-ingress-acl'],
      kics: ['3af7f2fd-06e6-4dab-b996-2912bea19ba4'],
    },
    resourceTypes: ['aws_network_acl', 'aws_default_network_acl', 'aws_network_acl_rule'],
  },
  check(ctx) {
    for (const rule of networkAclRules(ctx.model, 'ingress')) {
      if (!rule.action || typeof rule.action.value !== 'string' || rule.action.value.toLowerCase() !== 'allow') continue;
      const cidr = publicCidr(rule.cidrFields);
      if (!cidr) continue;
      if (opensPort(rule, 22, ['tcp']) !== true) continue;
      ctx.report({
        resource: rule.entry.resource,
        messageId: 'incorrect',
        span: rule.entry.span,
        file: rule.entry.file,
        fix: publicCidrFix(ctx, cidr.field),
        data: { cidr: cidr.cidr, ports: describePorts(rule) },
      });
    }
  },
});
