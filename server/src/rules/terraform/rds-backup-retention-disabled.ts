// RDS instances and clusters keep automated backups.

import { defineRule } from '../../engine/rule';
import { replaceFix } from './_fixes';
import { asNumber, isUnknown } from '../../documents/terraform/values';

export default defineRule({
  meta: {
    id: 'terraform/rds-backup-retention-disabled',
    platform: 'terraform',
    provider: 'aws',
    title: 'RDS databases keep automated backups',
    severity: 'warning',
    controls: ['12.3.1'],
    messages: {
      incorrect: 'RDS database "{{name}}" has backup_retention_period = 0: automated backups and point-in-time restore are turned off.',
    },
    fixable: true,
    docs: {
      summary:
        'A retention period of zero switches off automated snapshots and transaction-log backups, so a dropped table, a bad migration or ransomware inside the database cannot be rolled back. Keep at least a few days of automated backups (read replicas are exempt: they copy their source).',
    },
    equivalents: {
      checkov: ['CKV_AWS_133'],
      kics: ['1dc73fb4-5b51-430c-8c5f-25dcf9090b02'],
    },
    resourceTypes: ['aws_db_instance', 'aws_rds_cluster'],
  },
  check(ctx) {
    for (const db of ctx.model.resourcesOfType('aws_db_instance', 'aws_rds_cluster')) {
      const replica = db.attr('replicate_source_db') ?? db.attr('replication_source_identifier');
      if (replica && replica.value !== null) continue;
      const period = db.attr('backup_retention_period');
      if (!period || period.value === null) continue; // AWS defaults to one day.
      const n = asNumber(period.value);
      if (!isUnknown(n) && n <= 0) ctx.report({ resource: db, messageId: 'incorrect', span: period.span, file: period.file, fix: replaceFix(ctx, period, '7') });
    }
  },
});
