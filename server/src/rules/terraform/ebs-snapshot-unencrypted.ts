// EBS snapshots are taken from encrypted volumes (a snapshot inherits its volume's encryption).

import { defineRule } from '../../engine/rule';
import { ebsVolumeEncryption } from './_encryption';

export default defineRule({
  meta: {
    id: 'terraform/ebs-snapshot-unencrypted',
    platform: 'terraform',
    provider: 'aws',
    title: 'EBS snapshots are taken from encrypted volumes',
    severity: 'warning',
    controls: ['10.1.1', '12.3.1'],
    messages: {
      volumeDisabled: 'EBS snapshot "{{name}}" copies volume "{{volume}}", which is unencrypted, so the snapshot is unencrypted too.',
      volumeMissing:
        'EBS snapshot "{{name}}" copies volume "{{volume}}", which does not set encrypted = true, so the snapshot is unencrypted too.',
    },
    fixable: true,
    docs: {
      summary:
        'A snapshot has exactly the encryption of the volume it is taken from, and snapshots are what gets copied between regions, shared with other accounts and kept for a long time. A backup of an unencrypted volume spreads readable copies of its data.',
    },
    equivalents: {
      kics: ['e6b4b943-6883-47a9-9739-7ada9568f8ca'],
    },
    resourceTypes: ['aws_ebs_snapshot', 'aws_ebs_volume'],
  },
  check(ctx) {
    for (const vol of ctx.model.resourcesOfType('aws_ebs_volume')) {
      const state = ebsVolumeEncryption(vol);
      if (state.kind !== 'unencrypted') continue;
      const fix = ctx.fixer.fix(
        `Encrypt the source volume ${vol.address} (set encrypted = true; the volume is replaced)`,
        state.attr ? ctx.fixer.replaceValue(state.attr.file, state.attr.span, 'true') : ctx.fixer.set(vol, 'encrypted', 'true'),
      );
      for (const snap of ctx.model.linked(vol, 'aws_ebs_snapshot', ['volume_id'], [])) {
        const data = { name: snap.address, volume: vol.address };
        if (state.attr) {
          // Point at the setting to change; the snapshot is the related location.
          ctx.report({
            resource: snap,
            messageId: 'volumeDisabled',
            span: state.attr.span,
            file: state.attr.file,
            data,
            related: [{ file: snap.file, span: snap.headerSpan, message: 'snapshot of this volume' }],
            fix,
          });
        } else {
          ctx.report({
            resource: snap,
            messageId: 'volumeMissing',
            data,
            related: [{ file: vol.file, span: vol.headerSpan, message: 'volume without encryption' }],
            fix,
          });
        }
      }
    }
  },
});
