// The rule API: a rule is metadata plus a pure `check` over the evaluated model.

import type { Span } from '../documents/terraform/ast';
import type { TerraformModel, TfResource } from '../documents/terraform/model';
import type { FixSpec, TerraformFixer } from './fixer';
import type { RuleMeta } from './types';

/** What a Terraform rule reports: a resource, a message id and where to point. */
export interface TerraformReport {
  resource: TfResource;
  /** A key of `meta.messages`. */
  messageId: string;
  /** Values for `{{placeholders}}`; `name` defaults to the resource address. */
  data?: Record<string, string | number>;
  /** Where to point, in `file` (default: the resource's file). Default: the resource header. */
  span?: Span;
  file?: string;
  /** Linked locations that explain the finding. */
  related?: Array<{ file: string; span: Span; message: string }>;
  /**
   * Fixes for the finding, built with `ctx.fixer`; the first (or the one marked `isPreferred`) is preferred.
   * `undefined` entries (edits that could not be made safely) are dropped.
   */
  fix?: FixSpec | ReadonlyArray<FixSpec | undefined> | undefined;
}

export interface TerraformRuleContext {
  readonly model: TerraformModel;
  report(r: TerraformReport): void;
  /** Builds fixes on the files' syntax trees and text (pure). */
  readonly fixer: TerraformFixer;
}

export interface TerraformRule {
  meta: RuleMeta & { platform: 'terraform' };
  check(ctx: TerraformRuleContext): void;
}

export type Rule = TerraformRule;

/** Identity helper that types a rule module's default export. */
export function defineRule(rule: TerraformRule): TerraformRule {
  return rule;
}

export type { TfResource, TerraformModel };
