// Load balancers write access logs.

import { defineRule } from '../../engine/rule';
import { hcl, placeholder, replaceFix, setFix } from './_fixes';
import { isUnknown } from '../../documents/terraform/values';
import { isFalse, isTrue } from './helpers';

export default defineRule({
  meta: {
    id: 'terraform/lb-access-logs-disabled',
    platform: 'terraform',
    provider: 'aws',
    title: 'Load balancers have access logs enabled',
    severity: 'warning',
    controls: ['12.4.1', 'CLD.12.4.5'],
    messages: {
      missing: 'Load balancer "{{name}}" has no access_logs block: the requests it serves are not recorded.',
      notEnabled: 'Load balancer "{{name}}" configures access logs without enabled = true; for ALB/NLB they stay off by default.',
      incorrect: 'Load balancer "{{name}}" has access logging turned off.',
    },
    fixable: true,
    docs: {
      summary:
        'Load balancer access logs hold the client address, path, status and timing of every request that reached the service. They are often the only trace of an attack against an application and are needed to tell which clients were affected.',
    },
    equivalents: {
      checkov: ['CKV_AWS_91', 'CKV_AWS_92'],
      kics: ['20018359-6fd7-4d05-ab26-d4dffccbdf79'],
    },
    resourceTypes: ['aws_lb', 'aws_alb', 'aws_elb'],
  },
  check(ctx) {
    for (const lb of ctx.model.resourcesOfType('aws_lb', 'aws_alb', 'aws_elb')) {
      const classic = lb.type === 'aws_elb';
      if (!classic) {
        // Gateway load balancers have no access logs.
        const t = lb.attr('load_balancer_type');
        if (t && (isUnknown(t.value) || t.value === 'gateway')) continue;
      }
      const blocks = lb.blocks('access_logs');
      if (blocks.length === 0) {
        if (!lb.hasDynamic('access_logs')) {
          const items = [hcl.attr('bucket', placeholder('name of the S3 bucket for access logs')), ...(classic ? [] : [hcl.attr('enabled', 'true')])];
          ctx.report({
            resource: lb,
            messageId: 'missing',
            fix: ctx.fixer.fix('Add access_logs to an S3 bucket (placeholder to fill in)', ctx.fixer.insert(lb, [hcl.block('access_logs', items)]), { placeholder: true }),
          });
        }
        continue;
      }
      const logs = blocks[0]!;
      const enabled = logs.attr('enabled');
      if (!enabled || enabled.value === null) {
        // Classic ELBs default to enabled once the block is there; ALB/NLB default to disabled.
        if (!classic) {
          ctx.report({
            resource: lb,
            messageId: 'notEnabled',
            span: { start: logs.block.start, end: logs.block.typeSpan.end },
            file: logs.file,
            fix: setFix(ctx, logs, 'enabled', 'true'),
          });
        }
        continue;
      }
      if (isUnknown(enabled.value)) continue;
      if (classic ? isFalse(enabled.value) : !isTrue(enabled.value)) {
        ctx.report({ resource: lb, messageId: 'incorrect', span: enabled.span, file: enabled.file, fix: replaceFix(ctx, enabled, 'true') });
      }
    }
  },
});
