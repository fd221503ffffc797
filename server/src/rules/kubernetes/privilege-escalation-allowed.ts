// Containers cannot gain more privileges than their process started with.

import { defineKubernetesRule } from '../../engine/rule';
import { checkContainerFlag } from './_k8s';

export default defineKubernetesRule({
  meta: {
    id: 'kubernetes/privilege-escalation-allowed',
    platform: 'kubernetes',
    title: 'Containers set allowPrivilegeEscalation: false',
    severity: 'warning',
    controls: ['9.2.3', 'CLD.9.5.2'],
    messages: {
      allowed: 'Container {{name}} allows privilege escalation: a setuid binary or file capability in the image can make its process root.',
      unset: 'Container {{name}} does not set allowPrivilegeEscalation: false, so setuid binaries in the image can raise its privileges.',
    },
    fixable: true,
    docs: {
      summary:
        'Unless allowPrivilegeEscalation is false, a process in the container can gain privileges through setuid binaries or file capabilities, which turns a compromised unprivileged process into root inside the container. Setting it false (no_new_privs) costs nothing for almost every workload.',
    },
    equivalents: {
      checkov: ['CKV_K8S_20'],
      trivy: ['AVD-KSV-0001', 'KSV-0001', 'kubernetes-no-self-privesc'],
      kics: ['5572cc5e-1e4c-4113-92a6-7a8a3bd25e6d'],
    },
    resourceTypes: ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob'],
  },
  check(ctx) {
    checkContainerFlag(ctx, 'allowPrivilegeEscalation', false, { wrong: 'allowed', missing: 'unset' });
  },
});
