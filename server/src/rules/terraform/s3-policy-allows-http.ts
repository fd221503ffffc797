// S3 bucket policies refuse requests that do not use TLS (aws:SecureTransport = false).

import type { Policy, PolicyStatement } from './_policy';
import { conditionValues, isAllow, isDeny, isKnown, readPolicyAttr, reportOnPolicy } from './_policy';
import { defineRule } from '../../engine/rule';

const BOOL = /^bool(ifexists)?$/i;

/** `known` when the statement's SecureTransport condition is readable, with the values it tests. */
function secureTransport(s: PolicyStatement): { known: boolean; values: string[] } {
  const values = conditionValues(s, BOOL, 'aws:SecureTransport');
  if (values === undefined) return { known: true, values: [] };
  if (!Array.isArray(values) || !values.every(isKnown)) return { known: false, values: [] };
  return { known: true, values: values.map((v) => v.toLowerCase()) };
}

/** True when the policy denies plain-HTTP requests, or only allows TLS ones; undefined when it cannot be told. */
function enforcesTls(policy: Policy): boolean | undefined {
  let unsure = !policy.complete;
  for (const s of policy.statements) {
    if (!isKnown(s.effect)) {
      unsure = true;
      continue;
    }
    const st = secureTransport(s);
    if (!st.known) {
      unsure = true;
      continue;
    }
    if (isDeny(s) && st.values.includes('false')) return true;
    if (isAllow(s) && st.values.includes('true')) return true;
  }
  return unsure ? undefined : false;
}

export default defineRule({
  meta: {
    id: 'terraform/s3-policy-allows-http',
    platform: 'terraform',
    provider: 'aws',
    title: 'S3 bucket policies deny requests that do not use TLS',
    severity: 'warning',
    controls: ['10.1.1'],
    messages: {
      incorrect: 'The policy of "{{name}}" does not deny S3 requests made without TLS (aws:SecureTransport = false).',
    },
    fixable: false,
    docs: {
      summary:
        'S3 still answers plain-HTTP requests unless the bucket policy refuses them, so objects and signed requests can travel unencrypted. Add a Deny statement for all principals and actions with the condition Bool aws:SecureTransport = "false".',
    },
    equivalents: {
      kics: ['4bc4dd4c-7d8d-405e-a0fb-57fa4c31b4d9'],
    },
    resourceTypes: ['aws_s3_bucket', 'aws_s3_bucket_policy'],
  },
  check(ctx) {
    for (const res of ctx.model.resourcesOfType('aws_s3_bucket', 'aws_s3_bucket_policy')) {
      const read = readPolicyAttr(ctx.model, res, 'policy');
      if (!read || !read.policy) continue;
      if (enforcesTls(read.policy) !== false) continue;
      reportOnPolicy(ctx, res, { attr: read.attr, policy: read.policy }, 'policy document without a TLS-only condition');
    }
  },
});
