// Compose services do not share the host's network, process or IPC namespace.

import { defineComposeRule } from '../../engine/rule';
import { pairOf, scalarAt, serviceSubject, pairSpan } from './_compose';

const SHARED: Array<[string, string, string]> = [
  ['network_mode', 'host', 'the host\'s network (every interface and port)'],
  ['pid', 'host', 'the host\'s process table'],
  ['ipc', 'host', 'the host\'s shared memory and IPC'],
];

export default defineComposeRule({
  meta: {
    id: 'compose/host-namespace-shared',
    platform: 'compose',
    title: 'Compose services do not share the host\'s network, PID or IPC namespace',
    severity: 'error',
    controls: ['CLD.9.5.1', '13.1.3', 'CLD.9.5.2'],
    messages: {
      shared: 'Service "{{name}}" sets {{key}}: {{value}}, so it shares {{what}}.',
    },
    fixable: false,
    docs: {
      summary:
        'Host namespaces remove the wall between a container and the machine: with the host network it can bind any port and see the host\'s traffic, with the host PID namespace it can inspect and signal every process, with host IPC it can read other programs\' shared memory. Use the default namespaces and publish ports explicitly.',
    },
    equivalents: {
      kics: ['071a71ff-f868-47a4-ac0b-3c59e4ab5443', '4f31dd9f-2cc3-4751-9b53-67e4af83dac0'],
    },
    resourceTypes: ['service'],
  },
  check(ctx) {
    for (const s of ctx.doc.services) {
      for (const [key, value, what] of SHARED) {
        if (scalarAt(s.node, key) !== value) continue;
        ctx.report({ span: pairSpan(pairOf(s.node, key)!), messageId: 'shared', subject: serviceSubject(s), data: { name: s.name, key, value, what } });
      }
    }
  },
});
