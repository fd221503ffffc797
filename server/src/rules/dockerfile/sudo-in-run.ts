// RUN steps do not use sudo.

import { defineDockerfileRule } from '../../engine/rule';
import { commands } from './_docker';

export default defineDockerfileRule({
  meta: {
    id: 'dockerfile/sudo-in-run',
    platform: 'dockerfile',
    title: 'RUN steps do not use sudo',
    severity: 'warning',
    controls: ['9.4.4', '9.2.3'],
    messages: {
      sudo: 'RUN uses sudo: the image ships sudo and a user allowed to use it, a ready path to root.',
    },
    fixable: false,
    docs: {
      summary:
        'Build steps already run as the current USER, so sudo is only needed when the image keeps a user that can become root, which an attacker in the container can use too. Run privileged steps before switching USER, and leave sudo out of the image.',
    },
    equivalents: {
      checkov: ['CKV2_DOCKER_1'],
      trivy: ['AVD-DS-0010', 'DS-0010', 'docker-no-sudo-run'],
      kics: ['8ada6e80-0ade-439e-b176-0b28f6bce35a'],
    },
    resourceTypes: ['RUN'],
  },
  check(ctx) {
    for (const i of ctx.doc.instructions) {
      if (i.keyword !== 'RUN') continue;
      const cmd = commands(i).find((c) => c[0]!.value === 'sudo');
      if (!cmd) continue;
      ctx.report({ span: { start: i.start, end: i.end }, messageId: 'sudo', subject: { type: 'RUN', name: 'sudo', address: `RUN (line ${i.line + 1})` } });
    }
  },
});
