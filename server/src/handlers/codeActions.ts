// Code actions for iso27017 diagnostics, in a fixed family and order (vscode-eslint style): the rule's fixes,
// fixing the rule across the workspace, suppressing it for the resource, showing its controls, learning about the
// rule; plus a file-wide fix-all.

import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver/node';
import { fixesToApply, selectFixes } from '../engine/fixer';
import { INVALID_SUPPRESSION_ID } from '../engine/suppressions';
import type { Finding, Fix } from '../engine/types';
import { ClientCommands, DIAGNOSTIC_SOURCE, FIX_ALL_CODE_ACTION_KIND, type DiagnosticData, type SuppressCommandArgs } from '../protocol';

function ruleData(d: Diagnostic): DiagnosticData | undefined {
  if (d.source !== DIAGNOSTIC_SOURCE) return undefined;
  const data = d.data as Partial<DiagnosticData> | undefined;
  if (data && typeof data.ruleId === 'string') {
    return { ruleId: data.ruleId, controls: Array.isArray(data.controls) ? data.controls.filter((c) => typeof c === 'string') : [], fixable: data.fixable === true };
  }
  return undefined;
}

/** What the handler needs from the workspace to offer fixes; without it only the command actions are offered. */
export interface CodeActionSource {
  /** The findings of a document, or undefined when they were not computed from the client's current text. */
  findingsFor(uri: string): readonly Finding[] | undefined;
  /** The current text of a file the engine holds (by path). */
  textOf(path: string): string | undefined;
  /** The URI to use in an edit for a path. */
  uriFor(path: string): string;
}

/** The finding a diagnostic was made from: same rule and range (and message, when several share a range). */
function findingOf(d: Diagnostic, ruleId: string, findings: readonly Finding[]): Finding | undefined {
  const same = findings.filter(
    (f) =>
      f.ruleId === ruleId &&
      f.range.start.line === d.range.start.line &&
      f.range.start.character === d.range.start.character &&
      f.range.end.line === d.range.end.line &&
      f.range.end.character === d.range.end.character,
  );
  return same.find((f) => f.message === d.message) ?? same[0];
}

function workspaceEdit(edits: Fix['edits'], uriFor: (path: string) => string): WorkspaceEdit {
  const changes: Record<string, TextEdit[]> = {};
  for (const e of edits) (changes[uriFor(e.file)] ??= []).push({ range: e.range, newText: e.newText });
  return { changes };
}

/** True when a requested kind (`only`) covers `kind`: it is the kind or one of its parents. */
function covers(only: readonly string[] | undefined, kind: string): boolean {
  return !only || only.some((k) => k === kind || k === CodeActionKind.Empty || kind.startsWith(`${k}.`));
}

/** The code actions for a `textDocument/codeAction` request. */
export function codeActionsFor(params: CodeActionParams, source?: CodeActionSource): CodeAction[] {
  const only = params.context.only;
  const uri = params.textDocument.uri;
  const findings = source?.findingsFor(uri);
  const actions: CodeAction[] = [];
  const titles = new Set<string>();
  const add = (a: CodeAction): void => {
    if (titles.has(a.title)) return;
    titles.add(a.title);
    actions.push(a);
  };
  if (covers(only, CodeActionKind.QuickFix)) {
    for (const d of params.context.diagnostics) {
      const data = ruleData(d);
      if (!data) continue;
      const finding = findings ? findingOf(d, data.ruleId, findings) : undefined;
      for (const fix of finding?.fixes ?? []) {
        const action: CodeAction = { title: `Fix: ${fix.title}`, kind: CodeActionKind.QuickFix, diagnostics: [d], edit: workspaceEdit(fix.edits, source!.uriFor) };
        if (fix.isPreferred) action.isPreferred = true;
        add(action);
      }
      // The same rule's fixes everywhere, after a preview (iso27017/workspaceFixes); placeholder fixes are left out.
      if (finding?.fixes.some((x) => !x.placeholder)) {
        const title = `Fix all "${data.ruleId}" problems in the workspace…`;
        add({ title, kind: CodeActionKind.QuickFix, diagnostics: [d], command: { title, command: ClientCommands.fixRuleInWorkspace, arguments: [data.ruleId] } });
      }
      if (data.ruleId !== INVALID_SUPPRESSION_ID) {
        const scope = data.ruleId.startsWith('dockerfile/') ? 'instruction' : data.ruleId.startsWith('kubernetes/') ? 'container or object' : data.ruleId.startsWith('compose/') ? 'service' : 'resource';
        const title = `Suppress ${data.ruleId} for this ${scope}…`;
        const args: SuppressCommandArgs = { uri, ruleId: data.ruleId, range: d.range };
        add({ title, kind: CodeActionKind.QuickFix, diagnostics: [d], command: { title, command: ClientCommands.suppress, arguments: [args] } });
      }
      for (const id of data.controls) {
        const title = `Show control ${id} in catalog`;
        add({ title, kind: CodeActionKind.QuickFix, diagnostics: [d], command: { title, command: ClientCommands.revealControl, arguments: [id] } });
      }
      const title = `Learn more about ${data.ruleId}`;
      add({ title, kind: CodeActionKind.QuickFix, diagnostics: [d], command: { title, command: ClientCommands.showRule, arguments: [data.ruleId] } });
    }
  }
  // Fix-all only when asked for by kind (`source`, `source.fixAll`, …): on save, or from "Source Action…".
  if (only && source && findings && covers(only, FIX_ALL_CODE_ACTION_KIND)) {
    const action = fixAllAction(findings, source);
    if (action) actions.push(action);
  }
  return actions;
}

/**
 * Every safe fix of one document that can be applied together: the preferred fix of each finding, without
 * placeholders, only fixes that edit this document, and none that overlaps another.
 */
export function fixAllAction(findings: readonly Finding[], source: CodeActionSource): CodeAction | undefined {
  const file = findings[0]?.file;
  if (file === undefined) return undefined;
  const local = fixesToApply(findings, { placeholders: false }).filter((f) => f.edits.every((e) => e.file === file));
  const { chosen, edits } = selectFixes(local, (p) => source.textOf(p));
  if (chosen.length === 0) return undefined;
  return {
    title: `Fix all ISO 27017 problems (${chosen.length} fix${chosen.length === 1 ? '' : 'es'})`,
    kind: FIX_ALL_CODE_ACTION_KIND,
    edit: workspaceEdit(edits, source.uriFor),
  };
}
