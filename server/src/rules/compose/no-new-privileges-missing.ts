// Compose services set no-new-privileges.

import { isScalar } from 'yaml';
import { defineComposeRule } from '../../engine/rule';
import { fixOf, pairOf, serviceSubject, spanOf } from './_compose';

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
      const items = opt?.value && 'items' in (opt.value as object) ? ((opt.value as unknown as { items: unknown[] }).items) : undefined;
      if (opt && !items) continue; // an alias or a scalar: not known
      if (!opt && pairOf(s.node, '<<')) continue; // a merge key (`<<: *base`) may bring it: not known
      if (items?.some((i) => !isScalar(i) || /^no-new-privileges(?:[:=]true)?$/i.test(String(i.value)))) continue;
      const firstKey = spanOf((s.node.items[0] as { key?: { range?: [number, number, number] } } | undefined)?.key);
      const indent = firstKey ? ' '.repeat(doc.lines.position(firstKey.start).character) : '    ';
      let at = spanOf(s.node)!.end;
      while (at > 0 && /\s/.test(doc.text[at - 1]!)) at--;
      const eol = doc.text.includes('\r\n') ? '\r\n' : '\n';
      ctx.report({
        span: opt ? spanOf(opt.key)! : s.keySpan,
        messageId: 'missing',
        subject: serviceSubject(s),
        data: { name: s.name },
        fix: opt || s.node.flow ? undefined : fixOf('Add security_opt: no-new-privileges:true', [{ file: doc.path, start: at, end: at, newText: `${eol}${indent}security_opt:${eol}${indent}  - no-new-privileges:true` }]),
      });
    }
  },
});
