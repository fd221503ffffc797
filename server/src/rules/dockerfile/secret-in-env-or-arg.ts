// Secrets are not baked into images through ENV or ARG values.

import { defineDockerfileRule } from '../../engine/rule';
import { isLiteral } from './_docker';

/** Names that announce a secret value. */
const SECRET_NAME = /(?:secret|password|passwd|pwd|token|api_?key|access_?key|private_?key|credentials?)$/i;
/** Names that look secret but hold none (paths, switches, ids). */
const NOT_SECRET = /(_FILE|_PATH|_DIR|_URL|_ID|_NAME|_USER|_ENABLED|_LENGTH|_EXPIRY|_TTL)$/i;
const ACCESS_KEY_ID = /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/;

/** At most the first four characters of a secret, never more. */
function mask(s: string): string {
  return `${s.slice(0, 4)}…`;
}

export default defineDockerfileRule({
  meta: {
    id: 'dockerfile/secret-in-env-or-arg',
    platform: 'dockerfile',
    title: 'Secrets are not written into ENV or ARG',
    severity: 'error',
    controls: ['9.2.4', '10.1.2'],
    messages: {
      env: '{{keyword}} {{name}} holds a literal secret ({{masked}}): it is stored in the image\'s layers and history, readable by anyone who can pull the image.',
      accessKey: '{{keyword}} {{name}} holds an AWS access key id ({{masked}}): it is stored in the image, readable by anyone who can pull it.',
    },
    fixable: false,
    docs: {
      summary:
        'ENV values and ARG values used in a build are kept in the image configuration and layer history; anyone who can pull the image can read them with docker history or inspect. Pass secrets at build time with BuildKit secret mounts (RUN --mount=type=secret) and at run time from the platform\'s secret store, and rotate any secret that has been in an image.',
    },
    equivalents: {
      trivy: ['AVD-DS-0031', 'DS-0031', 'docker-do-not-pass-secrets'],
    },
    resourceTypes: ['ENV', 'ARG'],
  },
  check(ctx) {
    for (const i of ctx.doc.instructions) {
      if (i.keyword !== 'ENV' && i.keyword !== 'ARG') continue;
      for (const p of i.properties) {
        const value = p.value?.trim();
        // ARG without a default, empty values and references (`$OTHER`) hold no secret here.
        if (!value || !isLiteral(value) || !p.valueSpan) continue;
        const accessKey = ACCESS_KEY_ID.test(value);
        if (!accessKey && (!SECRET_NAME.test(p.name) || NOT_SECRET.test(p.name))) continue;
        ctx.report({
          span: p.valueSpan,
          messageId: accessKey ? 'accessKey' : 'env',
          data: { keyword: i.keyword, masked: mask(value) },
          subject: { type: i.keyword, name: p.name, address: `${i.keyword} ${p.name}` },
        });
      }
    }
  },
});
