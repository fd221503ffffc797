// EC2 instances and launch templates require IMDSv2 session tokens for the instance metadata service.

import type { BodyView, TfResource } from '../../documents/terraform/model';
import { isUnknown } from '../../documents/terraform/values';
import { defineRule, type TerraformRuleContext } from '../../engine/rule';
import { setFix, setPathFix } from './_fixes';

export default defineRule({
  meta: {
    id: 'terraform/ec2-imdsv2-not-required',
    platform: 'terraform',
    provider: 'aws',
    title: 'EC2 instances require IMDSv2 (metadata_options.http_tokens = "required")',
    severity: 'warning',
    controls: ['CLD.9.5.2'],
    messages: {
      missing: '"{{name}}" has no metadata_options: the instance metadata service also answers IMDSv1 requests, which a server-side request forgery can use to steal the instance role\'s credentials.',
      missingTokens: '"{{name}}" does not set metadata_options.http_tokens = "required": IMDSv1 requests are still answered.',
      incorrect: '"{{name}}" allows IMDSv1 (http_tokens = "{{value}}"); set it to "required".',
    },
    fixable: true,
    docs: {
      summary:
        'IMDSv1 hands out the instance role\'s temporary credentials to any plain HTTP GET from the host, so one server-side request forgery bug in an application is enough to steal them. IMDSv2 requires a session token obtained with a PUT request, which such bugs and most proxies cannot send.',
    },
    equivalents: {
      checkov: ['CKV_AWS_79'],
      trivy: ['AVD-AWS-0028', 'AWS-0028', 'aws-ec2-enforce-http-token-imds', 'AVD-AWS-0130', 'AWS-0130', 'aws-ec2-enforce-launch-config-http-token-imds'],
    },
    resourceTypes: ['aws_instance', 'aws_launch_template', 'aws_launch_configuration'],
  },
  check(ctx) {
    for (const res of ctx.model.resourcesOfType('aws_instance', 'aws_launch_template', 'aws_launch_configuration')) {
      const blocks = res.blocks('metadata_options');
      if (blocks.length === 0) {
        if (!res.hasDynamic('metadata_options')) ctx.report({ resource: res, messageId: 'missing', fix: setPathFix(ctx, res, 'metadata_options.http_tokens', '"required"') });
        continue;
      }
      judge(ctx, res, blocks[0]!);
    }
  },
});

function judge(ctx: TerraformRuleContext, res: TfResource, opts: BodyView): void {
  // A disabled metadata endpoint cannot leak anything.
  const endpoint = opts.attr('http_endpoint');
  if (endpoint && endpoint.value === 'disabled') return;
  const tokens = opts.attr('http_tokens');
  if (!tokens || tokens.value === null) {
    ctx.report({
      resource: res,
      messageId: 'missingTokens',
      span: { start: opts.block.start, end: opts.block.typeSpan.end },
      file: opts.file,
      fix: setFix(ctx, opts, 'http_tokens', '"required"'),
    });
    return;
  }
  if (isUnknown(tokens.value) || tokens.value === 'required') return;
  ctx.report({
    resource: res,
    messageId: 'incorrect',
    span: tokens.span,
    file: tokens.file,
    data: { value: String(tokens.value) },
    fix: ctx.fixer.fix('Set http_tokens = "required"', ctx.fixer.replaceValue(tokens.file, tokens.span, '"required"')),
  });
}
