// Code actions offered for every iso27017 diagnostic: show its controls, learn more about its rule.

import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic } from 'vscode-languageserver/node';
import { ClientCommands, DIAGNOSTIC_SOURCE, type DiagnosticData } from '../protocol';

function ruleData(d: Diagnostic): DiagnosticData | undefined {
  if (d.source !== DIAGNOSTIC_SOURCE) return undefined;
  const data = d.data as Partial<DiagnosticData> | undefined;
  if (data && typeof data.ruleId === 'string') {
    return { ruleId: data.ruleId, controls: Array.isArray(data.controls) ? data.controls.filter((c) => typeof c === 'string') : [], fixable: data.fixable === true };
  }
  return undefined;
}

/** The quick fixes for the diagnostics of a `textDocument/codeAction` request. */
export function codeActionsFor(params: CodeActionParams): CodeAction[] {
  const only = params.context.only;
  if (only && !only.some((k) => k === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(`${k}.`) || k === CodeActionKind.Empty)) return [];
  const actions: CodeAction[] = [];
  const titles = new Set<string>();
  const add = (a: CodeAction): void => {
    if (titles.has(a.title)) return;
    titles.add(a.title);
    actions.push(a);
  };
  for (const d of params.context.diagnostics) {
    const data = ruleData(d);
    if (!data) continue;
    for (const id of data.controls) {
      const title = `Show control ${id} in catalog`;
      add({ title, kind: CodeActionKind.QuickFix, diagnostics: [d], command: { title, command: ClientCommands.revealControl, arguments: [id] } });
    }
    const title = `Learn more about ${data.ruleId}`;
    add({ title, kind: CodeActionKind.QuickFix, diagnostics: [d], command: { title, command: ClientCommands.showRule, arguments: [data.ruleId] } });
  }
  return actions;
}
