// Downloads during the build verify TLS certificates.

import type { DockerfileDoc, DockerInstruction } from '../../documents/dockerfile/model';
import type { FixSpec } from '../../engine/fixer';
import { defineDockerfileRule } from '../../engine/rule';
import { commands, fix, removeWord } from './_docker';

/** Command-line options that turn certificate checks off, by command. */
const INSECURE_FLAGS: Record<string, RegExp> = {
  curl: /^(-k|--insecure)$/,
  wget: /^--no-check-certificate$/,
  pip: /^--trusted-host(=.*)?$/,
  pip3: /^--trusted-host(=.*)?$/,
};
/** Environment variables that turn certificate checks off, with the values that do. */
const INSECURE_ENV: Record<string, RegExp> = {
  PYTHONHTTPSVERIFY: /^0$/,
  NODE_TLS_REJECT_UNAUTHORIZED: /^0$/,
  NPM_CONFIG_STRICT_SSL: /^false$/i,
  GIT_SSL_NO_VERIFY: /.*/,
  PIP_TRUSTED_HOST: /.+/,
};

interface Hit {
  what: string;
  start: number;
  end: number;
  /** The span to delete to fix it, when deleting one word is enough. */
  remove?: { start: number; end: number };
}

function runHits(doc: DockerfileDoc, i: DockerInstruction): Hit[] {
  const out: Hit[] = [];
  for (const cmd of commands(i)) {
    const words = cmd.map((w) => w.value.replace(/^["']|["']$/g, ''));
    const name = words[0]!.split('/').pop()!;
    const flags = INSECURE_FLAGS[name === 'python' || name === 'python3' ? '' : name];
    if (flags) {
      cmd.forEach((w, k) => {
        if (k === 0 || !flags.test(words[k]!)) return;
        // `--trusted-host host` takes the next word as its value.
        const next = /^--trusted-host$/.test(words[k]!) ? cmd[k + 1] : undefined;
        out.push({ what: `${name} ${words[k]}`, start: w.start, end: (next ?? w).end, remove: removeWord(doc, w.start, (next ?? w).end) });
      });
    }
    // `python -m pip install --trusted-host …`
    if ((name === 'python' || name === 'python3') && words[1] === '-m' && words[2] === 'pip') {
      cmd.forEach((w, k) => {
        if (k < 3 || !/^--trusted-host(=.*)?$/.test(words[k]!)) return;
        const next = words[k] === '--trusted-host' ? cmd[k + 1] : undefined;
        out.push({ what: `pip ${words[k]}`, start: w.start, end: (next ?? w).end, remove: removeWord(doc, w.start, (next ?? w).end) });
      });
    }
    // npm/yarn config set strict-ssl false; git config http.sslVerify false; git -c http.sslVerify=false
    const joined = words.join(' ');
    if (/^(npm|yarn|pnpm) config set strict-ssl false$/i.test(joined) || /^git config( --global| --system)? http\.sslverify (false|0)$/i.test(joined)) {
      out.push({ what: joined, start: cmd[0]!.start, end: cmd[cmd.length - 1]!.end });
    }
    cmd.forEach((w, k) => {
      if (words[0] === 'git' && words[k - 1] === '-c' && /^http\.sslverify=(false|0)$/i.test(words[k]!)) out.push({ what: `git -c ${words[k]}`, start: cmd[k - 1]!.start, end: w.end, remove: removeWord(doc, cmd[k - 1]!.start, w.end) });
      // `sslverify=0` written into a yum/dnf configuration, or `VAR=0 command`.
      const env = /^([A-Z_]+)=(.*)$/.exec(words[k]!);
      if (env && INSECURE_ENV[env[1]!]?.test(env[2]!)) out.push({ what: words[k]!, start: w.start, end: w.end });
      if (/sslverify\s*=\s*(0|false|no)/i.test(words[k]!)) out.push({ what: words[k]!, start: w.start, end: w.end });
    });
  }
  return out;
}

export default defineDockerfileRule({
  meta: {
    id: 'dockerfile/tls-verification-disabled',
    platform: 'dockerfile',
    title: 'Build steps verify TLS certificates',
    severity: 'error',
    controls: ['10.1.1', '15.1.3', '14.2.1'],
    messages: {
      insecure: '{{what}} turns off TLS certificate checks: anyone on the network path can replace what the build downloads.',
    },
    fixable: true,
    docs: {
      summary:
        'Turning off certificate verification makes a download trust whoever answers, so a compromised proxy, DNS or Wi-Fi can feed the build a modified package that then ships in every container. Keep verification on; if a private registry uses its own CA, add that CA to the image\'s trust store instead.',
    },
    equivalents: {
      checkov: ['CKV2_DOCKER_2', 'CKV2_DOCKER_3', 'CKV2_DOCKER_4', 'CKV2_DOCKER_5', 'CKV2_DOCKER_6', 'CKV2_DOCKER_12', 'CKV2_DOCKER_13', 'CKV2_DOCKER_14', 'CKV2_DOCKER_15', 'CKV2_DOCKER_16'],
    },
    resourceTypes: ['RUN', 'ENV', 'ARG'],
  },
  check(ctx) {
    const { doc } = ctx;
    for (const i of doc.instructions) {
      let hits: Hit[] = [];
      if (i.keyword === 'RUN') hits = runHits(doc, i);
      else if (i.keyword === 'ENV' || i.keyword === 'ARG') {
        hits = i.properties.filter((p) => p.value !== undefined && INSECURE_ENV[p.name.toUpperCase()]?.test(p.value)).map((p) => ({ what: `${i.keyword} ${p.name}=${p.value}`, start: p.start, end: p.end }));
      }
      for (const h of hits) {
        const fixes: FixSpec | undefined = h.remove ? fix(doc, `Remove ${h.what.split(' ').pop()}`, h.remove.start, h.remove.end, '') : undefined;
        ctx.report({ span: { start: h.start, end: h.end }, messageId: 'insecure', data: { what: h.what }, subject: { type: i.keyword, name: h.what, address: `${i.keyword} (line ${i.line + 1})` }, fix: fixes });
      }
    }
  },
});
