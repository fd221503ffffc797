// Block devices declared on EC2 instances, launch templates and launch configurations are encrypted.

import { defineRule } from '../../engine/rule';
import { setPathFix } from './_fixes';
import { isSet, isTrue, requireSetting, type BodyView, type TfResource } from './_encryption';

export default defineRule({
  meta: {
    id: 'terraform/ec2-root-volume-unencrypted',
    platform: 'terraform',
    provider: 'aws',
    title: 'EC2 instance, launch template and launch configuration volumes are encrypted',
    severity: 'warning',
    controls: ['10.1.1', 'CLD.9.5.2'],
    messages: {
      rootMissing:
        'Instance "{{name}}" has no root_block_device with encrypted = true, so its root volume is encrypted only if the AMI snapshot or the account default says so.',
      missing: 'Block {{device}} of "{{name}}" does not set encrypted = true, so the volume is created unencrypted unless the account enforces EBS encryption by default.',
      incorrect: 'Block {{device}} of "{{name}}" creates an unencrypted volume.',
    },
    fixable: true,
    docs: {
      summary:
        'The disks of a virtual machine hold its operating system, application files and often cached data or credentials. Encrypting every EBS volume attached at launch keeps that data, and the snapshots and images made from it, unreadable outside the account\'s KMS permissions.',
    },
    equivalents: {
      checkov: ['CKV_AWS_8'],
      trivy: [
        'AVD-AWS-0131',
        'AWS-0131',
        'aws-ec2-enable-at-rest-encryption',
        'AVD-AWS-0008',
        'AWS-0008',
        'aws-ec2-enable-launch-config-at-rest-encryption',
      ],
      kics: ['4de9de27-254e-424f-bd70-4c1e95790838'],
    },
    resourceTypes: ['aws_instance', 'aws_launch_template', 'aws_launch_configuration'],
  },
  check(ctx) {
    /** One declared device: missing `encrypted` is reported on its block, `false` on the value. */
    const device = (res: TfResource, view: BodyView, label: string): void => {
      // A device restored from a snapshot that is silent about encryption inherits the snapshot's.
      const fromSnapshot = isSet(view, 'snapshot_id');
      requireSetting(ctx, res, view, 'encrypted', isTrue, { reportMissing: !fromSnapshot, data: { device: label }, fix: { value: 'true' } });
    };

    for (const res of ctx.model.resourcesOfType('aws_instance', 'aws_launch_configuration')) {
      const roots = res.blocks('root_block_device');
      // Without a root_block_device an instance's root volume follows its AMI, which is usually
      // unencrypted; an instance started from a launch template gets its devices from the template.
      // (Launch configurations are not judged on this: KICS's samples accept them.)
      if (
        roots.length === 0 &&
        res.type === 'aws_instance' &&
        !res.hasDynamic('root_block_device') &&
        res.blocks('launch_template').length === 0 &&
        !res.hasDynamic('launch_template')
      ) {
        ctx.report({ resource: res, messageId: 'rootMissing', fix: setPathFix(ctx, res, 'root_block_device.encrypted', 'true') });
      }
      for (const root of roots) device(res, root, 'root_block_device');
      for (const ebs of res.blocks('ebs_block_device')) device(res, ebs, 'ebs_block_device');
    }

    for (const lt of ctx.model.resourcesOfType('aws_launch_template')) {
      for (const mapping of lt.blocks('block_device_mappings')) {
        for (const ebs of mapping.blocks('ebs')) device(lt, ebs, 'block_device_mappings.ebs');
      }
    }
  },
});
