// Declarative helpers for the common Terraform rule shapes, so that most rules stay short.

import type { AttrView, TfResource } from '../../documents/terraform/model';
import { isUnknown, type Value } from '../../documents/terraform/values';
import type { TerraformRuleContext } from '../../engine/rule';
import { valueFix, type FixSpec, type ValueFix } from './_fixes';

export { isUnknown };
export type { Value, AttrView, TfResource };

/** How an expected attribute is judged. */
export interface ExpectOptions {
  /** Resource types to inspect. */
  types: string[];
  /** Dotted path through nested blocks/objects, e.g. `versioning.enabled`. */
  path: string;
  /** True when the known value is acceptable. Unknown values are never judged. */
  ok: (value: Value) => boolean;
  /** What a missing attribute means: `report` (default, messageId `missing`) or `ok`. */
  whenMissing?: 'report' | 'ok';
  /** Message ids; defaults `missing` and `incorrect`. */
  missingId?: string;
  incorrectId?: string;
  /** Extra condition: only resources for which this returns true are inspected. */
  applies?: (res: TfResource) => boolean;
  /** Extra placeholder data for messages. */
  data?: (res: TfResource, attr: AttrView | undefined) => Record<string, string | number>;
  /** The value (HCL source) a fix writes at `path`, for both the missing and the incorrect case; or a fix builder. */
  fix?: ValueFix | ((res: TfResource, attr: AttrView | undefined) => FixSpec | undefined);
}

/**
 * The "attribute X must satisfy P" rule: reports `missing` on the resource header when the path is
 * absent, and `incorrect` on the value when it is known and fails `ok`.
 */
export function expectAttr(ctx: TerraformRuleContext, o: ExpectOptions): void {
  for (const res of ctx.model.resourcesOfType(...o.types)) {
    if (o.applies && !o.applies(res)) continue;
    const attr = res.get(o.path);
    if (!attr) {
      if ((o.whenMissing ?? 'report') === 'report' && !pathMayBeDynamic(res, o.path)) {
        ctx.report({ resource: res, messageId: o.missingId ?? 'missing', data: o.data?.(res, undefined) ?? {}, fix: fixOf(ctx, o, res, undefined) });
      }
      continue;
    }
    if (isUnknown(attr.value)) continue;
    if (!o.ok(attr.value)) {
      ctx.report({
        resource: res,
        messageId: o.incorrectId ?? 'incorrect',
        span: attr.span,
        file: attr.file,
        data: o.data?.(res, attr) ?? {},
        fix: fixOf(ctx, o, res, attr),
      });
    }
  }
}

function fixOf(ctx: TerraformRuleContext, o: ExpectOptions, res: TfResource, attr: AttrView | undefined): FixSpec | undefined {
  if (!o.fix) return undefined;
  return typeof o.fix === 'function' ? o.fix(res, attr) : valueFix(ctx, res, o.path, attr, o.fix);
}

/** True when some block on the path is produced by a `dynamic` block, so absence proves nothing. */
export function pathMayBeDynamic(res: TfResource, path: string): boolean {
  const steps = path.split('.');
  let views: Array<import('../../documents/terraform/model').BodyView> = [res];
  for (const step of steps.slice(0, -1)) {
    if (views.some((v) => v.hasDynamic(step))) return true;
    views = views.flatMap((v) => v.blocks(step));
    if (views.length === 0) return false;
  }
  return false;
}

export const isTrue = (v: Value): boolean => v === true || v === 'true';
export const isFalse = (v: Value): boolean => v === false || v === 'false';
/** A known, non-empty string (e.g. a KMS key id). */
export const isNonEmptyString = (v: Value): boolean => typeof v === 'string' && v.trim() !== '';
