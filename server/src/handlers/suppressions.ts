// The suppression requests: the edit that suppresses a finding (applied by the client, after it asked the
// user for a reason), and the list of suppressed findings for views and reports.

import { LineMap } from '../engine/lines';
import { suppressionEdit } from '../engine/suppressions';
import type { SuppressedFinding } from '../engine/types';
import type { ListSuppressionsParams, ListSuppressionsResult, SuppressedFindingInfo, SuppressionEditParams, SuppressionEditResult } from '../protocol';
import { findingToInfo } from './diagnostics';
import { uriToPath } from './paths';
import type { Workspace } from './workspace';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function suppressionEditFor(ws: Workspace, params: SuppressionEditParams | undefined): SuppressionEditResult {
  if (!params || typeof params.uri !== 'string' || typeof params.ruleId !== 'string' || !params.range?.start) return { error: 'Invalid parameters.' };
  const reason = typeof params.reason === 'string' ? params.reason.trim() : '';
  if (!reason) return { error: 'A suppression needs a reason.' };
  if (params.until !== undefined && (typeof params.until !== 'string' || !DATE.test(params.until))) return { error: 'The expiry must be a date, YYYY-MM-DD.' };
  const path = uriToPath(params.uri);
  const src = path === undefined ? undefined : ws.sourceOf(path);
  if (!src) return { error: 'The file is not a Terraform file the server holds.' };
  const offset = new LineMap(src.text).offset(params.range.start);
  const e = suppressionEdit(src, offset, params.ruleId, reason, params.until);
  if (!e) return { error: 'The suppression comment could not be written.' };
  const lines = new LineMap(src.text);
  return { edit: { changes: { [params.uri]: [{ range: lines.range(e.start, e.end), newText: e.newText }] } } };
}

function toInfo(ws: Workspace, uri: string, s: SuppressedFinding): SuppressedFindingInfo {
  const info = findingToInfo(s.finding, (p) => ws.uriFor(p));
  const sup = s.suppression;
  return {
    ...info,
    uri,
    suppression: {
      syntax: sup.syntax,
      scope: sup.scope,
      ids: [...sup.ids],
      ...(sup.reason ? { reason: sup.reason } : {}),
      ...(sup.expires ? { expires: sup.expires } : {}),
      uri: ws.uriFor(sup.file),
      range: sup.range,
      text: sup.text,
    },
  };
}

export function listSuppressions(ws: Workspace, params: ListSuppressionsParams | undefined): ListSuppressionsResult {
  const suppressed = ws
    .allSuppressed()
    .filter((x) => !params?.uri || x.uri === params.uri)
    .map((x) => toInfo(ws, x.uri, x.suppressed));
  suppressed.sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return { suppressed };
}
