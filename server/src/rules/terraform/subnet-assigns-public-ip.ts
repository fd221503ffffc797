// Subnets do not hand out public IP addresses to every instance launched in them.

import { defineRule } from '../../engine/rule';
import { expectAttr, isTrue } from './helpers';

export default defineRule({
  meta: {
    id: 'terraform/subnet-assigns-public-ip',
    platform: 'terraform',
    provider: 'aws',
    title: 'Subnets do not assign public IP addresses on launch',
    severity: 'warning',
    controls: ['13.1.3', '9.1.2'],
    messages: {
      incorrect: 'Subnet "{{name}}" gives every instance launched in it a public IP address.',
    },
    fixable: true,
    docs: {
      summary:
        'With map_public_ip_on_launch every instance, container task or database placed in the subnet becomes addressable from the internet without anyone asking for it. Keep the setting off and give public addresses only to the few resources that are meant to face the internet, such as load balancers and NAT gateways.',
    },
    equivalents: {
      checkov: ['CKV_AWS_130'],
      trivy: ['AVD-AWS-0164', 'AWS-0164', 'aws-ec2-no-public-ip-subnet'],
      kics: ['52f04a44-6bfa-4c41-b1d3-4ae99a2de05c'],
    },
    resourceTypes: ['aws_subnet', 'aws_default_subnet'],
  },
  check(ctx) {
    expectAttr(ctx, {
      types: ['aws_subnet', 'aws_default_subnet'],
      path: 'map_public_ip_on_launch',
      whenMissing: 'ok',
      ok: (v) => !isTrue(v),
      fix: { value: 'false' },
    });
  },
});
