// Containers drop all Linux capabilities and add back only what they need.

import { isScalar, isSeq } from 'yaml';
import { defineKubernetesRule } from '../../engine/rule';
import { anchor, containerLabel, containerSubject, fixOf, mapAt, pairOf, setInSecurityContext } from './_k8s';

export default defineKubernetesRule({
  meta: {
    id: 'kubernetes/capabilities-not-dropped',
    platform: 'kubernetes',
    title: 'Containers drop all capabilities',
    severity: 'warning',
    controls: ['CLD.9.5.2', '9.2.3'],
    messages: {
      notDropped: 'Container {{name}} keeps the runtime\'s default capabilities (NET_RAW among them): it does not drop ALL.',
    },
    fixable: true,
    docs: {
      summary:
        'Container runtimes grant a default set of Linux capabilities, including NET_RAW (raw packets, ARP and DNS spoofing on the pod network) and others most services never use. Drop ALL and add back the few a workload needs, such as NET_BIND_SERVICE.',
    },
    equivalents: {
      checkov: ['CKV_K8S_28', 'CKV_K8S_37'],
      trivy: ['AVD-KSV-0003', 'KSV-0003', 'kubernetes-drop-default-capabilities'],
      kics: ['268ca686-7fb7-4ae9-b129-955a2a89064e', 'dbbc6705-d541-43b0-b166-dd4be8208b54'],
    },
    resourceTypes: ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob'],
  },
  check(ctx) {
    const { doc } = ctx;
    for (const o of doc.objects) {
      for (const c of o.containers) {
        const caps = mapAt(mapAt(c.node, 'securityContext'), 'capabilities');
        const drop = pairOf(caps, 'drop')?.value;
        if (drop !== undefined && drop !== null && !isSeq(drop)) continue; // an alias or a scalar: not known
        const list = isSeq(drop) ? drop.items.map((x) => (isScalar(x) ? String(x.value).toUpperCase() : '?')) : [];
        if (list.includes('?') || list.includes('ALL')) continue;
        const subject = containerSubject(o, c);
        // A drop list that exists is the user's to extend; a missing one is added.
        const fix = drop === undefined ? fixOf('Drop all capabilities (drop: ["ALL"])', setInSecurityContext(doc, c, [['capabilities.drop', '["ALL"]']])) : undefined;
        ctx.report({ span: anchor(c, ['securityContext', 'capabilities', 'drop']), messageId: 'notDropped', subject, data: { name: containerLabel(o, c) }, fix });
      }
    }
  },
});
