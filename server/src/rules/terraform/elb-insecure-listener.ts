// Classic load balancer listeners accept clients over HTTPS or SSL, not plain HTTP or TCP.

import { defineRule } from '../../engine/rule';
import { isUnknown } from './helpers';

export default defineRule({
  meta: {
    id: 'terraform/elb-insecure-listener',
    platform: 'terraform',
    provider: 'aws',
    title: 'Classic load balancer listeners use HTTPS or SSL',
    severity: 'warning',
    controls: ['10.1.1'],
    messages: {
      incorrect: 'Classic load balancer "{{name}}" listens with unencrypted protocol "{{protocol}}".',
    },
    fixable: false,
    docs: {
      summary:
        'A classic load balancer listener on HTTP or TCP receives client traffic unencrypted, so anything on the path can read or change it. Terminate TLS on the load balancer with an HTTPS or SSL listener and a certificate, and keep plain listeners for redirects only.',
    },
    equivalents: {
      checkov: ['CKV_AWS_376'],
    },
    resourceTypes: ['aws_elb'],
  },
  check(ctx) {
    for (const elb of ctx.model.resourcesOfType('aws_elb')) {
      for (const listener of elb.blocks('listener')) {
        const protocol = listener.attr('lb_protocol');
        if (!protocol || isUnknown(protocol.value) || typeof protocol.value !== 'string') continue;
        const p = protocol.value.toUpperCase();
        if (p !== 'HTTP' && p !== 'TCP') continue;
        ctx.report({ resource: elb, messageId: 'incorrect', span: protocol.span, file: protocol.file, data: { protocol: protocol.value } });
      }
    }
  },
});
