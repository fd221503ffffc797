// EC2 instances get AWS access through an instance profile, not through access keys written onto the host.

import type { Span } from '../../documents/terraform/ast';
import type { BodyView } from '../../documents/terraform/model';
import { isUnknown, type Value } from '../../documents/terraform/values';
import { defineRule } from '../../engine/rule';

/** Text that sets up static AWS credentials on a host. */
const CREDENTIALS = /AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|aws_access_key_id|aws_secret_access_key|\.aws\/credentials|\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/;
const BASE64_RUN = /[A-Za-z0-9+/]{16,}={0,2}/g;

function decode(b64: string): string {
  return Buffer.from(b64, 'base64').toString('latin1');
}

/** True when the text (or a base64 run inside it) configures AWS access keys. */
function mentionsCredentials(text: string): boolean {
  if (CREDENTIALS.test(text)) return true;
  const compact = text.replace(/\s+/g, '');
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(compact) && CREDENTIALS.test(decode(compact))) return true;
  for (const m of text.matchAll(BASE64_RUN)) {
    for (let shift = 0; shift < 4; shift++) if (CREDENTIALS.test(decode(m[0].slice(shift)))) return true;
  }
  return false;
}

/** Every known string inside a value. */
function texts(v: Value, depth = 0): string[] {
  if (depth > 16 || isUnknown(v) || v === null) return [];
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap((x) => texts(x, depth + 1));
  if (typeof v === 'object') return Object.values(v).flatMap((x) => texts(x, depth + 1));
  return [];
}

function provisionerHit(p: BodyView): boolean {
  for (const item of p.block.body.items) {
    if (item.kind !== 'attribute') continue;
    const a = p.attr(item.name);
    if (a && texts(a.value).some(mentionsCredentials)) return true;
  }
  return false;
}

export default defineRule({
  meta: {
    id: 'terraform/ec2-instance-uses-api-keys',
    platform: 'terraform',
    provider: 'aws',
    title: 'EC2 instances use an instance profile, not AWS access keys placed on the host',
    severity: 'error',
    controls: ['9.2.4', 'CLD.9.5.2'],
    messages: {
      userData: '"{{name}}" writes AWS access keys onto the instance through {{attribute}}: use an IAM instance profile instead.',
      provisioner: '"{{name}}" installs AWS access keys on the instance with a "{{provisioner}}" provisioner: use an IAM instance profile instead.',
    },
    fixable: false,
    docs: {
      summary:
        'Keys copied onto a server are long-lived, shared by every process on it, visible in user data and the Terraform state, and seldom rotated. An instance profile delivers short-lived credentials that rotate automatically and disappear with the instance.',
    },
    equivalents: {
      checkov: ['CKV_AWS_46'],
      trivy: ['AVD-AWS-0029', 'AWS-0029', 'aws-ec2-no-secrets-in-user-data', 'AVD-AWS-0129', 'AWS-0129', 'aws-ec2-no-secrets-in-launch-template-user-data'],
      kics: ['0b93729a-d882-4803-bdc3-ac429a21f158'],
    },
    resourceTypes: ['aws_instance', 'aws_launch_template', 'aws_launch_configuration', 'aws_spot_instance_request'],
  },
  check(ctx) {
    for (const res of ctx.model.resourcesOfType('aws_instance', 'aws_launch_template', 'aws_launch_configuration', 'aws_spot_instance_request')) {
      for (const name of ['user_data', 'user_data_base64']) {
        const a = res.attr(name);
        if (!a || typeof a.value !== 'string' || !mentionsCredentials(a.value)) continue;
        ctx.report({
          resource: res,
          messageId: 'userData',
          data: { attribute: name },
          related: [{ file: a.file, span: a.span, message: 'the user data that sets up the keys' }],
        });
      }
      for (const p of res.blocks('provisioner')) {
        if (!provisionerHit(p)) continue;
        const span: Span = { start: p.block.start, end: p.block.labels[0]?.end ?? p.block.typeSpan.end };
        ctx.report({ resource: res, messageId: 'provisioner', span, file: p.file, data: { provisioner: p.block.labels[0]?.value ?? '' } });
      }
    }
  },
});
