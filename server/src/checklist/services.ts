// Which cloud services a workspace uses, and under which service model, from the Terraform resource types it
// declares and the Kubernetes objects in its manifests (as `kubernetes:<Kind>`). Pure: the types come from the
// engine's evaluated model and parsed manifests (see `resourceTypeCollector`).

import { SERVICE_MODELS, type ServiceModel } from '../catalog/catalog';
import type { KubernetesRule, Rule, TerraformRule } from '../engine/rule';
import type { ChecklistService } from './types';

/** One known service: the resource types (or type prefixes) that reveal it. */
export interface ServiceEntry {
  name: string;
  /** The cloud provider, or `kubernetes` for workloads on a cluster whose provider the manifests do not say. */
  provider: 'aws' | 'azure' | 'gcp' | 'kubernetes';
  model: ServiceModel;
  /** Exact resource types. */
  types: readonly string[];
  /** Resource type prefixes (e.g. `aws_s3_bucket_` for the bucket's satellite resources). */
  prefixes?: readonly string[];
}

/**
 * Common resource types and the service they belong to. The model is the one the service is sold as:
 * virtual machines, disks and networks are IaaS; managed runtimes, databases, storage and platform services
 * (identity, keys, logging) are PaaS; finished applications are SaaS.
 */
export const SERVICE_TABLE: readonly ServiceEntry[] = [
  // AWS
  { name: 'EC2', provider: 'aws', model: 'IaaS', types: ['aws_instance', 'aws_launch_template', 'aws_launch_configuration', 'aws_ebs_volume', 'aws_ebs_snapshot', 'aws_ebs_encryption_by_default', 'aws_ami', 'aws_autoscaling_group', 'aws_eip', 'aws_volume_attachment', 'aws_spot_instance_request', 'aws_key_pair'] },
  { name: 'VPC', provider: 'aws', model: 'IaaS', types: ['aws_vpc', 'aws_subnet', 'aws_security_group', 'aws_security_group_rule', 'aws_default_security_group', 'aws_network_acl', 'aws_network_acl_rule', 'aws_flow_log', 'aws_internet_gateway', 'aws_nat_gateway', 'aws_route_table', 'aws_route', 'aws_vpc_endpoint'], prefixes: ['aws_vpc_security_group_'] },
  { name: 'Elastic Load Balancing', provider: 'aws', model: 'PaaS', types: ['aws_lb', 'aws_alb', 'aws_elb', 'aws_lb_listener', 'aws_alb_listener', 'aws_lb_target_group'] },
  { name: 'RDS', provider: 'aws', model: 'PaaS', types: ['aws_db_instance', 'aws_rds_cluster', 'aws_rds_cluster_instance', 'aws_db_snapshot', 'aws_db_parameter_group'] },
  { name: 'Lambda', provider: 'aws', model: 'PaaS', types: ['aws_lambda_function', 'aws_lambda_permission', 'aws_lambda_layer_version', 'aws_lambda_event_source_mapping', 'aws_lambda_function_url'] },
  { name: 'S3', provider: 'aws', model: 'PaaS', types: ['aws_s3_bucket', 'aws_s3_object', 'aws_s3_bucket_object', 'aws_s3_account_public_access_block'], prefixes: ['aws_s3_bucket_'] },
  { name: 'EKS', provider: 'aws', model: 'PaaS', types: ['aws_eks_cluster', 'aws_eks_node_group', 'aws_eks_fargate_profile', 'aws_eks_addon'] },
  { name: 'ECS', provider: 'aws', model: 'PaaS', types: ['aws_ecs_cluster', 'aws_ecs_service', 'aws_ecs_task_definition'] },
  { name: 'ECR', provider: 'aws', model: 'PaaS', types: ['aws_ecr_repository', 'aws_ecr_repository_policy', 'aws_ecr_lifecycle_policy'] },
  { name: 'DynamoDB', provider: 'aws', model: 'PaaS', types: ['aws_dynamodb_table'] },
  { name: 'ElastiCache', provider: 'aws', model: 'PaaS', types: ['aws_elasticache_cluster', 'aws_elasticache_replication_group'] },
  { name: 'OpenSearch Service', provider: 'aws', model: 'PaaS', types: ['aws_opensearch_domain', 'aws_elasticsearch_domain'] },
  { name: 'Redshift', provider: 'aws', model: 'PaaS', types: ['aws_redshift_cluster'] },
  { name: 'EFS', provider: 'aws', model: 'PaaS', types: ['aws_efs_file_system', 'aws_efs_mount_target'] },
  { name: 'SQS', provider: 'aws', model: 'PaaS', types: ['aws_sqs_queue', 'aws_sqs_queue_policy'] },
  { name: 'SNS', provider: 'aws', model: 'PaaS', types: ['aws_sns_topic', 'aws_sns_topic_policy', 'aws_sns_topic_subscription'] },
  { name: 'Kinesis', provider: 'aws', model: 'PaaS', types: ['aws_kinesis_stream', 'aws_kinesis_firehose_delivery_stream'] },
  { name: 'API Gateway', provider: 'aws', model: 'PaaS', types: ['aws_api_gateway_rest_api', 'aws_api_gateway_stage', 'aws_apigatewayv2_api', 'aws_apigatewayv2_stage'] },
  { name: 'CloudFront', provider: 'aws', model: 'PaaS', types: ['aws_cloudfront_distribution'] },
  { name: 'KMS', provider: 'aws', model: 'PaaS', types: ['aws_kms_key', 'aws_kms_alias'] },
  { name: 'Secrets Manager', provider: 'aws', model: 'PaaS', types: ['aws_secretsmanager_secret', 'aws_secretsmanager_secret_version'] },
  { name: 'IAM', provider: 'aws', model: 'PaaS', types: [], prefixes: ['aws_iam_'] },
  { name: 'CloudTrail', provider: 'aws', model: 'PaaS', types: ['aws_cloudtrail'] },
  { name: 'CloudWatch', provider: 'aws', model: 'PaaS', types: ['aws_cloudwatch_log_group', 'aws_cloudwatch_metric_alarm', 'aws_cloudwatch_event_rule'] },
  { name: 'GuardDuty', provider: 'aws', model: 'PaaS', types: ['aws_guardduty_detector'] },
  { name: 'Cognito', provider: 'aws', model: 'PaaS', types: ['aws_cognito_user_pool', 'aws_cognito_identity_pool'] },
  { name: 'WorkSpaces', provider: 'aws', model: 'SaaS', types: ['aws_workspaces_workspace', 'aws_workspaces_directory'] },
  { name: 'QuickSight', provider: 'aws', model: 'SaaS', types: [], prefixes: ['aws_quicksight_'] },
  { name: 'Amazon Connect', provider: 'aws', model: 'SaaS', types: ['aws_connect_instance'] },
  // Azure
  { name: 'Virtual Machines', provider: 'azure', model: 'IaaS', types: ['azurerm_linux_virtual_machine', 'azurerm_windows_virtual_machine', 'azurerm_virtual_machine', 'azurerm_managed_disk', 'azurerm_linux_virtual_machine_scale_set', 'azurerm_windows_virtual_machine_scale_set', 'azurerm_network_interface'] },
  { name: 'Virtual Network', provider: 'azure', model: 'IaaS', types: ['azurerm_virtual_network', 'azurerm_subnet', 'azurerm_network_security_group', 'azurerm_network_security_rule', 'azurerm_public_ip'] },
  { name: 'AKS', provider: 'azure', model: 'PaaS', types: ['azurerm_kubernetes_cluster', 'azurerm_kubernetes_cluster_node_pool'] },
  { name: 'Storage', provider: 'azure', model: 'PaaS', types: ['azurerm_storage_account', 'azurerm_storage_container', 'azurerm_storage_blob', 'azurerm_storage_share'] },
  { name: 'Azure SQL Database', provider: 'azure', model: 'PaaS', types: ['azurerm_mssql_server', 'azurerm_mssql_database', 'azurerm_sql_server', 'azurerm_sql_database'] },
  { name: 'Azure Database for PostgreSQL', provider: 'azure', model: 'PaaS', types: ['azurerm_postgresql_flexible_server', 'azurerm_postgresql_server'] },
  { name: 'Azure Database for MySQL', provider: 'azure', model: 'PaaS', types: ['azurerm_mysql_flexible_server', 'azurerm_mysql_server'] },
  { name: 'Cosmos DB', provider: 'azure', model: 'PaaS', types: ['azurerm_cosmosdb_account'] },
  { name: 'App Service', provider: 'azure', model: 'PaaS', types: ['azurerm_linux_web_app', 'azurerm_windows_web_app', 'azurerm_app_service', 'azurerm_service_plan', 'azurerm_app_service_plan'] },
  { name: 'Azure Functions', provider: 'azure', model: 'PaaS', types: ['azurerm_linux_function_app', 'azurerm_windows_function_app', 'azurerm_function_app'] },
  { name: 'Key Vault', provider: 'azure', model: 'PaaS', types: ['azurerm_key_vault', 'azurerm_key_vault_key', 'azurerm_key_vault_secret'] },
  // Google Cloud
  { name: 'Compute Engine', provider: 'gcp', model: 'IaaS', types: ['google_compute_instance', 'google_compute_instance_template', 'google_compute_disk', 'google_compute_instance_group_manager'] },
  { name: 'VPC Network', provider: 'gcp', model: 'IaaS', types: ['google_compute_network', 'google_compute_subnetwork', 'google_compute_firewall', 'google_compute_router'] },
  { name: 'GKE', provider: 'gcp', model: 'PaaS', types: ['google_container_cluster', 'google_container_node_pool'] },
  { name: 'Cloud Storage', provider: 'gcp', model: 'PaaS', types: ['google_storage_bucket', 'google_storage_bucket_iam_binding', 'google_storage_bucket_iam_member', 'google_storage_bucket_object'] },
  { name: 'Cloud SQL', provider: 'gcp', model: 'PaaS', types: ['google_sql_database_instance', 'google_sql_database', 'google_sql_user'] },
  { name: 'Cloud Functions', provider: 'gcp', model: 'PaaS', types: ['google_cloudfunctions_function', 'google_cloudfunctions2_function'] },
  { name: 'Cloud Run', provider: 'gcp', model: 'PaaS', types: ['google_cloud_run_service', 'google_cloud_run_v2_service'] },
  { name: 'Cloud KMS', provider: 'gcp', model: 'PaaS', types: ['google_kms_key_ring', 'google_kms_crypto_key'] },
  { name: 'BigQuery', provider: 'gcp', model: 'PaaS', types: ['google_bigquery_dataset', 'google_bigquery_table'] },
  { name: 'Pub/Sub', provider: 'gcp', model: 'PaaS', types: ['google_pubsub_topic', 'google_pubsub_subscription'] },
  // Kubernetes manifests: containers on a cluster (managed or not), whose platform is run like a PaaS.
  { name: 'Kubernetes workloads', provider: 'kubernetes', model: 'PaaS', types: [], prefixes: ['kubernetes:'] },
];

