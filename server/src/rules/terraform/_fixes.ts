// Shared fix builders for the Terraform rules (not a rule: the index skips `_` files).

import type { Expr } from '../../documents/terraform/ast';
import type { AttrView, BodyView, TfResource } from '../../documents/terraform/model';
import { hcl, isConstantExpr, placeholder, type FileEdit, type FixSpec, type NewItem } from '../../engine/fixer';
import type { TerraformRuleContext } from '../../engine/rule';
import { isPublicCidr, type Field } from './_network';

export { hcl, isConstantExpr, placeholder };
export type { FixSpec, NewItem };

/** The companion resources of an `aws_s3_bucket` (AWS provider v4+), after the last of which a new one goes. */
export const S3_COMPANIONS = [
  'aws_s3_bucket_versioning',
  'aws_s3_bucket_server_side_encryption_configuration',
  'aws_s3_bucket_public_access_block',
  'aws_s3_bucket_logging',
  'aws_s3_bucket_acl',
  'aws_s3_bucket_policy',
  'aws_s3_bucket_ownership_controls',
  'aws_s3_bucket_lifecycle_configuration',
  'aws_s3_bucket_cors_configuration',
  'aws_s3_bucket_website_configuration',
  'aws_s3_bucket_object_lock_configuration',
];

/** True when the resource block is expanded by `count` or `for_each` (a companion would need the same expansion). */
export function isExpanded(res: TfResource): boolean {
  return res.block.body.items.some((it) => it.kind === 'attribute' && (it.name === 'count' || it.name === 'for_each'));
}

/** A resource name of `type` that is free in the resource's module: `preferred`, else `preferred_2`, … */
export function freeName(ctx: TerraformRuleContext, res: TfResource, type: string, preferred: string): string {
  const taken = new Set(
    ctx.model
      .resourcesOfType(type)
      .filter((r) => r.modulePath.join('.') === res.modulePath.join('.'))
      .map((r) => r.name),
  );
  if (!taken.has(preferred)) return preferred;
  for (let i = 2; ; i++) if (!taken.has(`${preferred}_${i}`)) return `${preferred}_${i}`;
}

/**
 * An edit adding a companion resource linked to `res` (`<link> = <res type>.<name>.<attr>`), written after
 * `res` or after the last companion of `res` in the same file. Undefined for `count`/`for_each` resources.
 */
export function companionEdit(
  ctx: TerraformRuleContext,
  res: TfResource,
  type: string,
  items: NewItem[],
  o: { link?: string; attr?: string; companions?: string[] } = {},
): FileEdit | undefined {
  if (isExpanded(res)) return undefined;
  const link = o.link ?? 'bucket';
  const companions = (o.companions ?? S3_COMPANIONS).flatMap((t) => ctx.model.linked(res, t, [link], [link]));
  let anchor: BodyView = res;
  for (const c of companions) if (c.file === res.file && c.block.end > anchor.block.end && c.block.start > res.block.end) anchor = c;
  const name = freeName(ctx, res, type, res.name);
  const body = [hcl.attr(link, `${res.type}.${res.name}.${o.attr ?? 'id'}`), ...items];
  return ctx.fixer.addAfter(anchor, hcl.block('resource', body, [type, name]));
}

/** `Set <name> = <value>` on a block: replaces the value when written, else inserts the attribute. */
export function setFix(ctx: TerraformRuleContext, view: BodyView, name: string, value: string, title?: string): FixSpec | undefined {
  return ctx.fixer.fix(title ?? `Set ${name} = ${value}`, ctx.fixer.set(view, name, value));
}

/** Like {@link setFix} for a dotted path through nested blocks (`point_in_time_recovery.enabled`). */
export function setPathFix(ctx: TerraformRuleContext, view: BodyView, path: string, value: string, title?: string): FixSpec | undefined {
  return ctx.fixer.fix(title ?? `Set ${path} = ${value}`, ctx.fixer.setPath(view, path, value));
}

/** What a fix writes for a setting: the value (HCL source), and whether it is a placeholder. */
export interface ValueFix {
  value: string;
  /** Default: `Set <path> = <value>`. */
  title?: string;
  placeholder?: boolean;
}

/**
 * Writes `fix.value` at `path` below `view`: replaces the value where `attr` (the judged setting) is written,
 * else adds the attribute and any missing nested blocks.
 */
export function valueFix(ctx: TerraformRuleContext, view: BodyView, path: string, attr: AttrView | undefined, fix: ValueFix): FixSpec | undefined {
  const title = fix.title ?? `Set ${path} = ${fix.value}${fix.placeholder ? ' (placeholder to fill in)' : ''}`;
  const edit = attr ? ctx.fixer.replaceValue(attr.file, attr.span, fix.value) : ctx.fixer.setPath(view, path, fix.value);
  return ctx.fixer.fix(title, edit, fix.placeholder ? { placeholder: true } : {});
}

/** Replaces the written value of a judged setting: `Set <name> = <value>`. */
export function replaceFix(ctx: TerraformRuleContext, attr: AttrView, value: string, title?: string): FixSpec | undefined {
  return ctx.fixer.fix(title ?? `Set ${attr.node.name} = ${value}`, ctx.fixer.replaceValue(attr.file, attr.span, value));
}

/** A plain string literal's value (no interpolation), else undefined. */
function literalString(e: Expr): string | undefined {
  return e.kind === 'template' && e.parts.every((p) => p.kind === 'text') ? e.parts.map((p) => (p.kind === 'text' ? p.value : '')).join('') : undefined;
}

/**
 * The fix for a public CIDR in a written rule field: drop the public entries from a list that keeps others,
 * else put a placeholder for the trusted range the user must choose. No fix when the value is computed.
 */
export function publicCidrFix(ctx: TerraformRuleContext, field: Field): FixSpec | undefined {
  const e = ctx.fixer.exprAt(field.file, field.span);
  if (!e) return undefined;
  const trusted = placeholder('trusted CIDR range');
  const one = literalString(e);
  if (one !== undefined) {
    if (!isPublicCidr(one)) return undefined;
    return ctx.fixer.fix(`Replace ${one.trim()} with a trusted CIDR range (placeholder to fill in)`, ctx.fixer.replace(field.file, e, trusted), { placeholder: true });
  }
  if (e.kind !== 'tuple') return undefined;
  const publicAt = e.items.map((x, i) => ({ i, v: literalString(x) })).filter((x) => x.v !== undefined && isPublicCidr(x.v));
  if (publicAt.length === 0) return undefined;
  const names = publicAt.map((x) => x.v!.trim()).join(', ');
  if (publicAt.length === e.items.length) {
    return ctx.fixer.fix(`Replace ${names} with a trusted CIDR range (placeholder to fill in)`, ctx.fixer.replace(field.file, e, `[${trusted}]`), { placeholder: true });
  }
  if (publicAt.length === 1) return ctx.fixer.fix(`Remove ${names}`, ctx.fixer.removeElement(field.file, e, publicAt[0]!.i));
  const text = ctx.fixer.source(field.file)?.text;
  if (text === undefined) return undefined;
  const keep = e.items.filter((_x, i) => !publicAt.some((p) => p.i === i)).map((x) => text.slice(x.start, x.end));
  return ctx.fixer.fix(`Remove ${names}`, ctx.fixer.replace(field.file, e, `[${keep.join(', ')}]`));
}
