// EKS clusters send their control plane logs (at least API and audit) to CloudWatch Logs.

import { defineRule } from '../../engine/rule';
import { hcl, replaceFix, setFix } from './_fixes';
import { isUnknown } from '../../documents/terraform/values';

/** The log types without which cluster administration leaves no trace. */
const REQUIRED = ['api', 'audit', 'authenticator'];

export default defineRule({
  meta: {
    id: 'terraform/eks-control-plane-logging-disabled',
    platform: 'terraform',
    provider: 'aws',
    title: 'EKS clusters log their control plane (api, audit, authenticator)',
    severity: 'warning',
    controls: ['12.4.1', '12.4.3', 'CLD.12.4.5'],
    messages: {
      missing: 'EKS cluster "{{name}}" has control plane logging off (enabled_cluster_log_types is not set): Kubernetes API and audit events are not recorded.',
      incorrect: 'EKS cluster "{{name}}" has control plane logging off: enabled_cluster_log_types is empty.',
      incomplete: 'EKS cluster "{{name}}" does not log the {{types}} control plane log type(s).',
    },
    fixable: true,
    docs: {
      summary:
        'The Kubernetes audit and API server logs are the record of who changed what in the cluster: deployments, role bindings, secret reads. EKS only keeps them when the log types are enabled; the authenticator log links Kubernetes identities back to IAM principals.',
    },
    equivalents: {
      checkov: ['CKV_AWS_37'],
      trivy: ['AVD-AWS-0038', 'AWS-0038', 'aws-eks-enable-control-plane-logging'],
      kics: ['37304d3f-f852-40b8-ae3f-725e87a7cedf'],
    },
    resourceTypes: ['aws_eks_cluster'],
  },
  check(ctx) {
    for (const cluster of ctx.model.resourcesOfType('aws_eks_cluster')) {
      const types = cluster.attr('enabled_cluster_log_types');
      if (!types || types.value === null) {
        ctx.report({ resource: cluster, messageId: 'missing', fix: setFix(ctx, cluster, 'enabled_cluster_log_types', hcl.strList(REQUIRED)) });
        continue;
      }
      const v = types.value;
      if (isUnknown(v) || !Array.isArray(v)) continue;
      if (v.length === 0) {
        ctx.report({ resource: cluster, messageId: 'incorrect', span: types.span, file: types.file, fix: replaceFix(ctx, types, hcl.strList(REQUIRED)) });
        continue;
      }
      if (v.some((x) => isUnknown(x))) continue;
      const absent = REQUIRED.filter((t) => !v.includes(t));
      if (absent.length === 0) continue;
      // The list is rewritten only when it is written as a list of plain strings.
      const written = types.node.expr.kind === 'tuple' && types.node.expr.items.every((e) => e.kind === 'template' && e.parts.every((p) => p.kind === 'text'));
      ctx.report({
        resource: cluster,
        messageId: 'incomplete',
        span: types.span,
        file: types.file,
        data: { types: absent.join(', ') },
        fix: written ? replaceFix(ctx, types, hcl.strList([...(v as string[]), ...absent]), `Add ${absent.map((t) => `"${t}"`).join(', ')} to enabled_cluster_log_types`) : undefined,
      });
    }
  },
});
