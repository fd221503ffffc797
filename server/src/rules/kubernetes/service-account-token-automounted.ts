// Pods mount a service-account token only when they call the Kubernetes API.

import { defineKubernetesRule } from '../../engine/rule';
import { fixOf, objectSubject, pairOf, scalarAt, setInMap, pairSpan } from './_k8s';

export default defineKubernetesRule({
  meta: {
    id: 'kubernetes/service-account-token-automounted',
    platform: 'kubernetes',
    title: 'Pods do not mount a service-account token they do not need',
    severity: 'info',
    controls: ['9.2.4', '9.4.1', '9.2.3'],
    messages: {
      mounted: '{{name}} mounts its service-account token (automountServiceAccountToken is not false): anyone who gets into the pod can call the Kubernetes API as it.',
    },
    fixable: true,
    docs: {
      summary:
        'Every pod gets a token for its service account unless told otherwise, and an intruder in the pod can use it against the API server with whatever rights that account has (often more than anyone remembers). Set automountServiceAccountToken: false on pods that never call the API, and give the others a dedicated account with minimal RBAC.',
    },
    equivalents: {
      checkov: ['CKV_K8S_38'],
      trivy: ['AVD-KSV-0036', 'KSV-0036', 'kubernetes-no-auto-mount-service-token'],
      kics: ['48471392-d4d0-47c0-b135-cdec95eb3eef'],
    },
    resourceTypes: ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob'],
  },
  check(ctx) {
    const { doc } = ctx;
    const reported = new Set<unknown>();
    for (const o of doc.objects) {
      if (!o.podSpec || !o.podSpecKey) continue;
      const v = scalarAt(o.podSpec, 'automountServiceAccountToken');
      if (v === false || v === 'unknown') continue;
      const subject = objectSubject(o);
      // Unset on the pod, the service account decides (when it is in this file).
      if (v === undefined) {
        const accountName = scalarAt(o.podSpec, 'serviceAccountName') ?? 'default';
        const account = doc.objects.find((x) => x.kind === 'ServiceAccount' && x.name === accountName && (x.namespace ?? 'default') === (o.namespace ?? 'default'));
        const fromAccount = account ? scalarAt(account.node, 'automountServiceAccountToken') : undefined;
        if (fromAccount === false || fromAccount === 'unknown') continue;
        if (account && fromAccount === true) {
          if (reported.has(account)) continue;
          reported.add(account);
          const accountSubject = objectSubject(account);
          ctx.report({
            span: pairSpan(pairOf(account.node, 'automountServiceAccountToken')!),
            messageId: 'mounted',
            subject: accountSubject,
            data: { name: `${accountSubject.address} (used by ${subject.address})` },
            fix: fixOf('Set automountServiceAccountToken: false', setInMap(doc, account.node, [['automountServiceAccountToken', 'false']])),
          });
          continue;
        }
      }
      ctx.report({
        span: v === undefined ? o.podSpecKey : pairSpan(pairOf(o.podSpec, 'automountServiceAccountToken')!),
        messageId: 'mounted',
        subject,
        data: { name: subject.address },
        fix: fixOf('Set automountServiceAccountToken: false', setInMap(doc, o.podSpec, [['automountServiceAccountToken', 'false']])),
      });
    }
  },
});
