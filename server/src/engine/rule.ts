// The rule API: a rule is metadata plus a pure `check` over the evaluated model.

import type { Span } from '../documents/terraform/ast';
import type { TerraformModel, TfResource } from '../documents/terraform/model';
import type { DockerfileDoc } from '../documents/dockerfile/model';
import type { KubernetesDoc } from '../documents/kubernetes/model';
import type { ComposeDoc } from '../documents/compose/model';
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

/** What a rule on one document (a Dockerfile, …) reports: a message id and where, in that document. */
export interface DocumentReport {
  /** A key of `meta.messages`. */
  messageId: string;
  /** Values for `{{placeholders}}`. */
  data?: Record<string, string | number>;
  /** Where to point (offsets in the document). */
  span: Span;
  /** What the finding is about, e.g. `{ type: 'USER', name: 'root', address: 'stage final' }`. */
  subject?: { type: string; name: string; address: string };
  related?: Array<{ span: Span; message: string }>;
  /** Fixes (edits of this document, offsets), the preferred one first or marked `isPreferred`. */
  fix?: FixSpec | ReadonlyArray<FixSpec | undefined> | undefined;
}

export interface DockerfileRuleContext {
  readonly doc: DockerfileDoc;
  report(r: DocumentReport): void;
}

export interface DockerfileRule {
  meta: RuleMeta & { platform: 'dockerfile' };
  check(ctx: DockerfileRuleContext): void;
}

export interface KubernetesRuleContext {
  readonly doc: KubernetesDoc;
  report(r: DocumentReport): void;
}

export interface KubernetesRule {
  meta: RuleMeta & { platform: 'kubernetes' };
  check(ctx: KubernetesRuleContext): void;
}

export interface ComposeRuleContext {
  readonly doc: ComposeDoc;
  report(r: DocumentReport): void;
}

export interface ComposeRule {
  meta: RuleMeta & { platform: 'compose' };
  check(ctx: ComposeRuleContext): void;
}

export type Rule = TerraformRule | DockerfileRule | KubernetesRule | ComposeRule;

/** The rules that read one document at a time. */
export type DocumentRule = DockerfileRule | KubernetesRule | ComposeRule;

/** Identity helper that types a rule module's default export. */
export function defineRule(rule: TerraformRule): TerraformRule {
  return rule;
}

/** Identity helper for a Docker Compose rule module's default export. */
export function defineComposeRule(rule: ComposeRule): ComposeRule {
  return rule;
}

/** Identity helper for a Kubernetes rule module's default export. */
export function defineKubernetesRule(rule: KubernetesRule): KubernetesRule {
  return rule;
}

/** Identity helper for a Dockerfile rule module's default export. */
export function defineDockerfileRule(rule: DockerfileRule): DockerfileRule {
  return rule;
}

export function isTerraformRule(rule: Rule): rule is TerraformRule {
  return rule.meta.platform === 'terraform';
}

export type { TfResource, TerraformModel };