/** Resource type prefix → provider, for types the table does not name. */
const PROVIDER_PREFIXES: ReadonlyArray<[string, string]> = [
  ['aws_', 'aws'],
  ['azurerm_', 'azure'],
  ['azuread_', 'azure'],
  ['azapi_', 'azure'],
  ['google_', 'gcp'],
  ['kubernetes:', 'kubernetes'],
];

const byType = new Map<string, ServiceEntry>();
for (const e of SERVICE_TABLE) for (const t of e.types) byType.set(t, e);

/** The service a resource type belongs to, if the table knows it. */
export function serviceForType(type: string): ServiceEntry | undefined {
  return byType.get(type) ?? SERVICE_TABLE.find((e) => e.prefixes?.some((p) => type.startsWith(p)));
}

/** The cloud provider of a resource type (`aws`, `azure`, `gcp`), from its prefix. */
export function providerOfType(type: string): string | undefined {
  return PROVIDER_PREFIXES.find(([p]) => type.startsWith(p))?.[1];
}

/** What `detectServices` accepts: resource type counts, a list of types, or an evaluated model. */
export type ResourceTypes = ReadonlyMap<string, number> | Iterable<string> | { readonly resources: ReadonlyArray<{ type: string; mode?: string }> };

export interface DetectedServices {
  /** Providers seen, sorted. */
  providers: string[];
  /** Services in table order (by provider, then as listed), each with the sorted types it was detected from. */
  services: ChecklistService[];
  /** The service models of those services, in the order IaaS, PaaS, SaaS. */
  models: ServiceModel[];
  /** Cloud resource types the table does not know (sorted); they add their provider but no service. */
  unmapped: string[];
}

