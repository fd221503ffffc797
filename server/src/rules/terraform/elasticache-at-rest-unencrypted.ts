// ElastiCache replication groups encrypt their data at rest.

import { defineRule } from '../../engine/rule';
import { isSet, isTrue, isUnknown, requireSetting, setting } from './_encryption';

export default defineRule({
  meta: {
    id: 'terraform/elasticache-at-rest-unencrypted',
    platform: 'terraform',
    provider: 'aws',
    title: 'ElastiCache replication groups are encrypted at rest',
    severity: 'warning',
    controls: ['10.1.1'],
    messages: {
      missing: 'Replication group "{{name}}" does not set at_rest_encryption_enabled = true, so its disks and backups are unencrypted.',
      incorrect: 'Replication group "{{name}}" has encryption at rest turned off.',
    },
    fixable: true,
    docs: {
      summary:
        'Caches hold copies of sessions, tokens and query results, and their backups are written to disk and S3. Encryption at rest protects those copies and can only be chosen when the replication group is created.',
    },
    equivalents: {
      checkov: ['CKV_AWS_29'],
      trivy: ['AVD-AWS-0045', 'AWS-0045', 'aws-elasticache-enable-at-rest-encryption'],
      kics: ['76976de7-c7b1-4f64-a94f-90c1345914c2'],
    },
    resourceTypes: ['aws_elasticache_replication_group'],
  },
  check(ctx) {
    for (const rg of ctx.model.resourcesOfType('aws_elasticache_replication_group')) {
      // Valkey groups are encrypted unless told otherwise; a member of a global datastore inherits the primary's setting.
      const engine = setting(rg, 'engine');
      const safeDefault =
        (engine !== undefined && (isUnknown(engine.value) || engine.value === 'valkey')) || isSet(rg, 'global_replication_group_id');
      requireSetting(ctx, rg, rg, 'at_rest_encryption_enabled', isTrue, { reportMissing: !safeDefault, fix: { value: 'true', title: 'Set at_rest_encryption_enabled = true (the replication group is replaced)' } });
    }
  },
});
