// Package managers check package signatures.

import { defineDockerfileRule } from '../../engine/rule';
import { commands, fix, removeWord } from './_docker';

/** Options that install unsigned or unverified packages, by package manager. */
const UNSIGNED: Record<string, RegExp> = {
  apk: /^--allow-untrusted$/,
  'apt-get': /^(--allow-unauthenticated|--force-yes|--allow-insecure-repositories)$/,
  apt: /^(--allow-unauthenticated|--force-yes|--allow-insecure-repositories)$/,
  yum: /^--nogpgcheck$/,
  dnf: /^--nogpgcheck$/,
  tdnf: /^--nogpgcheck$/,
  microdnf: /^--nogpgcheck$/,
  rpm: /^(--nosignature|--nodigest|--noverify|--nofiledigest)$/,
};

export default defineDockerfileRule({
  meta: {
    id: 'dockerfile/package-signature-check-disabled',
    platform: 'dockerfile',
    title: 'Package managers verify package signatures',
    severity: 'error',
    controls: ['15.1.3', '12.6.1', '14.2.1'],
    messages: {
      unsigned: '{{manager}} {{option}} installs packages without checking their signatures.',
    },
    fixable: true,
    docs: {
      summary:
        'Package signatures are how an image build knows a package comes from the distribution and was not altered on a mirror or in transit. Options that skip the check let a tampered package into every container built from the file; import the repository\'s signing key instead.',
    },
    equivalents: {
      checkov: ['CKV2_DOCKER_7', 'CKV2_DOCKER_8', 'CKV2_DOCKER_9', 'CKV2_DOCKER_10', 'CKV2_DOCKER_11'],
    },
    resourceTypes: ['RUN'],
  },
  check(ctx) {
    const { doc } = ctx;
    for (const i of doc.instructions) {
      if (i.keyword !== 'RUN') continue;
      for (const cmd of commands(i)) {
        const manager = cmd[0]!.value.split('/').pop()!;
        const re = UNSIGNED[manager];
        if (!re) continue;
        for (const w of cmd.slice(1)) {
          if (!re.test(w.value)) continue;
          const cut = removeWord(doc, w.start, w.end);
          ctx.report({
            span: { start: w.start, end: w.end },
            messageId: 'unsigned',
            data: { manager, option: w.value },
            subject: { type: 'RUN', name: `${manager} ${w.value}`, address: `RUN (line ${i.line + 1})` },
            fix: fix(doc, `Remove ${w.value}`, cut.start, cut.end, ''),
          });
        }
      }
    }
  },
});
