// Images do not expose the SSH port.

import { defineDockerfileRule } from '../../engine/rule';
import { fix, isLiteral, removeWord } from './_docker';

/** True when an EXPOSE argument (`22`, `22/tcp`, `20-25`) includes port 22. */
function includes22(value: string): boolean {
  const m = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/i.exec(value);
  if (!m) return false;
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  return from <= 22 && 22 <= to && (m[3] === undefined || m[3].toLowerCase() === 'tcp');
}

export default defineDockerfileRule({
  meta: {
    id: 'dockerfile/ssh-port-exposed',
    platform: 'dockerfile',
    title: 'Images do not expose SSH (port 22)',
    severity: 'warning',
    controls: ['9.1.2', '13.1.3', 'CLD.9.5.2'],
    messages: {
      exposed: 'EXPOSE {{port}} publishes the SSH port: containers should not run an SSH server to be administered.',
    },
    fixable: true,
    docs: {
      summary:
        'An SSH server inside a container is one more service with credentials to manage and attack, and it bypasses the platform\'s own audited access path. Administer containers through the orchestrator (kubectl exec, ECS Exec, docker exec) and rebuild rather than patch them in place.',
    },
    equivalents: {
      checkov: ['CKV_DOCKER_1'],
      trivy: ['AVD-DS-0004', 'DS-0004', 'docker-no-ssh-port'],
      kics: ['5907595b-5b6d-4142-b173-dbb0e73fbff8'],
    },
    resourceTypes: ['EXPOSE'],
  },
  check(ctx) {
    const { doc } = ctx;
    for (const i of doc.instructions) {
      if (i.keyword !== 'EXPOSE') continue;
      const ports = i.args.filter((a) => isLiteral(a.value));
      for (const a of ports) {
        if (!includes22(a.value)) continue;
        // Only a lone `22` can be removed; a range that contains it is the user's to split.
        const single = /^22(\/tcp)?$/i.test(a.value);
        const alone = i.args.length === 1;
        const edit = alone ? { start: i.start, end: doc.text[i.end] === '\n' ? i.end + 1 : doc.text.startsWith('\r\n', i.end) ? i.end + 2 : i.end } : removeWord(doc, a.start, a.end);
        ctx.report({
          span: { start: i.start, end: i.end },
          messageId: 'exposed',
          data: { port: a.value },
          subject: { type: 'EXPOSE', name: a.value, address: `EXPOSE ${a.value}` },
          fix: single ? fix(doc, alone ? 'Remove EXPOSE 22' : `Remove ${a.value} from EXPOSE`, edit.start, edit.end, '') : undefined,
        });
      }
    }
  },
});
