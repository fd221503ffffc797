// The last USER of the final stage is not root.

import { defineDockerfileRule } from '../../engine/rule';
import { effectiveUser, fix, isRootUser } from './_docker';

export default defineDockerfileRule({
  meta: {
    id: 'dockerfile/user-root',
    platform: 'dockerfile',
    title: 'The final stage does not switch back to root',
    severity: 'error',
    controls: ['9.2.3', 'CLD.9.5.2', 'CLD.9.5.1'],
    messages: {
      root: 'The final stage ends with USER {{user}}: the container runs as root.',
    },
    fixable: true,
    docs: {
      summary:
        'Switching to root for a build step and not back leaves the shipped container running as root, with every file in the image writable and the kernel\'s attack surface fully exposed to the process. End the final stage with USER set to an unprivileged user or UID.',
    },
    equivalents: {
      checkov: ['CKV_DOCKER_8'],
      trivy: ['AVD-DS-0002', 'DS-0002', 'docker-least-privilege-user'],
      kics: ['67fd0c4a-68cf-46d7-8c41-bc9fba7e40ae'],
    },
    resourceTypes: ['USER'],
  },
  check(ctx) {
    const { doc } = ctx;
    const user = effectiveUser(doc, doc.stages.length - 1);
    const value = user?.args[0];
    if (!user || !value || !isRootUser(value.value)) return;
    ctx.report({
      span: { start: user.start, end: user.end },
      messageId: 'root',
      data: { user: value.value },
      subject: { type: 'USER', name: value.value, address: `USER ${value.value}` },
      fix: fix(doc, 'Run as UID 10001 instead of root (check that the image\'s files allow it)', value.start, value.end, '10001', { placeholder: true }),
    });
  },
});
