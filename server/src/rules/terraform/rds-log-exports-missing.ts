// RDS instances and clusters export their database logs to CloudWatch Logs.

import { defineRule } from '../../engine/rule';
import { hcl, replaceFix, setFix } from './_fixes';
import { isUnknown } from '../../documents/terraform/values';

/** The log types each engine can export to CloudWatch Logs (what the fix writes). */
const LOG_TYPES: Record<string, string[]> = {
  postgres: ['postgresql', 'upgrade'],
  'aurora-postgresql': ['postgresql'],
  mysql: ['audit', 'error', 'general', 'slowquery'],
  mariadb: ['audit', 'error', 'general', 'slowquery'],
  'aurora-mysql': ['audit', 'error', 'general', 'slowquery'],
  aurora: ['audit', 'error', 'general', 'slowquery'],
  'oracle-ee': ['alert', 'audit', 'listener', 'trace'],
  'oracle-se2': ['alert', 'audit', 'listener', 'trace'],
  'sqlserver-ee': ['agent', 'error'],
  'sqlserver-se': ['agent', 'error'],
  'sqlserver-ex': ['error'],
  'sqlserver-web': ['agent', 'error'],
};

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
    fixable: true,
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
      // The fix exports every log type of the engine, when the engine is written as a known value.
      const engine = db.attr('engine')?.value;
      const types = typeof engine === 'string' ? LOG_TYPES[engine] : undefined;
      const value = types && hcl.strList(types);
      if (!exports || exports.value === null) {
        ctx.report({ resource: db, messageId: 'missing', fix: value ? setFix(ctx, db, 'enabled_cloudwatch_logs_exports', value) : undefined });
      } else if (Array.isArray(exports.value) && exports.value.length === 0) {
        ctx.report({ resource: db, messageId: 'incorrect', span: exports.span, file: exports.file, fix: value ? replaceFix(ctx, exports, value) : undefined });
      }
    }
  },
});
