// EKS clusters envelope-encrypt Kubernetes secrets with a KMS key.

import { defineRule } from '../../engine/rule';
import { hcl, placeholder, replaceFix, setFix, type FixSpec } from './_fixes';
import { requireSetting, type Verdict } from './_encryption';

export default defineRule({
  meta: {
    id: 'terraform/eks-secrets-unencrypted',
    platform: 'terraform',
    provider: 'aws',
    title: 'EKS clusters encrypt Kubernetes secrets with a KMS key',
    severity: 'warning',
    controls: ['10.1.1', '10.1.2'],
    messages: {
      missing: 'EKS cluster "{{name}}" has no encryption_config for "secrets", so Kubernetes secrets are not envelope-encrypted with a KMS key you control.',
      incorrect: 'EKS cluster "{{name}}" has an encryption_config that does not include "secrets".',
    },
    fixable: true,
    docs: {
      summary:
        'Kubernetes secrets hold passwords, tokens and certificates and are stored in etcd. Envelope encryption with a customer KMS key adds a layer that only principals allowed on the key can remove, and lets you audit and revoke access to the secrets independently of the cluster.',
    },
    equivalents: {
      checkov: ['CKV_AWS_58'],
      trivy: ['AVD-AWS-0039', 'AWS-0039', 'aws-eks-encrypt-secrets'],
      kics: ['63ebcb19-2739-4d3f-aa5c-e8bbb9b85281'],
    },
    resourceTypes: ['aws_eks_cluster'],
  },
  check(ctx) {
    for (const c of ctx.model.resourcesOfType('aws_eks_cluster')) {
      const fixWith = (v: Verdict): FixSpec | undefined => {
        const config = c.blocks('encryption_config')[0];
        if (v.kind === 'incorrect') {
          const e = v.attr.node.expr;
          const plain = e.kind === 'tuple' && e.items.every((x) => x.kind === 'template' && x.parts.every((p) => p.kind === 'text'));
          const list = Array.isArray(v.attr.value) ? (v.attr.value as string[]) : [];
          return plain ? replaceFix(ctx, v.attr, hcl.strList([...list, 'secrets']), 'Add "secrets" to encryption_config.resources') : undefined;
        }
        if (config) return setFix(ctx, config, 'resources', hcl.strList(['secrets']));
        return ctx.fixer.fix(
          'Add encryption_config for "secrets" with a KMS key (placeholder to fill in)',
          ctx.fixer.insert(c, [
            hcl.block('encryption_config', [
              hcl.attr('resources', hcl.strList(['secrets'])),
              hcl.block('provider', [hcl.attr('key_arn', placeholder('ARN of a customer-managed KMS key for EKS secrets'))]),
            ]),
          ]),
          { placeholder: true },
        );
      };
      requireSetting(ctx, c, c, 'encryption_config.resources', (v) => Array.isArray(v) && v.some((x) => x === 'secrets'), { fixWith });
    }
  },
});
