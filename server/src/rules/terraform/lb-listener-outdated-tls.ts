// HTTPS/TLS load balancer listeners negotiate TLS 1.2 or later.

import { defineRule } from '../../engine/rule';
import { hcl, replaceFix, setFix } from './_fixes';
import { isUnknown } from './helpers';

/** Predefined ELB security policies whose lowest protocol is TLS 1.2 or 1.3. */
const MODERN = /^ELBSecurityPolicy-(TLS13-1-[23]-|TLS-1-2-|FS-1-2-)/i;
/** Predefined ELB security policies that still accept SSLv3, TLS 1.0 or TLS 1.1. */
const OUTDATED = /^ELBSecurityPolicy-(20\d\d-\d\d$|TLS-1-[01]-|TLS13-1-[01]-|FS-1-1-|FS-20\d\d-\d\d$)/i;
/** What the fix writes: AWS's recommended policy (TLS 1.3 and 1.2 only). */
const RECOMMENDED = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

export default defineRule({
  meta: {
    id: 'terraform/lb-listener-outdated-tls',
    platform: 'terraform',
    provider: 'aws',
    title: 'Load balancer HTTPS and TLS listeners use a TLS 1.2+ security policy',
    severity: 'warning',
    controls: ['10.1.1'],
    messages: {
      missing: 'Listener "{{name}}" has no ssl_policy: the API default (ELBSecurityPolicy-2016-08) still accepts TLS 1.0 and 1.1.',
      incorrect: 'Listener "{{name}}" uses "{{policy}}", which still accepts protocols older than TLS 1.2.',
    },
    fixable: true,
    docs: {
      summary:
        'TLS 1.0 and 1.1 have known weaknesses and are no longer accepted by current security baselines. A listener whose security policy still offers them lets a client, or an attacker in the middle, negotiate the weaker protocol. Choose a policy such as ELBSecurityPolicy-TLS13-1-2-2021-06.',
    },
    equivalents: {
      checkov: ['CKV_AWS_103'],
      trivy: ['AVD-AWS-0047', 'AWS-0047', 'aws-elb-use-secure-tls-policy'],
    },
    resourceTypes: ['aws_lb_listener', 'aws_alb_listener'],
  },
  check(ctx) {
    for (const listener of ctx.model.resourcesOfType('aws_lb_listener', 'aws_alb_listener')) {
      const protocol = listener.attr('protocol');
      if (!protocol || isUnknown(protocol.value) || typeof protocol.value !== 'string') continue;
      if (!['HTTPS', 'TLS'].includes(protocol.value.toUpperCase())) continue;
      const policy = listener.attr('ssl_policy');
      if (!policy) {
        ctx.report({ resource: listener, messageId: 'missing', fix: setFix(ctx, listener, 'ssl_policy', hcl.str(RECOMMENDED)) });
        continue;
      }
      if (typeof policy.value !== 'string') continue;
      if (MODERN.test(policy.value) || !OUTDATED.test(policy.value)) continue;
      ctx.report({ resource: listener, messageId: 'incorrect', span: policy.span, file: policy.file, data: { policy: policy.value }, fix: replaceFix(ctx, policy, hcl.str(RECOMMENDED)) });
    }
  },
});
