// Instance user data does not carry private keys, in clear or base64-encoded.

import { isUnknown } from '../../documents/terraform/values';
import { defineRule } from '../../engine/rule';

const PRIVATE_KEY = /-----BEGIN[A-Z0-9 ]*PRIVATE KEY/;
/** Runs of base64 long enough to hide a PEM header. */
const BASE64_RUN = /[A-Za-z0-9+/]{16,}={0,2}/g;

function decode(b64: string): string {
  try {
    return Buffer.from(b64, 'base64').toString('latin1');
  } catch {
    return '';
  }
}

/** How a private key appears in the text: `clear`, `base64` (also base64 inside base64), or undefined. */
function findPrivateKey(text: string, depth = 0): 'clear' | 'base64' | undefined {
  if (PRIVATE_KEY.test(text)) return depth === 0 ? 'clear' : 'base64';
  if (depth >= 2) return undefined;
  const compact = text.replace(/\s+/g, '');
  if (compact.length >= 16 && /^[A-Za-z0-9+/]+={0,2}$/.test(compact) && findPrivateKey(decode(compact), depth + 1)) return 'base64';
  for (const m of text.matchAll(BASE64_RUN)) {
    // Try every alignment, since the run may start in the middle of a 4-character group.
    for (let shift = 0; shift < 4; shift++) {
      if (findPrivateKey(decode(m[0].slice(shift)), depth + 1)) return 'base64';
    }
  }
  return undefined;
}

const ATTRS = ['user_data', 'user_data_base64'];

export default defineRule({
  meta: {
    id: 'terraform/user-data-private-key',
    platform: 'terraform',
    provider: 'aws',
    title: 'Instance user data contains no private keys',
    severity: 'error',
    controls: ['9.2.4', '10.1.2'],
    messages: {
      clear: '"{{name}}" has a private key in {{attribute}}: anyone who can describe the instance attributes or read the code can copy it.',
      base64: '"{{name}}" has a base64-encoded private key in {{attribute}}: encoding is not protection, anyone who can read the user data can decode it.',
    },
    fixable: false,
    docs: {
      summary:
        'User data is readable by anyone allowed to describe the instance or launch template, by every process on the host through the metadata service, and it sits in the code and in the Terraform state. A private key placed there is effectively shared; fetch it at boot from Secrets Manager or SSM Parameter Store with the instance role instead.',
    },
    equivalents: {
      checkov: ['CKV_AWS_46'],
      kics: ['443488f5-c734-460b-a36d-5b3f330174dc'],
    },
    resourceTypes: ['aws_instance', 'aws_launch_template', 'aws_launch_configuration', 'aws_spot_instance_request'],
  },
  check(ctx) {
    for (const res of ctx.model.resourcesOfType('aws_instance', 'aws_launch_template', 'aws_launch_configuration', 'aws_spot_instance_request')) {
      for (const name of ATTRS) {
        const a = res.attr(name);
        if (!a || isUnknown(a.value) || typeof a.value !== 'string' || a.value === '') continue;
        const how = findPrivateKey(a.value);
        if (how) ctx.report({ resource: res, messageId: how, span: a.span, file: a.file, data: { attribute: name } });
      }
    }
  },
});
