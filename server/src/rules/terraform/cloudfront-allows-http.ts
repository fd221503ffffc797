// CloudFront cache behaviours redirect or refuse plain-HTTP viewers.

import { defineRule } from '../../engine/rule';
import { replaceFix } from './_fixes';
import { isUnknown } from './helpers';

export default defineRule({
  meta: {
    id: 'terraform/cloudfront-allows-http',
    platform: 'terraform',
    provider: 'aws',
    title: 'CloudFront distributions only serve viewers over HTTPS',
    severity: 'warning',
    controls: ['10.1.1'],
    messages: {
      incorrect: 'CloudFront distribution "{{name}}" lets viewers use plain HTTP ({{behavior}} viewer_protocol_policy is "allow-all").',
    },
    fixable: true,
    docs: {
      summary:
        'With "allow-all", a cache behaviour answers plain-HTTP requests, so content, cookies and tokens travel unencrypted between the viewer and the edge. Use "redirect-to-https" or "https-only" on the default and every ordered cache behaviour.',
    },
    equivalents: {
      checkov: ['CKV_AWS_34'],
      trivy: ['AVD-AWS-0012', 'AWS-0012', 'aws-cloudfront-enforce-https'],
      kics: ['55af1353-2f62-4fa0-a8e1-a210ca2708f5'],
    },
    resourceTypes: ['aws_cloudfront_distribution'],
  },
  check(ctx) {
    for (const dist of ctx.model.resourcesOfType('aws_cloudfront_distribution')) {
      const behaviors = [
        ...dist.blocks('default_cache_behavior').map((b) => ({ b, name: 'default_cache_behavior' })),
        ...dist.blocks('ordered_cache_behavior').map((b) => ({ b, name: 'ordered_cache_behavior' })),
      ];
      for (const { b, name } of behaviors) {
        const policy = b.attr('viewer_protocol_policy');
        if (!policy || isUnknown(policy.value)) continue;
        if (policy.value !== 'allow-all') continue;
        ctx.report({ resource: dist, messageId: 'incorrect', span: policy.span, file: policy.file, data: { behavior: name }, fix: replaceFix(ctx, policy, '"redirect-to-https"') });
      }
    }
  },
});
