// CloudTrail trails cover every region and the global services.

import { defineRule } from '../../engine/rule';
import { setFix } from './_fixes';
import { isUnknown } from '../../documents/terraform/values';
import { isFalse, isTrue } from './helpers';

export default defineRule({
  meta: {
    id: 'terraform/cloudtrail-not-multi-region',
    platform: 'terraform',
    provider: 'aws',
    title: 'CloudTrail trails record all regions and global service events',
    severity: 'warning',
    controls: ['12.4.1', '12.4.3', 'CLD.12.4.5'],
    messages: {
      missing: 'CloudTrail trail "{{name}}" only records the region it is created in (is_multi_region_trail is not set).',
      incorrect: 'CloudTrail trail "{{name}}" only records the region it is created in.',
      noGlobalEvents: 'CloudTrail trail "{{name}}" leaves out global service events such as IAM and STS calls.',
    },
    fixable: true,
    docs: {
      summary:
        'An attacker who gains access will happily work in a region nobody watches, and IAM, STS and CloudFront calls are only delivered to trails that include global service events. A multi-region trail with global events gives one complete record of activity in the account.',
    },
    equivalents: {
      checkov: ['CKV_AWS_67'],
      trivy: ['AVD-AWS-0014', 'AWS-0014', 'aws-cloudtrail-enable-all-regions'],
      kics: ['8173d5eb-96b5-4aa6-a71b-ecfa153c123d'],
    },
    resourceTypes: ['aws_cloudtrail'],
  },
  check(ctx) {
    for (const trail of ctx.model.resourcesOfType('aws_cloudtrail')) {
      const multi = trail.attr('is_multi_region_trail');
      if (!multi || multi.value === null) ctx.report({ resource: trail, messageId: 'missing', fix: setFix(ctx, trail, 'is_multi_region_trail', 'true') });
      else if (!isUnknown(multi.value) && !isTrue(multi.value)) ctx.report({ resource: trail, messageId: 'incorrect', span: multi.span, file: multi.file, fix: setFix(ctx, trail, 'is_multi_region_trail', 'true') });
      const global = trail.attr('include_global_service_events');
      if (global && !isUnknown(global.value) && isFalse(global.value)) {
        ctx.report({ resource: trail, messageId: 'noGlobalEvents', span: global.span, file: global.file, fix: setFix(ctx, trail, 'include_global_service_events', 'true') });
      }
    }
  },
});
