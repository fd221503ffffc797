// What the Suppressions view shows, as plain data: groups by file or by rule, stable node ids, labels,
// descriptions, icons and tooltips. No `vscode` import, so that unit tests can check it; suppressionsTree.ts turns
// it into tree items. Dates are judged by the server (`expiry`), never here.

import type { SuppressionCommentInfo } from '../../../server/src/protocol';

/** How the view groups suppressions. */
export type SuppressionGrouping = 'file' | 'rule';

/** The key of the group of comments that name no rule of ours (e.g. a KICS `ignore-line` that silences nothing). */
export const NO_RULE_KEY = '';

export interface SuppressionGroup {
  by: SuppressionGrouping;
  /** The file's URI, or the rule id ({@link NO_RULE_KEY} for comments that name no rule). */
  key: string;
  comments: SuppressionCommentInfo[];
}

/** How each syntax is named in the view. */
export const SYNTAX_LABEL: Record<SuppressionCommentInfo['syntax'], string> = {
  iso27017: 'iso27017',
  checkov: 'Checkov',
  tfsec: 'tfsec',
  trivy: 'Trivy',
  kics: 'KICS',
};

/** Short forms of the problems, for descriptions (the tooltip has the full message). */
const PROBLEM_SHORT: Record<string, (c: SuppressionCommentInfo) => string> = {
  missingReason: () => 'no reason given',
  unknownRule: (c) => `unknown rule ${c.ids.find((id) => c.problem?.message.includes(`"${id}"`)) ?? 'id'}`,
  noRule: () => 'names no rule',
  badDate: () => 'invalid expiry date',
  expired: (c) => `expired on ${c.expires ?? '?'}`,
  notAllowed: () => 'forbidden by the suppression settings',
  misplaced: () => 'must be at the top of the file',
  detached: () => 'not attached to anything (blank line after it)',
  otherToolsOff: () => "other tools' comments are switched off",
  filter: () => 'attribute filters are not supported',
  workspace: () => 'applies to another workspace',
  date: () => 'invalid expiry date',
  noEquivalent: () => 'no iso27017 rule is the same check',
};

