// EKS clusters envelope-encrypt Kubernetes secrets with a KMS key.

import { defineRule } from '../../engine/rule';
import { requireSetting } from './_encryption';

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
    fixable: false,
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
      requireSetting(ctx, c, c, 'encryption_config.resources', (v) => Array.isArray(v) && v.some((x) => x === 'secrets'));
    }
  },
});
