// OpenSearch / Elasticsearch domains encrypt their data at rest.

import { defineRule } from '../../engine/rule';
import { isTrue, requireSetting } from './_encryption';

const TYPES = ['aws_elasticsearch_domain', 'aws_opensearch_domain'];

export default defineRule({
  meta: {
    id: 'terraform/opensearch-at-rest-unencrypted',
    platform: 'terraform',
    provider: 'aws',
    title: 'OpenSearch and Elasticsearch domains are encrypted at rest',
    severity: 'warning',
    controls: ['10.1.1'],
    messages: {
      missing: 'Search domain "{{name}}" does not enable encrypt_at_rest, so its indices, logs and snapshots are stored unencrypted.',
      incorrect: 'Search domain "{{name}}" has encryption at rest turned off.',
    },
    fixable: true,
    docs: {
      summary:
        'Search clusters index copies of application data, often including personal data and log contents. Encryption at rest covers the indices, swap files and automated snapshots of the domain, and enabling it later requires a blue/green rebuild of the domain.',
    },
    equivalents: {
      checkov: ['CKV_AWS_5'],
      trivy: ['AVD-AWS-0048', 'AWS-0048', 'aws-elasticsearch-enable-domain-encryption'],
      kics: ['24e16922-4330-4e9d-be8a-caa90299466a'],
    },
    resourceTypes: TYPES,
  },
  check(ctx) {
    for (const d of ctx.model.resourcesOfType(...TYPES)) requireSetting(ctx, d, d, 'encrypt_at_rest.enabled', isTrue, { fix: { value: 'true' } });
  },
});
