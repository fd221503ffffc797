// `iso27017/workspaceFixes`: the fixes of one rule across the workspace as one annotated workspace edit, which the
// client applies after the editor's refactor preview; without a rule, the rules that have fixable findings.

import { fixesToApply, selectFixes } from '../engine/fixer';
import type { Finding, RuleMeta } from '../engine/types';
import type {
  FixableRuleInfo,
  WireAnnotatedTextEdit,
  WireAnnotatedWorkspaceEdit,
  WireChangeAnnotation,
  WorkspaceFixesParams,
  WorkspaceFixesResult,
} from '../protocol';

/** What the handler needs from the workspace. */
export interface WorkspaceFixesSource {
  /** Every published finding with the URI it was published under. */
  allFindings(): Array<{ uri: string; finding: Finding }>;
  /** False when an open document changed since its findings were computed (their fixes would be stale). */
  isCurrent(uri: string): boolean;
  textOf(path: string): string | undefined;
  uriFor(path: string): string;
  /** The version of an open document, or undefined when it is not open. */
  versionOf(uri: string): number | undefined;
}

function hasFix(f: Finding, placeholders: boolean): boolean {
  return f.fixes.some((x) => placeholders || !x.placeholder);
}

/** Answers `iso27017/workspaceFixes`. */
export function workspaceFixes(source: WorkspaceFixesSource, params: WorkspaceFixesParams | undefined, metas: ReadonlyMap<string, Pick<RuleMeta, 'title'>>): WorkspaceFixesResult {
  const placeholders = params?.placeholders === true;
  const all = source.allFindings();
  const byRule = new Map<string, { findings: number; files: Set<string> }>();
  for (const { finding } of all) {
    if (!hasFix(finding, placeholders)) continue;
    let e = byRule.get(finding.ruleId);
    if (!e) byRule.set(finding.ruleId, (e = { findings: 0, files: new Set() }));
    e.findings++;
    e.files.add(finding.file);
  }
  const rules: FixableRuleInfo[] = [...byRule.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([ruleId, e]) => {
      const info: FixableRuleInfo = { ruleId, findings: e.findings, files: e.files.size };
      const title = metas.get(ruleId)?.title;
      if (title) info.title = title;
      return info;
    });
  const result: WorkspaceFixesResult = { rules, fixes: 0, files: 0, skipped: 0 };
  const ruleId = typeof params?.ruleId === 'string' ? params.ruleId : undefined;
  if (ruleId === undefined) return result;

  const mine = all.filter((x) => x.finding.ruleId === ruleId && hasFix(x.finding, placeholders));
  if (mine.length === 0) {
    result.error = metas.has(ruleId) ? `No finding of ${ruleId} can be fixed automatically${placeholders ? '' : ' (without placeholders)'}.` : `Unknown rule ${ruleId}.`;
    return result;
  }
  // Findings of documents edited since their analysis are left out: their ranges may no longer be right.
  const current = mine.filter((x) => source.isCurrent(x.uri));
  const stale = mine.length - current.length;
  const fixes = fixesToApply(
    current.map((x) => x.finding),
    { placeholders, rules: new Set([ruleId]) },
  );
  const { chosen, edits } = selectFixes(fixes, (p) => source.textOf(p));
  result.skipped = mine.length - chosen.length;
  if (chosen.length === 0) {
    result.error = stale > 0 ? `The files with ${ruleId} findings changed since they were analysed; try again in a moment.` : `No fix of ${ruleId} could be applied.`;
    return result;
  }
  // One annotation per fix: the preview lists each fix with its title and the resource it changes.
  const annotations: Record<string, WireChangeAnnotation> = {};
  const byUri = new Map<string, WireAnnotatedTextEdit[]>();
  const owner = new Map<object, string>();
  const findingOf = new Map<object, Finding>();
  for (const x of current) for (const f of x.finding.fixes) findingOf.set(f, x.finding);
  chosen.forEach((fix, i) => {
    const id = `iso27017.fix.${i}`;
    const f = findingOf.get(fix);
    const annotation: WireChangeAnnotation = { label: fix.title, needsConfirmation: true };
    if (f?.resource) annotation.description = f.resource.address;
    annotations[id] = annotation;
    for (const e of fix.edits) owner.set(e, id);
  });
  for (const e of edits) {
    // `selectFixes` returns the fixes' own edit objects, so each edit finds the fix it came from.
    const id = owner.get(e) ?? 'iso27017.fix.0';
    const uri = source.uriFor(e.file);
    let list = byUri.get(uri);
    if (!list) byUri.set(uri, (list = []));
    list.push({ range: e.range, newText: e.newText, annotationId: id });
  }
  const edit: WireAnnotatedWorkspaceEdit = {
    documentChanges: [...byUri.keys()].sort().map((uri) => ({ textDocument: { uri, version: source.versionOf(uri) ?? null }, edits: byUri.get(uri)! })),
    changeAnnotations: annotations,
  };
  result.edit = edit;
  result.fixes = chosen.length;
  result.files = byUri.size;
  return result;
}
