// CloudFront distributions write standard access logs.

import { defineRule } from '../../engine/rule';
import { hcl, placeholder } from './_fixes';

export default defineRule({
  meta: {
    id: 'terraform/cloudfront-access-logging-disabled',
    platform: 'terraform',
    provider: 'aws',
    title: 'CloudFront distributions have access logging enabled',
    severity: 'warning',
    controls: ['12.4.1', 'CLD.12.4.5'],
    messages: {
      missing: 'CloudFront distribution "{{name}}" has no logging_config: viewer requests are not recorded.',
    },
    fixable: true,
    docs: {
      summary:
        'A CloudFront distribution is the public face of a site or API, and its access logs are the record of who requested what from where. Without them, abuse such as scraping, credential stuffing or probing for vulnerabilities cannot be traced.',
    },
    equivalents: {
      checkov: ['CKV_AWS_86'],
      trivy: ['AVD-AWS-0010', 'AWS-0010', 'aws-cloudfront-enable-logging'],
      kics: ['94690d79-b3b0-43de-b656-84ebef5753e5'],
    },
    resourceTypes: ['aws_cloudfront_distribution', 'aws_cloudwatch_log_delivery_source'],
  },
  check(ctx) {
    for (const dist of ctx.model.resourcesOfType('aws_cloudfront_distribution')) {
      if (dist.blocks('logging_config').length > 0 || dist.hasDynamic('logging_config')) continue;
      // Standard logging v2: a CloudWatch log delivery source pointing at the distribution.
      if (ctx.model.linked(dist, 'aws_cloudwatch_log_delivery_source', ['resource_arn']).length > 0) continue;
      const fix = ctx.fixer.fix(
        'Add logging_config to an S3 bucket (placeholder to fill in)',
        ctx.fixer.insert(dist, [hcl.block('logging_config', [hcl.attr('bucket', placeholder('log bucket domain name, e.g. my-logs.s3.amazonaws.com')), hcl.attr('include_cookies', 'false')])]),
        { placeholder: true },
      );
      ctx.report({ resource: dist, messageId: 'missing', fix });
    }
  },
});
