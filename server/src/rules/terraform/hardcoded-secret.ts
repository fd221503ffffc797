// Passwords and AWS keys are not written into the configuration as literals.

import type { Expr, ObjectExpr } from '../../documents/terraform/ast';
import type { AttrView, BodyView, TfResource } from '../../documents/terraform/model';
import { isUnknown, type Value } from '../../documents/terraform/values';
import { defineRule, type TerraformRuleContext } from '../../engine/rule';

/** Where each resource type keeps a password or token: dotted paths through nested blocks. */
const SECRET_ATTRS: Record<string, string[]> = {
  aws_db_instance: ['password'],
  aws_rds_cluster: ['master_password'],
  aws_redshift_cluster: ['master_password'],
  aws_redshiftserverless_namespace: ['admin_user_password'],
  aws_docdb_cluster: ['master_password'],
  aws_dms_endpoint: ['password'],
  aws_directory_service_directory: ['password'],
  aws_elasticache_replication_group: ['auth_token'],
  aws_elasticache_user: ['passwords'],
  aws_memorydb_user: ['authentication_mode.passwords'],
  aws_mq_broker: ['user.password'],
  aws_opensearch_domain: ['advanced_security_options.master_user_options.master_user_password'],
  aws_elasticsearch_domain: ['advanced_security_options.master_user_options.master_user_password'],
  aws_secretsmanager_secret_version: ['secret_string'],
};

const ACCESS_KEY_ID = /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/;
/** Environment variable names that announce a secret value. */
const SECRET_NAME = /(?:secret|password|passwd|pwd|token|api_?key|access_?key|private_?key|credentials?)$/i;

/** True when the expression is written entirely with literals: no variable, local, resource or data reference. */
function isLiteralExpr(e: Expr, depth = 0): boolean {
  if (depth > 64) return false;
  const rec = (x: Expr): boolean => isLiteralExpr(x, depth + 1);
  switch (e.kind) {
    case 'literal':
      return true;
    case 'template':
    case 'heredoc':
      return e.parts.every((p) => p.kind === 'text' || (p.kind === 'interp' && rec(p.expr)));
    case 'tuple':
      return e.items.every(rec);
    case 'object':
      return e.items.every((i) => rec(i.value) && (i.keyName !== undefined || rec(i.key)));
    case 'paren':
      return rec(e.expr);
    case 'call':
      return !['file', 'templatefile', 'filebase64', 'timestamp', 'uuid'].includes(e.name) && e.args.every(rec);
    case 'binary':
      return rec(e.left) && rec(e.right);
    case 'unary':
      return rec(e.operand);
    case 'conditional':
      return rec(e.condition) && rec(e.then) && rec(e.else);
    default:
      return false;
  }
}

/** The known, non-blank strings inside a value (a string or a list of strings). */
function strings(v: Value): string[] {
  if (typeof v === 'string') return v.trim() === '' ? [] : [v];
  if (Array.isArray(v)) return v.flatMap((x) => (typeof x === 'string' && x.trim() !== '' ? [x] : []));
  return [];
}

/** Shows at most the first four characters of a secret. */
function mask(s: string): string {
  return `${s.slice(0, 4)}…`;
}

/** The attribute at a dotted path, following nested blocks (every block of a repeated type). */
function attrsAt(view: BodyView, path: string): AttrView[] {
  const [head, ...rest] = path.split('.');
  if (rest.length === 0) {
    const a = view.attr(head!);
    return a ? [a] : [];
  }
  return view.blocks(head!).flatMap((b) => attrsAt(b, rest.join('.')));
}

function checkPasswords(ctx: TerraformRuleContext, res: TfResource, paths: string[]): void {
  for (const path of paths) {
    for (const a of attrsAt(res, path)) {
      if (isUnknown(a.value) || !isLiteralExpr(a.node.expr)) continue;
      const found = strings(a.value);
      if (found.length === 0) continue;
      const key = found.map((s) => ACCESS_KEY_ID.exec(s)?.[0]).find((k) => k !== undefined);
      ctx.report({
        resource: res,
        messageId: key ? 'accessKey' : 'password',
        span: a.span,
        file: a.file,
        data: { attribute: a.node.name, masked: key ? mask(key) : '' },
      });
    }
  }
}

function checkSsmParameter(ctx: TerraformRuleContext, res: TfResource): void {
  const type = res.attr('type');
  if (!type || type.value !== 'SecureString') return;
  const value = res.attr('value');
  if (!value || isUnknown(value.value) || !isLiteralExpr(value.node.expr) || strings(value.value).length === 0) return;
  ctx.report({ resource: res, messageId: 'password', span: value.span, file: value.file, data: { attribute: 'value', masked: '' } });
}

function checkLambda(ctx: TerraformRuleContext, fn: TfResource): void {
  for (const env of fn.blocks('environment')) {
    const vars = env.attr('variables');
    if (!vars || vars.node.expr.kind !== 'object') continue;
    const obj: ObjectExpr = vars.node.expr;
    for (const item of obj.items) {
      if (!isLiteralExpr(item.value)) continue;
      const v = env.evaluate(item.value);
      if (typeof v !== 'string' || v.trim() === '') continue;
      const span = { start: item.start, end: item.end };
      const key = ACCESS_KEY_ID.exec(v)?.[0];
      if (key) {
        ctx.report({ resource: fn, messageId: 'lambdaAccessKey', span, file: vars.file, data: { variable: item.keyName ?? '?', masked: mask(key) } });
        continue;
      }
      const name = item.keyName;
      if (name && SECRET_NAME.test(name) && !/^(?:arn:|\/|\{\{resolve:)/.test(v.trim())) {
        ctx.report({ resource: fn, messageId: 'lambdaSecret', span, file: vars.file, data: { variable: name } });
      }
    }
  }
}

export default defineRule({
  meta: {
    id: 'terraform/hardcoded-secret',
    platform: 'terraform',
    provider: 'aws',
    title: 'Passwords and AWS access keys are not hard-coded in resources',
    severity: 'error',
    controls: ['9.2.4'],
    messages: {
      password: '"{{name}}" has a hard-coded {{attribute}}: the secret is readable by everyone with access to the code and its history.',
      accessKey: '"{{name}}" has an AWS access key ({{masked}}) hard-coded in {{attribute}}.',
      lambdaAccessKey: 'Lambda function "{{name}}" has an AWS access key ({{masked}}) hard-coded in environment variable {{variable}}.',
      lambdaSecret: 'Lambda function "{{name}}" has a hard-coded secret in environment variable {{variable}}.',
    },
    fixable: false,
    docs: {
      summary:
        'A secret written into Terraform ends up in version control, in every clone and CI log, and in plain text in the state, and it is rarely rotated afterwards. Generate it (random_password, manage_master_user_password) or read it from Secrets Manager or SSM at run time, and give functions an IAM role instead of access keys.',
    },
    equivalents: {
      checkov: ['CKV_AWS_45'],
      kics: ['1402afd8-a95c-4e84-8b0b-6fb43758e6ce'],
    },
    resourceTypes: [...Object.keys(SECRET_ATTRS), 'aws_ssm_parameter', 'aws_lambda_function'],
  },
  check(ctx) {
    for (const [type, paths] of Object.entries(SECRET_ATTRS)) {
      for (const res of ctx.model.resourcesOfType(type)) checkPasswords(ctx, res, paths);
    }
    for (const p of ctx.model.resourcesOfType('aws_ssm_parameter')) checkSsmParameter(ctx, p);
    for (const fn of ctx.model.resourcesOfType('aws_lambda_function')) checkLambda(ctx, fn);
  },
});
