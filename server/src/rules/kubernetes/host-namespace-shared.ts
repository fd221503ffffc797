// Pods do not share the node's network, process or IPC namespace.

import { defineKubernetesRule } from '../../engine/rule';
import { fixOf, objectSubject, pairOf, scalarAt, setInMap, pairSpan } from './_k8s';

const WHAT: Record<string, string> = {
  hostNetwork: 'the node\'s network (every interface and port of the host)',
  hostPID: 'the node\'s process table (it can see and signal every process on the host)',
  hostIPC: 'the node\'s shared memory and IPC',
};

export default defineKubernetesRule({
  meta: {
    id: 'kubernetes/host-namespace-shared',
    platform: 'kubernetes',
    title: 'Pods do not share the host\'s network, PID or IPC namespace',
    severity: 'error',
    controls: ['CLD.9.5.1', '13.1.3', 'CLD.9.5.2'],
    messages: {
      shared: '{{name}} sets {{key}}: true, so it shares {{what}}.',
    },
    fixable: true,
    docs: {
      summary:
        'Host namespaces remove the wall between a pod and the node: with hostNetwork it can bind any port and sniff node traffic, with hostPID it can inspect and kill other workloads\' processes, with hostIPC it can read their shared memory. Keep them for node agents, with a reviewed exception.',
    },
    equivalents: {
      checkov: ['CKV_K8S_17', 'CKV_K8S_18', 'CKV_K8S_19'],
      trivy: ['AVD-KSV-0008', 'KSV-0008', 'kubernetes-no-shared-ipc-namespace', 'AVD-KSV-0009', 'KSV-0009', 'kubernetes-no-host-network', 'AVD-KSV-0010', 'KSV-0010', 'kubernetes-no-host-pid'],
      kics: ['6b6bdfb3-c3ae-44cb-88e4-7405c1ba2c8a', '302736f4-b16c-41b8-befe-c0baffa0bd9d', 'cd290efd-6c82-4e9d-a698-be12ae31d536'],
    },
    resourceTypes: ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob'],
  },
  check(ctx) {
    const { doc } = ctx;
    for (const o of doc.objects) {
      if (!o.podSpec) continue;
      for (const key of Object.keys(WHAT)) {
        if (scalarAt(o.podSpec, key) !== true) continue;
        const subject = objectSubject(o);
        ctx.report({
          span: pairSpan(pairOf(o.podSpec, key)!),
          messageId: 'shared',
          subject,
          data: { name: subject.address, key, what: WHAT[key]! },
          fix: fixOf(`Set ${key}: false`, setInMap(doc, o.podSpec, [[key, 'false']])),
        });
      }
    }
  },
});
