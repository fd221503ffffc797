// Pods do not mount the container runtime's socket or the node's system folders.

import { isMap } from 'yaml';
import { defineKubernetesRule } from '../../engine/rule';
import { mapAt, objectSubject, pairOf, scalarAt, seqAtPod, pairSpan } from './_k8s';

const SOCKETS = /^\/(var\/)?run\/(docker|containerd\/containerd|crio\/crio|cri-dockerd)\.sock$|^\/var\/run\/docker\.sock$/;
const SENSITIVE = ['/', '/etc', '/proc', '/sys', '/boot', '/dev', '/root', '/var/run', '/run', '/var/lib/kubelet', '/var/lib/docker', '/var/lib/containerd', '/var/log', '/usr', '/lib', '/bin', '/sbin', '/home'];

function isSensitive(path: string): boolean {
  const p = path.replace(/\/+$/, '') || '/';
  return SENSITIVE.some((s) => p === s || (s !== '/' && p.startsWith(`${s}/`) && ['/etc', '/proc', '/sys', '/boot', '/dev', '/root', '/var/lib/kubelet', '/var/lib/docker', '/var/lib/containerd'].includes(s)));
}

export default defineKubernetesRule({
  meta: {
    id: 'kubernetes/sensitive-host-path',
    platform: 'kubernetes',
    title: 'Pods do not mount the runtime socket or system folders of the node',
    severity: 'error',
    controls: ['CLD.9.5.1', '9.4.1', 'CLD.9.5.2'],
    messages: {
      socket: '{{name}} mounts the container runtime socket {{path}} from the node: whoever controls the pod controls every container on it.',
      sensitive: '{{name}} mounts the node\'s {{path}}: the pod can read (or change) the host\'s system files.',
    },
    fixable: false,
    docs: {
      summary:
        'The container runtime\'s socket lets a pod start privileged containers on the node, and host system folders such as /etc, /proc or the kubelet\'s directory hold node credentials and configuration. A pod with either can take over the node and its neighbours. Use the Kubernetes API, a CSI driver or a dedicated node agent instead.',
    },
    equivalents: {
      checkov: ['CKV_K8S_27'],
      trivy: ['AVD-KSV-0006', 'KSV-0006', 'kubernetes-no-docker-sock-mount'],
      kics: ['a6f34658-fdfb-4154-9536-56d516f65828', '5308a7a8-06f8-45ac-bf10-791fe21de46e'],
    },
    resourceTypes: ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob'],
  },
  check(ctx) {
    for (const o of ctx.doc.objects) {
      // A pod's hostPath volumes, or a PersistentVolume backed by a host path.
      const sources = o.kind === 'PersistentVolume' ? [mapAt(o.node, 'spec')] : seqAtPod(o, 'volumes');
      for (const v of sources) {
        if (!isMap(v)) continue;
        const hostPath = mapAt(v, 'hostPath');
        const path = scalarAt(hostPath, 'path');
        if (typeof path !== 'string') continue;
        const socket = SOCKETS.test(path);
        if (!socket && !isSensitive(path)) continue;
        const subject = objectSubject(o);
        ctx.report({ span: pairSpan(pairOf(hostPath, 'path')!), messageId: socket ? 'socket' : 'sensitive', subject, data: { name: subject.address, path } });
      }
    }
  },
});
