// The final image runs as a named non-root user: its stage (or the stage it builds on) sets USER.

import { defineDockerfileRule } from '../../engine/rule';
import { effectiveUser, eolOf, firstRunInstruction, fix } from './_docker';

export default defineDockerfileRule({
  meta: {
    id: 'dockerfile/user-missing',
    platform: 'dockerfile',
    title: 'The final stage sets a non-root USER',
    severity: 'warning',
    controls: ['9.2.3', 'CLD.9.5.2', 'CLD.9.5.1'],
    messages: {
      missing: 'The final stage ({{name}}) never sets USER, so the container runs as the base image\'s user, which is root for most images.',
    },
    fixable: true,
    docs: {
      summary:
        'A process running as root inside a container is root on the container\'s files and much closer to root on the host if it escapes through a kernel or runtime flaw. Create an unprivileged user in the image and switch to it with USER in the stage that ships, after the steps that need root (package installs) and before CMD/ENTRYPOINT.',
    },
    equivalents: {
      checkov: ['CKV_DOCKER_3'],
      trivy: ['AVD-DS-0002', 'DS-0002', 'docker-least-privilege-user'],
      kics: ['fd54f200-402c-4333-a5a4-36ef6709af2f'],
    },
    resourceTypes: ['FROM', 'USER'],
  },
  check(ctx) {
    const { doc } = ctx;
    const last = doc.stages.length - 1;
    const stage = doc.stages[last];
    if (!stage || stage.image?.toLowerCase() === 'scratch') return;
    if (effectiveUser(doc, last)) return;
    const name = stage.alias ?? stage.image ?? `stage ${last + 1}`;
    // USER goes before CMD/ENTRYPOINT (or at the end of the stage); the UID is one the user may want to change.
    const before = firstRunInstruction(stage);
    const eol = eolOf(doc);
    const at = before ? before.start : stage.instructions.length > 0 ? stage.instructions[stage.instructions.length - 1]!.end : stage.from.end;
    const text = before ? `USER 10001${eol}` : `${eol}USER 10001`;
    ctx.report({
      span: { start: stage.from.start, end: stage.from.end },
      messageId: 'missing',
      subject: { type: 'FROM', name, address: `stage ${name}` },
      fix: fix(doc, 'Add USER 10001 to the final stage (a non-root UID; check that the image\'s files allow it)', at, at, text, { placeholder: true }),
    });
  },
});
