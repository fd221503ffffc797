// Service detection: resource types → cloud services and service models, and the resource-type collector.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { detectServices, resourceTypeCollector, SERVICE_TABLE, serviceForType } from '../../../server/src/checklist/index';
import { projectFor, repoRoot } from '../support/project';

const service = (type: string) => {
  const e = serviceForType(type);
  return e && `${e.provider}/${e.name}/${e.model}`;
};

describe('checklist: service detection', () => {
  it('maps common resource types to services and models', () => {
    const expected: Record<string, string> = {
      aws_instance: 'aws/EC2/IaaS',
      aws_launch_template: 'aws/EC2/IaaS',
      aws_ebs_volume: 'aws/EC2/IaaS',
      aws_security_group: 'aws/VPC/IaaS',
      aws_db_instance: 'aws/RDS/PaaS',
      aws_rds_cluster: 'aws/RDS/PaaS',
      aws_lambda_function: 'aws/Lambda/PaaS',
      aws_s3_bucket: 'aws/S3/PaaS',
      aws_s3_bucket_versioning: 'aws/S3/PaaS',
      aws_eks_cluster: 'aws/EKS/PaaS',
      aws_iam_role: 'aws/IAM/PaaS',
      aws_workspaces_workspace: 'aws/WorkSpaces/SaaS',
      azurerm_kubernetes_cluster: 'azure/AKS/PaaS',
      azurerm_linux_virtual_machine: 'azure/Virtual Machines/IaaS',
      azurerm_storage_account: 'azure/Storage/PaaS',
      google_container_cluster: 'gcp/GKE/PaaS',
      google_compute_instance: 'gcp/Compute Engine/IaaS',
      google_sql_database_instance: 'gcp/Cloud SQL/PaaS',
    };
    for (const [type, want] of Object.entries(expected)) assert.equal(service(type), want, type);
  });

  it('has a table of at least 40 types, each in one service, each named for its provider', () => {
    const types = SERVICE_TABLE.flatMap((e) => e.types);
    assert.ok(types.length >= 40, `${types.length} types`);
    assert.equal(new Set(types).size, types.length, 'no type in two services');
    const prefix = { aws: 'aws_', azure: 'azurerm_', gcp: 'google_', kubernetes: 'kubernetes:' } as const;
    for (const e of SERVICE_TABLE) for (const t of [...e.types, ...(e.prefixes ?? [])]) assert.ok(t.startsWith(prefix[e.provider]), `${t} in ${e.name}`);
  });

  it('groups the types of a workspace into services, providers and models', () => {
    const d = detectServices(['aws_ebs_volume', 'aws_instance', 'aws_db_instance', 'aws_instance', 'aws_mystery_thing', 'random_id', 'google_container_cluster']);
    assert.deepEqual(d.services, [
      { name: 'EC2', provider: 'aws', model: 'IaaS', detectedFrom: ['aws_ebs_volume', 'aws_instance'] },
      { name: 'RDS', provider: 'aws', model: 'PaaS', detectedFrom: ['aws_db_instance'] },
      { name: 'GKE', provider: 'gcp', model: 'PaaS', detectedFrom: ['google_container_cluster'] },
    ]);
    assert.deepEqual(d.providers, ['aws', 'gcp']);
    assert.deepEqual(d.models, ['IaaS', 'PaaS']);
    assert.deepEqual(d.unmapped, ['aws_mystery_thing']);
  });

  it('accepts type counts or an evaluated model, ignoring data sources', () => {
    assert.deepEqual(detectServices(new Map([['aws_lambda_function', 2]])).services.map((s) => s.name), ['Lambda']);
    const model = { resources: [{ type: 'aws_s3_bucket', mode: 'managed' }, { type: 'aws_ami', mode: 'data' }] };
    assert.deepEqual(detectServices(model).services.map((s) => s.name), ['S3']);
    assert.deepEqual(detectServices([]), { providers: [], services: [], models: [], unmapped: [] });
  });

  it('collects the resource types of a project through the engine (distinct addresses per type)', () => {
    const collector = resourceTypeCollector();
    const result = projectFor(join(repoRoot, 'examples/terraform-aws'), [collector.rule]).analyzeAll();
    assert.deepEqual(result.findings, [], 'the collector reports nothing');
    assert.equal(collector.types.get('aws_s3_bucket'), 3);
    assert.equal(collector.types.get('aws_instance'), 1);
    assert.equal(collector.types.has('aws_caller_identity'), false, 'no data sources');
    const d = detectServices(collector.types);
    assert.deepEqual(d.services.map((s) => `${s.name} ${s.model}`), ['EC2 IaaS', 'VPC IaaS', 'RDS PaaS', 'S3 PaaS', 'KMS PaaS', 'CloudWatch PaaS']);
  });

  it('detects Kubernetes workloads from the manifests, as a platform of their own', () => {
    const collector = resourceTypeCollector();
    projectFor(join(repoRoot, 'examples'), collector.rules).analyzeAll();
    assert.equal(collector.types.get('kubernetes:Deployment'), 1);
    const d = detectServices(collector.types);
    assert.ok(d.providers.includes('kubernetes') && d.providers.includes('aws'), JSON.stringify(d.providers));
    const k8s = d.services.find((s) => s.provider === 'kubernetes')!;
    assert.deepEqual([k8s.name, k8s.model, k8s.detectedFrom], ['Kubernetes workloads', 'PaaS', ['kubernetes:Deployment']]);
  });
});
