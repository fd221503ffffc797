// The evaluated Terraform model that rules read: resources with their evaluated attributes and links.

import type { Attribute, Block, Span } from './ast';
import type { Value } from './values';

/**
 * A view over one evaluated block body (a resource, or a nested block such as `versioning`).
 * Attribute values are evaluated in the resource instance's scope; an unknown value is an `Unknown`.
 */
export interface BodyView {
  /** The file holding this block. */
  readonly file: string;
  /** The syntax node (resource block or nested block). */
  readonly block: Block;
  /** The attribute written directly in this body, if any. */
  attr(name: string): AttrView | undefined;
  /** Nested blocks of this type written directly in this body, including those produced by `dynamic "type"` blocks (whose content is then evaluated as unknown where it depends on the iterator). */
  blocks(type: string): BodyView[];
  /**
   * Follows a dotted path through nested blocks and object values: `versioning.enabled`,
   * `metadata_options.http_tokens`, `tags.Name`. Returns undefined when any step is absent; an
   * attribute whose value is unknown returns a view with an `Unknown` value.
   */
  get(path: string): AttrView | undefined;
  /** True when a `dynamic "type"` block in this body may produce blocks of that type. */
  hasDynamic(type: string): boolean;
  /** Evaluates any expression of this file in this body's scope (for rules that read the syntax, e.g. `jsonencode(...)` arguments). */
  evaluate(expr: import('./ast').Expr): Value;
}

export interface AttrView {
  readonly file: string;
  /** The attribute node; for a path into an object value, the attribute that holds the object. */
  readonly node: Attribute;
  /** The span to highlight: the value of the attribute, or the object item for a nested path. */
  readonly span: Span;
  readonly value: Value;
}

/** One resource (or data source) block, evaluated for one instance (`count.index` / `each.key`). */
export interface TfResource extends BodyView {
  readonly mode: 'managed' | 'data';
  /** e.g. `aws_s3_bucket`. */
  readonly type: string;
  /** e.g. `logs`. */
  readonly name: string;
  /** e.g. `module.storage.aws_s3_bucket.logs` (no instance key). */
  readonly address: string;
  /** Module call names from the root, e.g. `['storage']`. */
  readonly modulePath: readonly string[];
  /** The span of `resource "type" "name"`, where findings about a missing setting are reported. */
  readonly headerSpan: Span;
  /** `count.index` or `each.key` for this instance, when the resource has `count`/`for_each`. */
  readonly instanceKey: number | string | undefined;
}

/** An evaluated `variable`/`provider`/`terraform` block is not needed by rules yet; resources are. */
export interface TerraformModel {
  /** All resource instances of every evaluated module instance (root modules and module calls). */
  readonly resources: readonly TfResource[];
  /** Managed resource instances of the given types, in source order. */
  resourcesOfType(...types: string[]): TfResource[];
  /** Data source instances of the given types (e.g. `aws_iam_policy_document`), address `data.<type>.<name>`. */
  dataOfType(...types: string[]): TfResource[];
  /**
   * Resources of `type` that point at `target`: one of `via` attributes (default: every top-level
   * attribute) refers to the target by reference (`aws_s3_bucket.b.id`, `.bucket`, `.arn`, through
   * locals, variables and module inputs) or names it by a literal equal to one of the target's
   * `names` attributes (e.g. a bucket's `bucket` name). Only resources in the same module instance tree
   * are considered.
   */
  linked(target: TfResource, type: string, via?: string[], names?: string[]): TfResource[];
  /** The resources (by address) an attribute's value refers to. */
  referencedBy(view: AttrView): TfResource[];
}