const byLocation = (a: SuppressionCommentInfo, b: SuppressionCommentInfo): number =>
  (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;

/**
 * The comments in groups. By file: one group per file, in the order of `fileLabel`. By rule: one group per rule
 * id, sorted, a comment naming several rules in each of them, and the comments that name none last.
 */
export function groupSuppressions(comments: readonly SuppressionCommentInfo[], by: SuppressionGrouping, fileLabel: (uri: string) => string = (u) => u): SuppressionGroup[] {
  const groups = new Map<string, SuppressionCommentInfo[]>();
  const add = (key: string, c: SuppressionCommentInfo): void => {
    const list = groups.get(key);
    if (list) list.push(c);
    else groups.set(key, [c]);
  };
  for (const c of comments) {
    if (by === 'file') add(c.uri, c);
    else if (c.rules.length === 0) add(NO_RULE_KEY, c);
    else for (const r of new Set(c.rules)) add(r, c);
  }
  const keys = [...groups.keys()];
  if (by === 'file') {
    const labels = new Map(keys.map((k) => [k, fileLabel(k)]));
    keys.sort((a, b) => labels.get(a)!.localeCompare(labels.get(b)!) || (a < b ? -1 : a > b ? 1 : 0));
  } else {
    keys.sort((a, b) => (a === NO_RULE_KEY ? 1 : b === NO_RULE_KEY ? -1 : a < b ? -1 : a > b ? 1 : 0));
  }
  return keys.map((key) => ({ by, key, comments: [...groups.get(key)!].sort(byLocation) }));
}

/** The stable id of a group node. */
export function groupNodeId(g: Pick<SuppressionGroup, 'by' | 'key'>): string {
  return `suppressions:${g.by}:${g.key}`;
}

/**
 * Stable ids for the comments of one group: they leave the line out, so that a comment keeps its id (and its
 * node its expansion) when lines are inserted above it; identical comments in one file are told apart by order.
 */
export function commentNodeIds(groupId: string, comments: readonly SuppressionCommentInfo[]): string[] {
  const seen = new Map<string, number>();
  return comments.map((c) => {
    const base = `${groupId}|${c.uri}|${c.syntax}|${c.ids.join(',')}|${c.text}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return n === 0 ? base : `${base}#${n}`;
  });
}

/** A group's label: the file's relative path, the rule id, or what the comments without a rule are. */
export function groupLabel(g: Pick<SuppressionGroup, 'by' | 'key'>, fileLabel: (uri: string) => string = (u) => u): string {
  if (g.by === 'file') return fileLabel(g.key);
  return g.key === NO_RULE_KEY ? 'No specific rule' : g.key;
}

/** `3 suppressions · 1 invalid · 1 expiring soon`. */
export function groupDescription(g: Pick<SuppressionGroup, 'comments'>): string {
  const parts = [plural(g.comments.length, 'suppression')];
  const invalid = g.comments.filter((c) => c.status === 'invalid').length;
  const soon = g.comments.filter((c) => c.status === 'valid' && c.expiry?.status === 'soon').length;
  if (invalid > 0) parts.push(`${invalid} invalid`);
  if (soon > 0) parts.push(`${soon} expiring soon`);
  return parts.join(' · ');
}

/** The ids a comment names, as the view shows them: our rule ids, or the other tool's ids (with the rules they map to). */
export function commentRuleText(c: SuppressionCommentInfo): string {
  if (c.syntax === 'iso27017') return c.ids.join(', ') || '(no rule)';
  if (c.ids.length === 0) return c.rules.length > 0 ? c.rules.join(', ') : `any rule (${c.scope})`;
  const mapped = c.rules.length > 0 ? ` → ${c.rules.join(', ')}` : '';
  return `${c.ids.join(', ')}${mapped}`;
}

/** `in 12 days`, `today`, `tomorrow`, `2 days ago`. */
export function daysText(daysLeft: number): string {
  if (daysLeft === 0) return 'today';
  if (daysLeft === 1) return 'tomorrow';
  if (daysLeft === -1) return 'yesterday';
  return daysLeft > 0 ? `in ${daysLeft} days` : `${-daysLeft} days ago`;
}

/** The expiry as the view shows it: `until 2026-07-01 (in 12 days)`, or undefined without one. */
export function expiryText(c: SuppressionCommentInfo): string | undefined {
  if (!c.expires) return undefined;
  const e = c.expiry;
  if (!e || e.status === 'invalid' || e.daysLeft === undefined) return `until ${c.expires}`;
  if (e.status === 'expired') return `expired ${c.expires} (${daysText(e.daysLeft)})`;
  return e.status === 'soon' ? `until ${c.expires} (${daysText(e.daysLeft)})` : `until ${c.expires}`;
}

/** The short problem of an invalid or ignored comment. */
export function problemText(c: SuppressionCommentInfo): string | undefined {
  if (!c.problem) return undefined;
  return PROBLEM_SHORT[c.problem.code]?.(c) ?? c.problem.message;
}

/**
 * A comment's description. Valid: syntax · reason · expiry · what it silences. Invalid or ignored: syntax · the
 * problem. By rule, the label is the location, so the rule text goes here too.
 */
export function commentDescription(c: SuppressionCommentInfo, by: SuppressionGrouping): string {
  const parts = [SYNTAX_LABEL[c.syntax]];
  if (by === 'rule' && c.syntax !== 'iso27017' && c.ids.length > 0) parts.push(c.ids.join(', '));
  const problem = problemText(c);
  if (c.status !== 'valid' && problem) {
    parts.push(problem);
    return parts.join(' · ');
  }
  parts.push(c.reason ? `"${c.reason}"` : 'no reason');
  const expiry = expiryText(c);
  if (expiry) parts.push(expiry);
  parts.push(c.findings.length === 0 ? 'silences nothing now' : `silences ${plural(c.findings.length, 'finding')}`);
  return parts.join(' · ');
}

/** A comment's label: the rules it names (by file), or where it is (by rule). */
export function commentLabel(c: SuppressionCommentInfo, by: SuppressionGrouping, fileLabel: (uri: string) => string = (u) => u): string {
  return by === 'file' ? commentRuleText(c) : `${fileLabel(c.uri)}:${c.range.start.line + 1}`;
}

/** Which codicon a comment gets, and its theme colour. */
export type CommentIcon = { id: 'error' | 'warning' | 'circle-slash' | 'eye-closed'; color?: string };

/** Invalid: an error; ignored: a slashed circle; valid but expiring within the warning window: a warning; else a closed eye. */
export function commentIcon(c: SuppressionCommentInfo): CommentIcon {
  if (c.status === 'invalid') return { id: 'error', color: 'problemsErrorIcon.foreground' };
  if (c.status === 'ignored') return { id: 'circle-slash', color: 'disabledForeground' };
  if (c.expiry?.status === 'soon' || c.expiry?.status === 'expired') return { id: 'warning', color: 'problemsWarningIcon.foreground' };
  return { id: 'eye-closed' };
}

/** The tooltip as markdown lines (the tree escapes nothing: callers pass plain text through `appendText`). */
export function commentTooltipLines(c: SuppressionCommentInfo, fileLabel: (uri: string) => string = (u) => u): string[] {
  const lines = [
    `${SYNTAX_LABEL[c.syntax]} suppression, ${c.status}`,
    `Comment: ${c.text}`,
    `Where: ${fileLabel(c.uri)}:${c.range.start.line + 1} (covers the ${c.scope})`,
    `Rules: ${commentRuleText(c)}`,
    `Reason: ${c.reason ?? '(none)'}`,
  ];
  const expiry = expiryText(c);
  if (expiry) lines.push(`Expiry: ${expiry}`);
  if (c.problem) lines.push(`Problem: ${c.problem.message}`);
  lines.push(c.findings.length === 0 ? 'Silences no finding now.' : `Silences ${plural(c.findings.length, 'finding')}.`);
  return lines;
}

/** Comments that need attention: invalid ones, and valid ones that expire within the warning window. */
export function attentionCount(comments: readonly SuppressionCommentInfo[]): number {
  return comments.filter((c) => c.status === 'invalid' || (c.status === 'valid' && c.expiry?.status === 'soon')).length;
}

function plural(n: number, one: string): string {
  return `${n} ${one}${n === 1 ? '' : 's'}`;
}
