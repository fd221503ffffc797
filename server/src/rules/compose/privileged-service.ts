// Compose services do not run privileged.

import { defineComposeRule } from '../../engine/rule';
import { fixOf, pairOf, scalarAt, serviceSubject, setInMap, pairSpan } from './_compose';

export default defineComposeRule({
  meta: {
    id: 'compose/privileged-service',
    platform: 'compose',
    title: 'Compose services do not run privileged',
    severity: 'error',
    controls: ['9.2.3', 'CLD.9.5.1', 'CLD.9.5.2'],
    messages: {
      privileged: 'Service "{{name}}" runs privileged: it has every capability and the host\'s devices, so escaping to the host is trivial.',
    },
    fixable: true,
    docs: {
      summary:
        'privileged: true gives the container all capabilities and direct access to the host\'s devices, which removes the isolation between the service and the machine it runs on. Grant the specific capability or device the service needs instead.',
    },
    equivalents: {
      kics: ['ae5b6871-7f45-42e0-bb4c-ab300c4d2026'],
    },
    resourceTypes: ['service'],
  },
  check(ctx) {
    const { doc } = ctx;
    for (const s of doc.services) {
      if (scalarAt(s.node, 'privileged') !== true) continue;
      ctx.report({
        span: pairSpan(pairOf(s.node, 'privileged')!),
        messageId: 'privileged',
        subject: serviceSubject(s),
        data: { name: s.name },
        fix: fixOf('Set privileged: false', setInMap(doc, s.node, [['privileged', 'false']])),
      });
    }
  },
});
