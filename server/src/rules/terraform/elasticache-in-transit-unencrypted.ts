// ElastiCache replication groups encrypt traffic between clients and nodes.

import { defineRule } from '../../engine/rule';
import { expectAttr, isTrue } from './helpers';

export default defineRule({
  meta: {
    id: 'terraform/elasticache-in-transit-unencrypted',
    platform: 'terraform',
    provider: 'aws',
    title: 'ElastiCache replication groups encrypt data in transit',
    severity: 'warning',
    controls: ['10.1.1'],
    messages: {
      missing: 'Replication group "{{name}}" does not set transit_encryption_enabled: cache traffic is unencrypted.',
      incorrect: 'Replication group "{{name}}" has transit_encryption_enabled turned off: cache traffic is unencrypted.',
    },
    fixable: true,
    docs: {
      summary:
        'Without in-transit encryption, commands, cached values and AUTH tokens cross the network in clear text between clients and cache nodes, and between the nodes themselves. Enable transit_encryption_enabled so that Redis/Valkey connections use TLS.',
    },
    equivalents: {
      checkov: ['CKV_AWS_30'],
      trivy: ['AVD-AWS-0051', 'AWS-0051', 'aws-elasticache-enable-in-transit-encryption'],
      kics: ['1afbb3fa-cf6c-4a3d-b730-95e9f4df343e'],
    },
    resourceTypes: ['aws_elasticache_replication_group'],
  },
  check(ctx) {
    expectAttr(ctx, { types: ['aws_elasticache_replication_group'], path: 'transit_encryption_enabled', ok: isTrue, fix: { value: 'true' } });
  },
});