function typesOf(input: ResourceTypes): string[] {
  if (typeof input === 'string') return [input];
  if (input instanceof Map) return [...(input as ReadonlyMap<string, number>).keys()];
  if ('resources' in input && !(Symbol.iterator in input)) return input.resources.filter((r) => r.mode !== 'data').map((r) => r.type);
  return [...(input as Iterable<string>)];
}

/** Maps the resource types found in a workspace to cloud services and their service models. */
export function detectServices(input: ResourceTypes): DetectedServices {
  const types = [...new Set(typesOf(input))].sort();
  const found = new Map<ServiceEntry, string[]>();
  const providers = new Set<string>();
  const unmapped: string[] = [];
  for (const t of types) {
    const e = serviceForType(t);
    if (e) {
      found.set(e, [...(found.get(e) ?? []), t]);
      providers.add(e.provider);
      continue;
    }
    const p = providerOfType(t);
    if (p) {
      providers.add(p);
      unmapped.push(t);
    }
  }
  const services = SERVICE_TABLE.filter((e) => found.has(e)).map((e) => ({ name: e.name, provider: e.provider, model: e.model, detectedFrom: found.get(e)! }));
  const models = SERVICE_MODELS.filter((m) => services.some((s) => s.model === m));
  return { providers: [...providers].sort(), services, models, unmapped };
}

