// EC2 instances (and launch templates/configurations) do not get a public IP address.

import { defineRule } from '../../engine/rule';
import type { AttrView } from '../../documents/terraform/model';
import { setFix, type FixSpec } from './_fixes';
import { isUnknown } from '../../documents/terraform/values';
import { isTrue } from './helpers';

export default defineRule({
  meta: {
    id: 'terraform/ec2-instance-public-ip',
    platform: 'terraform',
    provider: 'aws',
    title: 'EC2 instances do not get a public IP address',
    severity: 'warning',
    controls: ['13.1.3', '9.1.2'],
    messages: {
      incorrect: '"{{name}}" assigns a public IP address to its instances: they can be reached from the internet wherever their security groups allow.',
      subnetDefault: 'EC2 instance "{{name}}" gets a public IP address because its subnet "{{subnet}}" assigns one on launch.',
      defaultVpc: 'EC2 instance "{{name}}" names no subnet or network interface, so it launches in the default VPC, whose subnets give every instance a public IP address.',
    },
    fixable: true,
    docs: {
      summary:
        'An instance with a public address sits directly on the internet and is protected only by its security groups. Keeping workloads in private subnets and publishing them through a load balancer, NAT gateway or Session Manager leaves a single, deliberate entry point instead of one per host.',
    },
    equivalents: {
      checkov: ['CKV_AWS_88', 'CKV_AWS_389'],
      trivy: ['AVD-AWS-0009', 'AWS-0009', 'aws-ec2-no-public-ip'],
      kics: ['5a2486aa-facf-477d-a5c1-b010789459ce'],
    },
    resourceTypes: ['aws_instance', 'aws_launch_template', 'aws_launch_configuration', 'aws_subnet'],
  },
  check(ctx) {
    const noPublicIp = (assoc: AttrView): FixSpec | undefined =>
      ctx.fixer.fix('Set associate_public_ip_address = false', ctx.fixer.replaceValue(assoc.file, assoc.span, 'false'));
    for (const inst of ctx.model.resourcesOfType('aws_instance')) {
      const assoc = inst.attr('associate_public_ip_address');
      if (assoc && assoc.value !== null) {
        if (!isUnknown(assoc.value) && isTrue(assoc.value)) {
          ctx.report({ resource: inst, messageId: 'incorrect', span: assoc.span, file: assoc.file, fix: noPublicIp(assoc) });
        }
        continue;
      }
      // Not set: a network interface decides, else the subnet's map_public_ip_on_launch.
      if (inst.blocks('network_interface').length > 0 || inst.hasDynamic('network_interface')) continue;
      if (inst.blocks('launch_template').length > 0 || inst.hasDynamic('launch_template')) continue;
      const subnet = inst.attr('subnet_id');
      if (!subnet || subnet.value === null) {
        ctx.report({ resource: inst, messageId: 'defaultVpc', fix: setFix(ctx, inst, 'associate_public_ip_address', 'false') });
        continue;
      }
      for (const s of ctx.model.referencedBy(subnet)) {
        if (s.type !== 'aws_subnet' && s.type !== 'aws_default_subnet') continue;
        const map = s.attr('map_public_ip_on_launch');
        if (map && !isUnknown(map.value) && isTrue(map.value)) {
          ctx.report({
            resource: inst,
            messageId: 'subnetDefault',
            data: { subnet: s.address },
            related: [{ file: map.file, span: map.span, message: 'the subnet assigns public IP addresses on launch' }],
            fix: setFix(ctx, inst, 'associate_public_ip_address', 'false'),
          });
          break;
        }
      }
    }
    for (const lc of ctx.model.resourcesOfType('aws_launch_configuration')) {
      const assoc = lc.attr('associate_public_ip_address');
      if (assoc && !isUnknown(assoc.value) && isTrue(assoc.value)) {
        ctx.report({ resource: lc, messageId: 'incorrect', span: assoc.span, file: assoc.file, fix: noPublicIp(assoc) });
      }
    }
    for (const lt of ctx.model.resourcesOfType('aws_launch_template')) {
      for (const ni of lt.blocks('network_interfaces')) {
        const assoc = ni.attr('associate_public_ip_address');
        if (assoc && !isUnknown(assoc.value) && isTrue(assoc.value)) {
          ctx.report({ resource: lt, messageId: 'incorrect', span: assoc.span, file: assoc.file, fix: noPublicIp(assoc) });
        }
      }
    }
  },
});
