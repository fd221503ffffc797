// Containers do not add capabilities that amount to control of the node.

import { isScalar, isSeq } from 'yaml';
import { defineKubernetesRule } from '../../engine/rule';
import { containerLabel, containerSubject, mapAt, pairOf, spanOf } from './_k8s';

const DANGEROUS = new Set(['ALL', 'SYS_ADMIN', 'SYS_MODULE', 'SYS_PTRACE', 'SYS_RAWIO', 'NET_ADMIN', 'DAC_READ_SEARCH', 'SYS_BOOT', 'BPF', 'PERFMON']);

export default defineKubernetesRule({
  meta: {
    id: 'kubernetes/dangerous-capability-added',
    platform: 'kubernetes',
    title: 'Containers do not add node-level capabilities such as SYS_ADMIN',
    severity: 'error',
    controls: ['9.2.3', 'CLD.9.5.1', 'CLD.9.5.2'],
    messages: {
      added: 'Container {{name}} adds the {{capability}} capability, which is close to full control of the node.',
    },
    fixable: false,
    docs: {
      summary:
        'Capabilities such as SYS_ADMIN, SYS_MODULE, SYS_PTRACE and NET_ADMIN let a process mount filesystems, load kernel modules, read other processes\' memory or reconfigure the node\'s network: each is a known route out of the container. Find the narrower capability the workload needs, or run it as a reviewed node agent.',
    },
    equivalents: {
      checkov: ['CKV_K8S_39'],
      trivy: ['AVD-KSV-0005', 'KSV-0005', 'kubernetes-no-sysadmin-capability'],
      kics: ['235236ee-ad78-4065-bd29-61b061f28ce0'],
    },
    resourceTypes: ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob'],
  },
  check(ctx) {
    for (const o of ctx.doc.objects) {
      for (const c of o.containers) {
        const add = pairOf(mapAt(mapAt(c.node, 'securityContext'), 'capabilities'), 'add')?.value;
        if (!isSeq(add)) continue;
        for (const item of add.items) {
          if (!isScalar(item)) continue;
          const cap = String(item.value).toUpperCase().replace(/^CAP_/, '');
          if (!DANGEROUS.has(cap)) continue;
          const subject = containerSubject(o, c);
          ctx.report({ span: spanOf(item)!, messageId: 'added', subject, data: { name: containerLabel(o, c), capability: cap } });
        }
      }
    }
  },
});
