// API Gateway stages (REST v1 and HTTP/WebSocket v2) write access logs.

import { defineRule } from '../../engine/rule';
import { isUnknown } from '../../documents/terraform/values';

export default defineRule({
  meta: {
    id: 'terraform/api-gateway-access-logging-disabled',
    platform: 'terraform',
    provider: 'aws',
    title: 'API Gateway stages have access logging enabled',
    severity: 'warning',
    controls: ['12.4.1', 'CLD.12.4.5'],
    messages: {
      missing: 'API Gateway stage "{{name}}" has no access_log_settings: calls to the API are not recorded.',
      incorrect: 'API Gateway stage "{{name}}" has access_log_settings without a destination.',
    },
    fixable: false,
    docs: {
      summary:
        'Access logs record each call to the API with the caller, the route and the result. They are how misuse of an API key, an enumeration attack or an unexpected spike is noticed and investigated, and they are off until a destination log group is configured.',
    },
    equivalents: {
      checkov: ['CKV_AWS_76'],
      trivy: ['AVD-AWS-0001', 'AWS-0001', 'aws-apigateway-enable-access-logging'],
      kics: ['1b6799eb-4a7a-4b04-9001-8cceb9999326'],
    },
    resourceTypes: ['aws_api_gateway_stage', 'aws_apigatewayv2_stage'],
  },
  check(ctx) {
    for (const stage of ctx.model.resourcesOfType('aws_api_gateway_stage', 'aws_apigatewayv2_stage')) {
      const settings = stage.blocks('access_log_settings');
      if (settings.length === 0) {
        if (!stage.hasDynamic('access_log_settings')) ctx.report({ resource: stage, messageId: 'missing' });
        continue;
      }
      const dest = settings[0]!.attr('destination_arn');
      if (!dest || dest.value === null) {
        ctx.report({ resource: stage, messageId: 'incorrect', span: { start: settings[0]!.block.start, end: settings[0]!.block.typeSpan.end }, file: settings[0]!.file });
      } else if (!isUnknown(dest.value) && typeof dest.value === 'string' && dest.value.trim() === '') {
        ctx.report({ resource: stage, messageId: 'incorrect', span: dest.span, file: dest.file });
      }
    }
  },
});
