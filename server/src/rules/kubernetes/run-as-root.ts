// Containers run as a non-root user.

import { defineKubernetesRule } from '../../engine/rule';
import { anchor, containerLabel, containerSubject, effective, fixOf, setInSecurityContext, pairSpan } from './_k8s';

export default defineKubernetesRule({
  meta: {
    id: 'kubernetes/run-as-root',
    platform: 'kubernetes',
    title: 'Containers run as a non-root user',
    severity: 'warning',
    controls: ['9.2.3', 'CLD.9.5.1', 'CLD.9.5.2'],
    messages: {
      uidZero: 'Container {{name}} sets runAsUser: 0, so it runs as root.',
      notEnforced: 'Container {{name}} sets runAsNonRoot: false: nothing stops it from running as root.',
      unset: 'Container {{name}} does not set runAsNonRoot: true (nor a non-zero runAsUser), so it runs as root whenever the image does.',
    },
    fixable: true,
    docs: {
      summary:
        'Most images still default to root. runAsNonRoot: true makes the kubelet refuse to start a container that would run as UID 0, so a root process in the container (and its files on shared volumes) cannot happen by accident. Set it for the pod or each container, with runAsUser when the image has no numeric user.',
    },
    equivalents: {
      checkov: ['CKV_K8S_23'],
      trivy: ['AVD-KSV-0012', 'KSV-0012', 'kubernetes-no-root'],
      kics: ['cf34805e-3872-4c08-bf92-6ff7bb0cfadb'],
    },
    resourceTypes: ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob'],
  },
  check(ctx) {
    const { doc } = ctx;
    for (const o of doc.objects) {
      for (const c of o.containers) {
        const user = effective(o, c, 'runAsUser');
        const nonRoot = effective(o, c, 'runAsNonRoot');
        if (user.value === 'unknown' || nonRoot.value === 'unknown') continue;
        const subject = containerSubject(o, c);
        const fix = fixOf('Set runAsNonRoot: true', setInSecurityContext(doc, c, [['runAsNonRoot', 'true']]));
        if (user.value === 0 || user.value === '0') {
          ctx.report({ span: pairSpan(user.pair!), messageId: 'uidZero', subject, data: { name: containerLabel(o, c) } });
          continue;
        }
        if (typeof user.value === 'number' && user.value > 0) continue;
        if (nonRoot.value === true) continue;
        ctx.report({
          span: nonRoot.value === false ? pairSpan(nonRoot.pair!) : anchor(c, ['securityContext']),
          messageId: nonRoot.value === false ? 'notEnforced' : 'unset',
          subject,
          data: { name: containerLabel(o, c) },
          fix,
        });
      }
    }
  },
});
