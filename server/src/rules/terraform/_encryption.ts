// Shared logic for the encryption-at-rest and key-management rules (not a rule: the index skips `_` files).

import type { Span } from '../../documents/terraform/ast';
import type { AttrView, BodyView, TerraformModel, TfResource } from '../../documents/terraform/model';
import { isUnknown, type Value } from '../../documents/terraform/values';
import type { TerraformRuleContext } from '../../engine/rule';
import { valueFix, type FixSpec, type ValueFix } from './_fixes';

export { isUnknown };
export type { Value, AttrView, BodyView, TfResource };

/** A known `true` (HCL also accepts the string). */
export const isTrue = (v: Value): boolean => v === true || v === 'true';

/** A known, non-blank string. */
export const isFilled = (v: Value): boolean => typeof v === 'string' && v.trim() !== '';

/**
 * The attribute at `path` when it is set: Terraform treats an explicit `null` exactly like an omitted
 * argument, so both come back as undefined. An unknown value is returned (callers skip it).
 */
export function setting(view: BodyView, path: string): AttrView | undefined {
  const a = view.get(path);
  return a && a.value !== null ? a : undefined;
}

/** True when `path` is set to anything but null (a known value or an unknown one). */
export function isSet(view: BodyView, path: string): boolean {
  return setting(view, path) !== undefined;
}

/** The span of a nested block's header (`root_block_device`, `encrypt_at_rest`), where a setting missing inside it is reported. */
export function blockHeaderSpan(view: BodyView): Span {
  const b = view.block;
  const last = b.labels[b.labels.length - 1];
  return { start: b.start, end: last ? last.end : b.typeSpan.end };
}

/** Identity of a resource instance across calls (the model may hand out fresh views). */
export function sameInstance(a: TfResource, b: TfResource): boolean {
  return a === b || (a.address === b.address && a.instanceKey === b.instanceKey && a.file === b.file && a.headerSpan.start === b.headerSpan.start);
}

/** Where a missing setting should be reported: the resource header, or the header of the nested block that lacks it. */
export interface MissingAt {
  file: string;
  /** Undefined: the resource header. */
  span: Span | undefined;
}

/** How one setting was judged. */
export type Verdict =
  | { kind: 'ok'; attr: AttrView }
  | { kind: 'unknown' }
  | { kind: 'missing'; at: MissingAt }
  | { kind: 'incorrect'; attr: AttrView };

/**
 * Judges the setting at the dotted `path` below `view` (the resource itself or one of its nested
 * blocks) without reporting. Absent (or null) → `missing`, located at the innermost block that exists on
 * the path; a `dynamic` block that may supply the path → `unknown`; an unknown value → `unknown`;
 * otherwise `ok`/`incorrect` by `ok(value)`.
 */
export function judge(res: TfResource, view: BodyView, path: string, ok: (v: Value) => boolean): Verdict {
  const attr = setting(view, path);
  if (attr) {
    if (isUnknown(attr.value)) return { kind: 'unknown' };
    return ok(attr.value) ? { kind: 'ok', attr } : { kind: 'incorrect', attr };
  }
  const steps = path.split('.');
  let here: BodyView = view;
  for (const step of steps.slice(0, -1)) {
    if (here.hasDynamic(step)) return { kind: 'unknown' };
    const inner = here.blocks(step)[0];
    if (!inner) break;
    here = inner;
  }
  const atResource = here === res;
  return { kind: 'missing', at: { file: here.file, span: atResource ? undefined : blockHeaderSpan(here) } };
}

/** Options for {@link requireSetting}. */
export interface RequireOptions {
  missingId?: string;
  incorrectId?: string;
  /** Extra placeholders (the resource address is always `name`). */
  data?: Record<string, string | number>;
  /** Report the missing case at all (default true). */
  reportMissing?: boolean;
  /** The value a fix writes at `path` (for the missing and the incorrect case). */
  fix?: ValueFix;
  /** A fix built by the rule itself, for fixes that touch more than the setting. Wins over `fix`. */
  fixWith?: (v: Verdict) => FixSpec | undefined;
}

/** {@link judge}, then reports `missing` on the header that lacks the setting or `incorrect` on the value. */
export function requireSetting(
  ctx: TerraformRuleContext,
  res: TfResource,
  view: BodyView,
  path: string,
  ok: (v: Value) => boolean,
  o: RequireOptions = {},
): Verdict {
  const v = judge(res, view, path, ok);
  if (v.kind === 'missing' && (o.reportMissing ?? true)) {
    ctx.report({
      resource: res,
      messageId: o.missingId ?? 'missing',
      ...(v.at.span ? { span: v.at.span, file: v.at.file } : {}),
      data: o.data ?? {},
      fix: o.fixWith ? o.fixWith(v) : o.fix && valueFix(ctx, view, path, undefined, o.fix),
    });
  } else if (v.kind === 'incorrect') {
    ctx.report({
      resource: res,
      messageId: o.incorrectId ?? 'incorrect',
      span: v.attr.span,
      file: v.attr.file,
      data: o.data ?? {},
      fix: o.fixWith ? o.fixWith(v) : o.fix && valueFix(ctx, view, path, v.attr, o.fix),
    });
  }
  return v;
}

// ---------------------------------------------------------------------------------------------
// S3 default (bucket-level) encryption

