// Containers do not run privileged.

import { defineKubernetesRule } from '../../engine/rule';
import { containerLabel, containerSubject, fixOf, mapAt, pairOf, scalarAt, setInMap, pairSpan } from './_k8s';

export default defineKubernetesRule({
  meta: {
    id: 'kubernetes/privileged-container',
    platform: 'kubernetes',
    title: 'Containers do not run privileged',
    severity: 'error',
    controls: ['9.2.3', 'CLD.9.5.1', 'CLD.9.5.2'],
    messages: {
      privileged: 'Container {{name}} runs privileged: it has every capability and the host\'s devices, so escaping to the node is trivial.',
    },
    fixable: true,
    docs: {
      summary:
        'A privileged container is root on the node in all but name: it sees host devices, can load kernel modules and lifts the isolation that keeps one tenant\'s workload away from another\'s. Grant the one capability the workload really needs instead, and keep privileged pods to system namespaces with a reviewed exception.',
    },
    equivalents: {
      checkov: ['CKV_K8S_16'],
      trivy: ['AVD-KSV-0017', 'KSV-0017', 'kubernetes-no-privileged-containers'],
      kics: ['dd29336b-fe57-445b-a26e-e6aa867ae609'],
    },
    resourceTypes: ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob'],
  },
  check(ctx) {
    const { doc } = ctx;
    for (const o of doc.objects) {
      for (const c of o.containers) {
        const sc = mapAt(c.node, 'securityContext');
        if (scalarAt(sc, 'privileged') !== true) continue;
        ctx.report({
          span: pairSpan(pairOf(sc, 'privileged')!),
          messageId: 'privileged',
          subject: containerSubject(o, c),
          data: { name: containerLabel(o, c) },
          fix: fixOf('Set privileged: false', setInMap(doc, sc!, [['privileged', 'false']])),
        });
      }
    }
  },
});
