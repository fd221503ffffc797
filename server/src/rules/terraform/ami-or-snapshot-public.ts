// Machine images and database snapshots are not shared with every AWS account.

import { defineRule } from '../../engine/rule';
import { isUnknown } from './helpers';

export default defineRule({
  meta: {
    id: 'terraform/ami-or-snapshot-public',
    platform: 'terraform',
    provider: 'aws',
    title: 'AMIs and database snapshots are not public',
    severity: 'error',
    controls: ['9.4.1'],
    messages: {
      publicAmi: 'Launch permission "{{name}}" makes the AMI public (group = "all").',
      publicSnapshot: 'Snapshot "{{name}}" is shared with all AWS accounts (shared_accounts contains "all").',
    },
    fixable: true,
    docs: {
      summary:
        'A public AMI or database snapshot can be copied by any AWS account. Images often carry credentials, keys and application code; snapshots carry the whole database. Share them with named accounts or organisational units only.',
    },
    equivalents: {},
    resourceTypes: ['aws_ami_launch_permission', 'aws_db_snapshot', 'aws_db_cluster_snapshot'],
  },
  check(ctx) {
    for (const perm of ctx.model.resourcesOfType('aws_ami_launch_permission')) {
      const group = perm.attr('group');
      if (group && !isUnknown(group.value) && group.value === 'all') {
        ctx.report({ resource: perm, messageId: 'publicAmi', span: group.span, file: group.file });
      }
    }
    for (const snap of ctx.model.resourcesOfType('aws_db_snapshot', 'aws_db_cluster_snapshot')) {
      const shared = snap.attr('shared_accounts');
      if (shared && Array.isArray(shared.value) && shared.value.some((a) => a === 'all')) {
        // The fix drops "all" when the list is written out, keeping the accounts named in it.
        const e = shared.node.expr;
        const at = e.kind === 'tuple' ? e.items.findIndex((x) => x.kind === 'template' && x.parts.length === 1 && x.parts[0]!.kind === 'text' && x.parts[0]!.value === 'all') : -1;
        const fix = e.kind === 'tuple' && at >= 0 ? ctx.fixer.fix('Stop sharing the snapshot with all accounts (remove "all")', ctx.fixer.removeElement(shared.file, e, at)) : undefined;
        ctx.report({ resource: snap, messageId: 'publicSnapshot', span: shared.span, file: shared.file, fix });
      }
    }
  },
});