export const S3_SSE_ALGORITHMS = new Set(['AES256', 'aws:kms', 'aws:kms:dsse']);
export const isS3Algorithm = (v: Value): boolean => typeof v === 'string' && S3_SSE_ALGORITHMS.has(v);

/** The `aws_s3_bucket_server_side_encryption_configuration` resources that configure `bucket`. */
export function s3EncryptionCompanions(model: TerraformModel, bucket: TfResource): TfResource[] {
  return model.linked(bucket, 'aws_s3_bucket_server_side_encryption_configuration', ['bucket'], ['bucket']);
}

/**
 * Whether the bucket declares default encryption (inline on provider v3 or through the v4+ companion
 * resource): `yes` when some rule names a valid algorithm, `unknown` when that cannot be decided
 * statically, `no` otherwise.
 */
export function s3DefaultEncryption(model: TerraformModel, bucket: TfResource): 'yes' | 'no' | 'unknown' {
  const verdicts: Verdict[] = [];
  for (const c of s3EncryptionCompanions(model, bucket)) {
    if (c.hasDynamic('rule')) verdicts.push({ kind: 'unknown' });
    for (const rule of c.blocks('rule')) verdicts.push(judge(c, rule, 'apply_server_side_encryption_by_default.sse_algorithm', isS3Algorithm));
  }
  if (bucket.hasDynamic('server_side_encryption_configuration')) verdicts.push({ kind: 'unknown' });
  for (const cfg of bucket.blocks('server_side_encryption_configuration')) {
    if (cfg.hasDynamic('rule')) verdicts.push({ kind: 'unknown' });
    for (const rule of cfg.blocks('rule')) verdicts.push(judge(bucket, rule, 'apply_server_side_encryption_by_default.sse_algorithm', isS3Algorithm));
  }
  if (verdicts.some((v) => v.kind === 'ok')) return 'yes';
  if (verdicts.some((v) => v.kind === 'unknown')) return 'unknown';
  return 'no';
}

// ---------------------------------------------------------------------------------------------
// Whether a storage resource is encrypted, for the rules about copies of it (snapshots).

export type EncryptionState =
  | { kind: 'encrypted' }
  | { kind: 'unknown' }
  /** `attr` is the setting that turns encryption off; undefined when it is simply left out. */
  | { kind: 'unencrypted'; attr: AttrView | undefined };

/** An `aws_ebs_volume`: `encrypted`, defaulting to false unless the volume is restored from a snapshot. */
export function ebsVolumeEncryption(vol: TfResource): EncryptionState {
  const enc = setting(vol, 'encrypted');
  if (enc) {
    if (isUnknown(enc.value)) return { kind: 'unknown' };
    return isTrue(enc.value) ? { kind: 'encrypted' } : { kind: 'unencrypted', attr: enc };
  }
  // A volume restored from a snapshot inherits the snapshot's encryption.
  if (isSet(vol, 'snapshot_id')) return { kind: 'unknown' };
  return { kind: 'unencrypted', attr: undefined };
}

/** An `aws_db_instance`: `storage_encrypted` (a KMS key implies it; replicas and restores inherit). */
export function dbInstanceEncryption(db: TfResource): EncryptionState {
  // Aurora instances take their storage encryption from the cluster.
  const engine = setting(db, 'engine');
  if (engine && typeof engine.value === 'string' && engine.value.startsWith('aurora')) return { kind: 'unknown' };
  const enc = setting(db, 'storage_encrypted');
  if (enc) {
    if (isUnknown(enc.value)) return { kind: 'unknown' };
    return isTrue(enc.value) ? { kind: 'encrypted' } : { kind: 'unencrypted', attr: enc };
  }
  if (isSet(db, 'kms_key_id')) return { kind: 'encrypted' };
  for (const inherits of ['replicate_source_db', 'snapshot_identifier']) if (isSet(db, inherits)) return { kind: 'unknown' };
  if (db.blocks('restore_to_point_in_time').length > 0 || db.hasDynamic('restore_to_point_in_time')) return { kind: 'unknown' };
  return { kind: 'unencrypted', attr: undefined };
}

/** An `aws_rds_cluster`: `storage_encrypted`, which defaults to true only for Serverless v1 (`engine_mode = "serverless"`). */
export function rdsClusterEncryption(cluster: TfResource): EncryptionState {
  const enc = setting(cluster, 'storage_encrypted');
  if (enc) {
    if (isUnknown(enc.value)) return { kind: 'unknown' };
    return isTrue(enc.value) ? { kind: 'encrypted' } : { kind: 'unencrypted', attr: enc };
  }
  const mode = setting(cluster, 'engine_mode');
  if (mode) {
    if (isUnknown(mode.value)) return { kind: 'unknown' };
    if (mode.value === 'serverless') return { kind: 'encrypted' };
  }
  if (isSet(cluster, 'kms_key_id')) return { kind: 'encrypted' };
  for (const inherits of ['snapshot_identifier', 'replication_source_identifier', 'global_cluster_identifier', 'source_region']) {
    if (isSet(cluster, inherits)) return { kind: 'unknown' };
  }
  if (cluster.blocks('restore_to_point_in_time').length > 0 || cluster.hasDynamic('restore_to_point_in_time')) return { kind: 'unknown' };
  return { kind: 'unencrypted', attr: undefined };
}
