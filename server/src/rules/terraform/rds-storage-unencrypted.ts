// RDS instances and clusters (and the snapshots taken of them) have encrypted storage.

import { defineRule } from '../../engine/rule';
import { dbInstanceEncryption, rdsClusterEncryption, type EncryptionState, type TfResource } from './_encryption';

export default defineRule({
  meta: {
    id: 'terraform/rds-storage-unencrypted',
    platform: 'terraform',
    provider: 'aws',
    title: 'RDS database instances and clusters have encrypted storage',
    severity: 'warning',
    controls: ['10.1.1'],
    messages: {
      missing: 'Database "{{name}}" does not set storage_encrypted = true, so its storage, backups and snapshots are unencrypted.',
      incorrect: 'Database "{{name}}" has storage encryption turned off.',
      snapshot: 'Snapshot "{{name}}" is taken from "{{source}}", whose storage is unencrypted, so the snapshot is unencrypted too.',
    },
    fixable: true,
    docs: {
      summary:
        'RDS storage encryption covers the database files, its automated backups, read replicas and snapshots. It can only be chosen when the database is created, so leaving it off means a migration later; and an unencrypted snapshot can be copied or shared in readable form.',
    },
    equivalents: {
      checkov: ['CKV_AWS_16', 'CKV_AWS_96'],
      trivy: [
        'AVD-AWS-0080',
        'AWS-0080',
        'aws-rds-encrypt-instance-storage-data',
        'AVD-AWS-0079',
        'AWS-0079',
        'aws-rds-encrypt-cluster-storage-data',
      ],
      kics: [
        '08bd0760-8752-44e1-9779-7bb369b2b4e4',
        '3199c26c-7871-4cb3-99c2-10a59244ce7f',
        '656880aa-1388-488f-a6d4-8f73c23149b2',
        '1a690d1d-0ae7-49fa-b2db-b75ae0dd1d3e',
      ],
    },
    resourceTypes: ['aws_db_instance', 'aws_rds_cluster', 'aws_db_snapshot', 'aws_db_cluster_snapshot'],
  },
  check(ctx) {
    const judge = (db: TfResource, state: EncryptionState, snapshotType: string, via: string, names: string): void => {
      if (state.kind !== 'unencrypted') return;
      const fix = ctx.fixer.fix(
        `Set storage_encrypted = true on ${db.address} (the database is replaced; migrate its data)`,
        state.attr ? ctx.fixer.replaceValue(state.attr.file, state.attr.span, 'true') : ctx.fixer.set(db, 'storage_encrypted', 'true'),
      );
      if (state.attr) ctx.report({ resource: db, messageId: 'incorrect', span: state.attr.span, file: state.attr.file, fix });
      else ctx.report({ resource: db, messageId: 'missing', fix });
      for (const snap of ctx.model.linked(db, snapshotType, [via], [names])) {
        ctx.report({
          resource: snap,
          messageId: 'snapshot',
          data: { name: snap.address, source: db.address },
          related: [{ file: state.attr?.file ?? db.file, span: state.attr?.span ?? db.headerSpan, message: 'unencrypted source database' }],
          fix,
        });
      }
    };
    for (const db of ctx.model.resourcesOfType('aws_db_instance')) {
      judge(db, dbInstanceEncryption(db), 'aws_db_snapshot', 'db_instance_identifier', 'identifier');
    }
    for (const cluster of ctx.model.resourcesOfType('aws_rds_cluster')) {
      judge(cluster, rdsClusterEncryption(cluster), 'aws_db_cluster_snapshot', 'db_cluster_identifier', 'cluster_identifier');
    }
  },
});
