// Turns engine findings and file errors into LSP diagnostics.

import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver/node';
import type { FileError, Finding, Severity } from '../engine/types';
import { DIAGNOSTIC_SOURCE, FILE_ERROR_CODE, SYNTAX_ERROR_CODE, ruleDocsUrl, type DiagnosticData, type FindingInfo } from '../protocol';
import { pathToUri } from './paths';

let ruleDocsDir: string | undefined;

/**
 * Where the rule pages (`docs/rules/<rule-id>.md`, shipped in the extension) are. When set, a diagnostic's code
 * links to its page on disk, which opens in the editor and works offline; otherwise to the stable web URL.
 */
export function setRuleDocsDir(dir: string | undefined): void {
  ruleDocsDir = dir;
}

/** The link of a rule's documentation, as used in `codeDescription.href` and `iso27017/listRules`. */
export function ruleDocsHref(ruleId: string): string {
  return ruleDocsDir ? pathToUri(`${ruleDocsDir}/${ruleId}.md`) : ruleDocsUrl(ruleId);
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** Resolves the URI to publish for a path (the client's own URI when the document is open). */
export type UriFor = (path: string) => string;

export function findingToDiagnostic(f: Finding, uriFor: UriFor = pathToUri): Diagnostic {
  const data: DiagnosticData = { ruleId: f.ruleId, controls: [...f.controls], fixable: f.fixable };
  const d: Diagnostic = {
    range: f.range,
    severity: SEVERITY[f.severity] ?? DiagnosticSeverity.Warning,
    source: DIAGNOSTIC_SOURCE,
    code: f.ruleId,
    codeDescription: { href: ruleDocsHref(f.ruleId) },
    message: f.message,
    data,
  };
  if (f.related.length > 0) {
    d.relatedInformation = f.related.map(
      (r): DiagnosticRelatedInformation => ({ location: { uri: uriFor(r.file), range: r.range }, message: r.message }),
    );
  }
  return d;
}

/** True for the file errors that the engine reports as syntax errors. */
export function isSyntaxError(e: FileError): boolean {
  return /^Syntax error/i.test(e.message);
}

/** A diagnostic for a file error that has a range; undefined when it has none (those are logged instead). */
export function fileErrorToDiagnostic(e: FileError): Diagnostic | undefined {
  if (!e.range) return undefined;
  return {
    range: e.range,
    severity: DiagnosticSeverity.Information,
    source: DIAGNOSTIC_SOURCE,
    code: isSyntaxError(e) ? SYNTAX_ERROR_CODE : FILE_ERROR_CODE,
    message: e.message,
  };
}

/** The protocol form of a finding (for `iso27017/listFindings`). */
export function findingToInfo(f: Finding, uriFor: UriFor = pathToUri): FindingInfo {
  const info: FindingInfo = {
    uri: uriFor(f.file),
    ruleId: f.ruleId,
    messageId: f.messageId,
    severity: f.severity,
    message: f.message,
    range: f.range,
    controls: [...f.controls],
    fixable: f.fixable,
    related: f.related.map((r) => ({ uri: uriFor(r.file), range: r.range, message: r.message })),
  };
  if (f.resource) info.resource = { ...f.resource };
  return info;
}
