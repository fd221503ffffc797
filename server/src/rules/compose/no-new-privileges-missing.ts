// Compose services set no-new-privileges.

import { isScalar } from 'yaml';
import { defineComposeRule } from '../../engine/rule';
import { contentEnd, eolOf, fixOf, keyIndent, pairOf, seqAt, serviceSubject, spanOf } from './_compose';

export default defineComposeRule({
  meta: {
    id: 'compose/no-new-privileges-missing',
    platform: 'compose',
    title: 'Compose services set security_opt no-new-privileges',
    severity: 'warning',
    controls: ['9.2.3', 'CLD.9.5.2'],
    messages: {
      missing: 'Service "{{name}}" does not set security_opt no-new-privileges: setuid binaries in its image can raise a process\'s privileges.',
    },
    fixable: true,
    docs: {
      summary:
        'Without no-new-privileges, a process in the container can gain privileges through setuid binaries or file capabilities, so a foothold as an unprivileged user becomes root inside the container. The option costs nothing for almost every service.',
    },
    equivalents: {
      kics: ['27fcc7d6-c49b-46e0-98f1-6c082a6a2750'],
    },
    resourceTypes: ['service'],
  },
  check(ctx) {
    const { doc } = ctx;
    for (const s of doc.services) {
      const opt = pairOf(s.node, 'security_opt');
      const items = seqAt(s.node, 'security_opt')?.items;
      if (opt && !items) continue; // an alias or a scalar: not known
      if (!opt && pairOf(s.node, '<<')) continue; // a merge key (`<<: *base`) may bring it: not known
      if (items?.some((i) => !isScalar(i) || /^no-new-privileges(?:[:=]true)?$/i.test(String(i.value)))) continue;
      const indent = keyIndent(doc, s.node);
      const at = contentEnd(doc, spanOf(s.node)!.end);
      const eol = eolOf(doc);
      ctx.report({
        span: opt ? spanOf(opt.key)! : s.keySpan,
        messageId: 'missing',
        subject: serviceSubject(s),
        data: { name: s.name },
        fix: opt || indent === undefined ? undefined : fixOf('Add security_opt: no-new-privileges:true', [{ file: doc.path, start: at, end: at, newText: `${eol}${indent}security_opt:${eol}${indent}  - no-new-privileges:true` }]),
      });
    }
  },
});
