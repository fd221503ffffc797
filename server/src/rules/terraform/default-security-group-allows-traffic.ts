// The default security group of a VPC keeps no rules, so nothing relies on it by accident.

import { defineRule } from '../../engine/rule';
import { isUnknown } from '../../documents/terraform/values';
import { nestedEntries, publicCidr, type Direction } from './_network';

export default defineRule({
  meta: {
    id: 'terraform/default-security-group-allows-traffic',
    platform: 'terraform',
    provider: 'aws',
    title: 'Default security groups allow no traffic',
    severity: 'warning',
    controls: ['13.1.3', 'CLD.9.5.1'],
    messages: {
      rule: 'Default security group "{{name}}" has {{direction}} rules: resources launched without an explicit security group get this access silently.',
      public: 'Default security group "{{name}}" allows {{direction}} traffic {{preposition}} {{cidr}}.',
    },
    fixable: true,
    docs: {
      summary:
        'Every resource created without an explicit security group lands in the VPC\'s default group, so any rule kept there is granted by omission rather than by design. Managing aws_default_security_group with no ingress and no egress rules makes that fallback deny everything and forces each workload to declare the access it needs.',
    },
    equivalents: {
      checkov: ['CKV2_AWS_12'],
      kics: ['9a4ef195-74b9-4c58-b8ed-2b2fe4353a75'],
    },
    resourceTypes: ['aws_default_security_group'],
  },
  check(ctx) {
    for (const sg of ctx.model.resourcesOfType('aws_default_security_group')) {
      for (const direction of ['ingress', 'egress'] as Direction[]) {
        const { entries } = nestedEntries(sg, direction);
        // The attribute form (`ingress = [...]`) is reported once, on the attribute; blocks one by one.
        const attr = sg.attr(direction);
        // The fix removes the rules: the default group should allow no traffic at all.
        const removeAttr = attr ? ctx.fixer.fix(`Remove all ${direction} rules of the default security group`, ctx.fixer.remove(attr.file, attr.node)) : undefined;
        if (attr && !isUnknown(attr.value) && Array.isArray(attr.value) && attr.value.length > 0) {
          ctx.report({ resource: sg, messageId: 'rule', span: attr.node.nameSpan, file: attr.file, data: { direction }, fix: removeAttr });
        }
        for (const e of entries) {
          if (e.dynamic) continue;
          const fromBlock = !attr || e.span.start < attr.node.start || e.span.start >= attr.node.end;
          const node = fromBlock ? sg.block.body.items.find((it) => it.kind === 'block' && it.start === e.span.start) : undefined;
          const remove = fromBlock ? (node ? ctx.fixer.fix(`Remove this ${direction} rule of the default security group`, ctx.fixer.remove(e.file, node)) : undefined) : removeAttr;
          if (fromBlock) ctx.report({ resource: sg, messageId: 'rule', span: e.span, file: e.file, data: { direction }, fix: remove });
          const fields = ['cidr_blocks', 'ipv6_cidr_blocks'].map((n) => e.field(n)).filter((f) => f !== undefined);
          const open = publicCidr(fields);
          if (open) {
            ctx.report({
              resource: sg,
              messageId: 'public',
              span: open.field.span,
              file: open.field.file,
              data: { direction, cidr: open.cidr, preposition: direction === 'ingress' ? 'from' : 'to' },
              fix: remove,
            });
          }
        }
      }
    }
  },
});
