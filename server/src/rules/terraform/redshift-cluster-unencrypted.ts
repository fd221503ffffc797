// Redshift clusters are encrypted at rest.

import { defineRule } from '../../engine/rule';
import { isSet, isTrue, requireSetting } from './_encryption';

export default defineRule({
  meta: {
    id: 'terraform/redshift-cluster-unencrypted',
    platform: 'terraform',
    provider: 'aws',
    title: 'Redshift clusters are encrypted at rest',
    severity: 'warning',
    controls: ['10.1.1'],
    messages: {
      missing: 'Redshift cluster "{{name}}" does not set encrypted = true, so its data blocks and snapshots may be stored unencrypted.',
      incorrect: 'Redshift cluster "{{name}}" has encryption at rest turned off.',
    },
    fixable: true,
    docs: {
      summary:
        'A data warehouse concentrates large amounts of business and personal data in one place. Encrypting the cluster protects its data blocks, system metadata and snapshots; stating it explicitly avoids depending on a provider or service default.',
    },
    equivalents: {
      checkov: ['CKV_AWS_64'],
      kics: ['cfdcabb0-fc06-427c-865b-c59f13e898ce'],
    },
    resourceTypes: ['aws_redshift_cluster'],
  },
  check(ctx) {
    for (const c of ctx.model.resourcesOfType('aws_redshift_cluster')) {
      // A cluster restored from a snapshot is encrypted like the snapshot when it does not say otherwise.
      requireSetting(ctx, c, c, 'encrypted', isTrue, {
        reportMissing: !isSet(c, 'snapshot_identifier') && !isSet(c, 'snapshot_arn'),
        fix: { value: 'true' },
      });
    }
  },
});
