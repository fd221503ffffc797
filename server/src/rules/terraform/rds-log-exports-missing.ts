// RDS instances and clusters export their database logs to CloudWatch Logs.

import { defineRule } from '../../engine/rule';
import { isUnknown } from '../../documents/terraform/values';

export default defineRule({
  meta: {
    id: 'terraform/rds-log-exports-missing',
    platform: 'terraform',
    provider: 'aws',
    title: 'RDS databases export their logs to CloudWatch Logs',
    severity: 'warning',
    controls: ['12.4.1', 'CLD.12.4.5'],
    messages: {
      missing: 'RDS database "{{name}}" exports no logs (enabled_cloudwatch_logs_exports is not set): connection, error and audit logs stay on the instance and are rotated away.',
      incorrect: 'RDS database "{{name}}" exports no logs: enabled_cloudwatch_logs_exports is empty.',
    },
    fixable: false,
    docs: {
      summary:
        'Database engine logs (errors, connections, slow or audit queries) only live on the instance for a short time unless they are published to CloudWatch Logs. Exporting them keeps evidence of failed logins and suspicious queries beyond a restart, and lets alarms watch them.',
    },
    equivalents: {
      checkov: ['CKV_AWS_129', 'CKV_AWS_324'],
      kics: ['8d7f7b8c-6c7c-40f8-baa6-62006c6c7b56'],
    },
    resourceTypes: ['aws_db_instance', 'aws_rds_cluster'],
  },
  check(ctx) {
    for (const db of ctx.model.resourcesOfType('aws_db_instance', 'aws_rds_cluster')) {
      if (db.type === 'aws_rds_cluster') {
        // Aurora Serverless v1 cannot export logs.
        const mode = db.attr('engine_mode');
        if (mode && (isUnknown(mode.value) || mode.value === 'serverless')) continue;
      }
      const exports = db.attr('enabled_cloudwatch_logs_exports');
      if (!exports || exports.value === null) {
        ctx.report({ resource: db, messageId: 'missing' });
      } else if (Array.isArray(exports.value) && exports.value.length === 0) {
        ctx.report({ resource: db, messageId: 'incorrect', span: exports.span, file: exports.file });
      }
    }
  },
});