/**
 * A rule that reports nothing and counts the managed resources of each type (distinct addresses, so `count`
 * and `for_each` instances count once). Run it in a `Project` to learn what a workspace declares.
 */
export function resourceTypeCollector(): { rule: Rule; rules: Rule[]; types: Map<string, number> } {
  const addresses = new Map<string, Set<string>>();
  const types = new Map<string, number>();
  const rule: TerraformRule = {
    meta: {
      id: 'internal/resource-types',
      platform: 'terraform',
      title: 'Collects the resource types a workspace declares',
      severity: 'hint',
      controls: [],
      messages: {},
      fixable: false,
      docs: { summary: 'Internal: feeds service detection for the shared-responsibility checklist.' },
      equivalents: {},
    },
    check(ctx) {
      for (const r of ctx.model.resources) {
        if (r.mode !== 'managed') continue;
        const seen = addresses.get(r.type) ?? new Set<string>();
        seen.add(r.address);
        addresses.set(r.type, seen);
        types.set(r.type, seen.size);
      }
    },
  };
  // Kubernetes objects count as `kubernetes:<Kind>`, once per object.
  const objects = new Map<string, Set<string>>();
  const k8s: KubernetesRule = {
    meta: { ...rule.meta, id: 'internal/kubernetes-kinds', platform: 'kubernetes', title: 'Collects the Kubernetes object kinds a workspace declares' },
    check(ctx) {
      for (const o of ctx.doc.objects) {
        const type = `kubernetes:${o.kind}`;
        const seen = objects.get(type) ?? new Set<string>();
        seen.add(`${ctx.doc.path}#${o.namespace ?? ''}/${o.name}/${o.span.start}`);
        objects.set(type, seen);
        types.set(type, seen.size);
      }
    },
  };
  return { rule, rules: [rule, k8s], types };
}
