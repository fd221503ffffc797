// Containers mount their root filesystem read-only.

import { defineKubernetesRule } from '../../engine/rule';
import { checkContainerFlag } from './_k8s';

export default defineKubernetesRule({
  meta: {
    id: 'kubernetes/root-filesystem-writable',
    platform: 'kubernetes',
    title: 'Containers use a read-only root filesystem',
    severity: 'info',
    controls: ['CLD.9.5.2', '12.1.2'],
    messages: {
      writable: 'Container {{name}} has a writable root filesystem: an intruder can change its binaries and configuration at run time.',
    },
    fixable: true,
    docs: {
      summary:
        'With a writable root filesystem, anything that gets code execution in the container can drop tools, alter binaries or persist until the pod restarts, and the running container no longer matches the image that was reviewed. Set readOnlyRootFilesystem: true and mount emptyDir volumes for the paths that must be written (/tmp, caches).',
    },
    equivalents: {
      checkov: ['CKV_K8S_22'],
      trivy: ['AVD-KSV-0014', 'KSV-0014', 'kubernetes-use-readonly-filesystem'],
      kics: ['a9c2f49d-0671-4fc9-9ece-f4e261e128d0'],
    },
    resourceTypes: ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob'],
  },
  check(ctx) {
    checkContainerFlag(ctx, 'readOnlyRootFilesystem', true, { wrong: 'writable', missing: 'writable' });
  },
});
