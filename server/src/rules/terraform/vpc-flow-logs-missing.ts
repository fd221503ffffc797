// Every VPC has a flow log recording its traffic.

import { defineRule } from '../../engine/rule';
import { companionEdit, hcl, placeholder } from './_fixes';

const FLOW_LOG_TARGETS = ['vpc_id', 'subnet_id', 'eni_id', 'transit_gateway_id', 'transit_gateway_attachment_id'];

export default defineRule({
  meta: {
    id: 'terraform/vpc-flow-logs-missing',
    platform: 'terraform',
    provider: 'aws',
    title: 'VPCs have flow logs',
    severity: 'warning',
    controls: ['12.4.1', 'CLD.12.4.5', 'CLD.13.1.4'],
    messages: {
      missing: 'VPC "{{name}}" has no flow log: accepted and rejected connections in it are not recorded.',
      noTarget: 'Flow log "{{name}}" is not attached to a VPC, subnet, network interface or transit gateway, so it records nothing.',
    },
    fixable: true,
    docs: {
      summary:
        'Flow logs are the only record of which addresses talked to which inside a VPC. Without them, spotting a port scan, data exfiltration or traffic to a known-bad host, and reconstructing it afterwards, is not possible.',
    },
    equivalents: {
      checkov: ['CKV2_AWS_11'],
      trivy: ['AVD-AWS-0178', 'AWS-0178', 'aws-ec2-require-vpc-flow-logs-for-all-vpcs'],
      kics: ['f83121ea-03da-434f-9277-9cd247ab3047'],
    },
    resourceTypes: ['aws_vpc', 'aws_default_vpc', 'aws_flow_log'],
  },
  check(ctx) {
    for (const vpc of ctx.model.resourcesOfType('aws_vpc', 'aws_default_vpc')) {
      if (ctx.model.linked(vpc, 'aws_flow_log', ['vpc_id']).length > 0) continue;
      const fix = ctx.fixer.fix(
        `Add aws_flow_log for ${vpc.name} to an S3 bucket (placeholder to fill in)`,
        companionEdit(
          ctx,
          vpc,
          'aws_flow_log',
          [hcl.attr('traffic_type', '"ALL"'), hcl.attr('log_destination_type', '"s3"'), hcl.attr('log_destination', placeholder('ARN of the S3 bucket for flow logs'))],
          { link: 'vpc_id', companions: ['aws_flow_log'] },
        ),
        { placeholder: true },
      );
      ctx.report({ resource: vpc, messageId: 'missing', fix });
    }
    for (const fl of ctx.model.resourcesOfType('aws_flow_log')) {
      const attached = FLOW_LOG_TARGETS.some((n) => {
        const a = fl.attr(n);
        return a !== undefined && a.value !== null;
      });
      if (!attached) ctx.report({ resource: fl, messageId: 'noTarget' });
    }
  },
});
