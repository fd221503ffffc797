// EC2 instances name their own security groups instead of falling back to the VPC default group.

import type { AttrView, TfResource } from '../../documents/terraform/model';
import { defineRule } from '../../engine/rule';

/** True when the security group resource or data source is the VPC's default group. */
function isDefaultGroup(sg: TfResource): boolean {
  if (sg.type === 'aws_default_security_group') return true;
  if (sg.type !== 'aws_security_group') return false;
  const name = sg.attr('name');
  return name !== undefined && name.value === 'default';
}

/** A security group list that names the default group, by reference or (EC2-Classic style) by the name "default". */
function namesDefault(model: import('../../documents/terraform/model').TerraformModel, a: AttrView): boolean {
  if (Array.isArray(a.value) && a.value.some((v) => v === 'default')) return true;
  return model.referencedBy(a).some(isDefaultGroup);
}

export default defineRule({
  meta: {
    id: 'terraform/ec2-instance-uses-default-security-group',
    platform: 'terraform',
    provider: 'aws',
    title: 'EC2 instances use dedicated security groups, not the VPC default group',
    severity: 'warning',
    controls: ['13.1.3', 'CLD.9.5.1'],
    messages: {
      missing: 'EC2 instance "{{name}}" names no security group, so it is placed in the VPC\'s default security group.',
      incorrect: 'EC2 instance "{{name}}" uses the VPC\'s default security group.',
    },
    fixable: false,
    docs: {
      summary:
        'The default security group is shared by everything that was launched without a group of its own, and by default lets all its members talk to each other freely. Giving each workload its own group keeps unrelated instances apart and makes its allowed traffic explicit.',
    },
    equivalents: {},
    resourceTypes: ['aws_instance', 'aws_default_security_group', 'aws_security_group'],
  },
  check(ctx) {
    for (const inst of ctx.model.resourcesOfType('aws_instance')) {
      if (inst.blocks('network_interface').length > 0 || inst.hasDynamic('network_interface')) continue;
      // A launch template may carry the security groups.
      if (inst.blocks('launch_template').length > 0 || inst.hasDynamic('launch_template')) continue;
      const lists = ['vpc_security_group_ids', 'security_groups']
        .map((n) => inst.attr(n))
        .filter((a): a is AttrView => a !== undefined && a.value !== null);
      // Nothing written, or only known empty lists: EC2 falls back to the default group.
      if (lists.every((a) => Array.isArray(a.value) && a.value.length === 0)) {
        ctx.report({ resource: inst, messageId: 'missing' });
        continue;
      }
      const hit = lists.find((a) => namesDefault(ctx.model, a));
      if (hit) ctx.report({ resource: inst, messageId: 'incorrect', span: hit.span, file: hit.file });
    }
  },
});
