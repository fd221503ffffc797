// The final image declares a HEALTHCHECK.

import { defineDockerfileRule } from '../../engine/rule';
import { parentStage } from './_docker';

export default defineDockerfileRule({
  meta: {
    id: 'dockerfile/healthcheck-missing',
    platform: 'dockerfile',
    title: 'The final image declares a HEALTHCHECK',
    severity: 'info',
    controls: ['CLD.12.4.5', '12.1.3'],
    messages: {
      missing: 'The final stage ({{name}}) declares no HEALTHCHECK: a container that is up but not serving looks healthy to Docker.',
      none: 'HEALTHCHECK NONE turns off the base image\'s health check.',
    },
    fixable: false,
    docs: {
      summary:
        'Without a health check, the runtime only knows whether the process is alive, not whether it answers. Declare a HEALTHCHECK that exercises the service (or rely on the orchestrator\'s probes, and say so with a suppression), so that hung containers are restarted and shown as unhealthy in monitoring.',
    },
    equivalents: {
      checkov: ['CKV_DOCKER_2'],
      trivy: ['AVD-DS-0026', 'DS-0026', 'docker-no-healthcheck'],
      kics: ['b03a748a-542d-44f4-bb86-9199ab4fd2d5'],
    },
    resourceTypes: ['FROM', 'HEALTHCHECK'],
  },
  check(ctx) {
    const { doc } = ctx;
    const last = doc.stages.length - 1;
    const stage = doc.stages[last];
    if (!stage || stage.image?.toLowerCase() === 'scratch') return;
    // The stage's own HEALTHCHECK, else that of the stage it builds on.
    for (let s: typeof stage | undefined = stage, n = 0; s && n < doc.stages.length; s = parentStage(doc, doc.stages.indexOf(s)), n++) {
      const hc = s.instructions.filter((x) => x.keyword === 'HEALTHCHECK');
      const lastHc = hc[hc.length - 1];
      if (!lastHc) continue;
      if (lastHc.args[0]?.value.toUpperCase() === 'NONE') {
        ctx.report({ span: { start: lastHc.start, end: lastHc.end }, messageId: 'none', subject: { type: 'HEALTHCHECK', name: 'NONE', address: 'HEALTHCHECK NONE' } });
      }
      return;
    }
    const name = stage.alias ?? stage.image ?? `stage ${last + 1}`;
    ctx.report({ span: { start: stage.from.start, end: stage.from.end }, messageId: 'missing', subject: { type: 'FROM', name, address: `stage ${name}` } });
  },
});
