// OpenSearch/Elasticsearch domains only accept HTTPS, with a TLS 1.2+ policy.

import { defineRule } from '../../engine/rule';
import { hcl, replaceFix } from './_fixes';
import { isFalse, isUnknown } from './helpers';

const OUTDATED_POLICIES = new Set(['Policy-Min-TLS-1-0-2019-07']);
/** What the fixes write. */
const TLS12_POLICY = 'Policy-Min-TLS-1-2-2019-07';

export default defineRule({
  meta: {
    id: 'terraform/opensearch-https-not-enforced',
    platform: 'terraform',
    provider: 'aws',
    title: 'OpenSearch domains enforce HTTPS with TLS 1.2 or later',
    severity: 'warning',
    controls: ['10.1.1'],
    messages: {
      missing: 'Domain "{{name}}" has no domain_endpoint_options, so its endpoint also accepts plain HTTP.',
      incorrect: 'Domain "{{name}}" has enforce_https turned off: its endpoint accepts plain HTTP.',
      outdatedTls: 'Domain "{{name}}" uses TLS policy "{{policy}}", which still accepts TLS 1.0 and 1.1.',
    },
    fixable: true,
    docs: {
      summary:
        'Search domains hold and return indexed business data. Without enforced HTTPS, queries, results and credentials can be sent in clear text; with the TLS 1.0 policy, clients can negotiate outdated protocols. Set enforce_https = true and tls_security_policy = "Policy-Min-TLS-1-2-2019-07" (or newer).',
    },
    equivalents: {
      checkov: ['CKV_AWS_83', 'CKV_AWS_228'],
      trivy: ['AVD-AWS-0046', 'AWS-0046', 'aws-elasticsearch-enforce-https', 'AVD-AWS-0126', 'AWS-0126', 'aws-elasticsearch-use-secure-tls-policy'],
      kics: ['2e9e0729-66d5-4148-9d39-5e6fb4bf2a4e'],
    },
    resourceTypes: ['aws_opensearch_domain', 'aws_elasticsearch_domain'],
  },
  check(ctx) {
    for (const domain of ctx.model.resourcesOfType('aws_opensearch_domain', 'aws_elasticsearch_domain')) {
      const opts = domain.blocks('domain_endpoint_options');
      if (opts.length === 0) {
        if (!domain.hasDynamic('domain_endpoint_options')) {
          ctx.report({
            resource: domain,
            messageId: 'missing',
            fix: ctx.fixer.fix(
              'Add domain_endpoint_options enforcing HTTPS with TLS 1.2',
              ctx.fixer.insert(domain, [hcl.block('domain_endpoint_options', [hcl.attr('enforce_https', 'true'), hcl.attr('tls_security_policy', hcl.str(TLS12_POLICY))])]),
            ),
          });
        }
        continue;
      }
      const o = opts[0]!;
      // Inside the block, enforce_https defaults to true.
      const enforce = o.attr('enforce_https');
      if (enforce && !isUnknown(enforce.value) && isFalse(enforce.value)) {
        ctx.report({ resource: domain, messageId: 'incorrect', span: enforce.span, file: enforce.file, fix: replaceFix(ctx, enforce, 'true') });
        continue;
      }
      const policy = o.attr('tls_security_policy');
      if (policy && typeof policy.value === 'string' && OUTDATED_POLICIES.has(policy.value)) {
        ctx.report({ resource: domain, messageId: 'outdatedTls', span: policy.span, file: policy.file, data: { policy: policy.value }, fix: replaceFix(ctx, policy, hcl.str(TLS12_POLICY)) });
      }
    }
  },
});
