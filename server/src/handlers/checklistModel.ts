// The checklist as the protocol carries it: rows with automatic evidence, progress, diagnostics in the checklist
// file, and several item changes folded into one minimal edit. Pure (no connection, no file system, no clock).

import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver/node';
import type { Catalog, Owner } from '../catalog/catalog';
import { OWNERS } from '../catalog/catalog';
import {
  addEvidence,
  addNote,
  checklistModels,
  checklistRows,
  type ChecklistProblem,
  countStatus,
  defaultResponsibility,
  type EditResult,
  type EvidenceReport,
  isIsoDate,
  markReviewed,
  type ParsedChecklist,
  parseChecklist,
  removeEvidence,
  setApplicability,
  setOwner,
  setResponsibility,
  setStatus,
  type StatusCounts,
} from '../checklist/index';
import { diffEdit } from '../checklist/jsonEdit';
import { LineMap } from '../engine/lines';
import {
  CHECKLIST_CONFLICT_CODE,
  CHECKLIST_DIAGNOSTIC_PREFIX,
  DIAGNOSTIC_SOURCE,
  MAX_CHECKLIST_EVIDENCE_LOCATIONS,
  type ChecklistConflictInfo,
  type ChecklistCounts,
  type ChecklistDiagnosticData,
  type ChecklistFolderInfo,
  type ChecklistProblemInfo,
  type ChecklistRowInfo,
  type SetChecklistItemParams,
} from '../protocol';

/** Maps an engine path to the URI the client knows it by. */
export type UriFor = (path: string) => string;

/** The most related locations a "done but failing" diagnostic lists. */
export const MAX_CONFLICT_RELATED = 20;

export function toCounts(c: StatusCounts): ChecklistCounts {
  return { total: c.total, todo: c.todo, inProgress: c['in-progress'], done: c.done, notApplicable: c.notApplicable };
}

export function problemInfo(p: ChecklistProblem): ChecklistProblemInfo {
  const info: ChecklistProblemInfo = { severity: p.severity, code: p.code, message: p.message, pointer: p.pointer, range: p.range };
  if (p.controlId !== undefined) info.controlId = p.controlId;
  return info;
}

/** The first error of a file as one sentence with its line and column (one-based), or undefined. */
export function firstError(problems: readonly ChecklistProblem[]): string | undefined {
  const errors = problems.filter((p) => p.severity === 'error');
  const e = errors[0];
  if (!e) return undefined;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length === 2 ? '' : 's'})` : '';
  return `Line ${e.range.start.line + 1}, column ${e.range.start.character + 1}: ${e.message.replace(/\.$/, '')}${more}.`;
}

export interface FolderInfoInput {
  folder: string;
  name: string;
  uri: string;
  fromEditor: boolean;
  /** Undefined when the file does not exist. */
  parsed: ParsedChecklist | undefined;
  catalog: Pick<Catalog, 'controls' | 'groups'> | undefined;
  /** Automatic evidence for the parsed checklist (absent without analysis). */
  evidence: EvidenceReport | undefined;
  /** Rule titles by id. */
  ruleTitles?: ReadonlyMap<string, string>;
  uriFor: UriFor;
}

const emptyCounts = (): ChecklistCounts => ({ total: 0, todo: 0, inProgress: 0, done: 0, notApplicable: 0 });

/** The protocol form of one folder's checklist. */
export function folderInfo(i: FolderInfoInput): ChecklistFolderInfo {
  const info: ChecklistFolderInfo = {
    folder: i.folder,
    name: i.name,
    uri: i.uri,
    state: !i.parsed ? 'missing' : i.parsed.valid && i.parsed.checklist ? 'ready' : 'invalid',
    fromEditor: i.fromEditor,
    problems: (i.parsed?.problems ?? []).map(problemInfo),
    rows: [],
    progress: emptyCounts(),
    byResponsibility: { customer: emptyCounts(), provider: emptyCounts(), shared: emptyCounts() },
    conflicts: [],
    unknownControls: [...(i.parsed?.unknownControls ?? [])],
    providers: [],
    models: [],
    services: [],
  };
  const checklist = i.parsed?.checklist;
  if (checklist?.catalog.dataVersion) info.catalogVersion = checklist.catalog.dataVersion;
  if (info.state === 'invalid') {
    const e = firstError(i.parsed!.problems);
    if (e) info.error = e;
    return info;
  }
  if (info.state !== 'ready' || !checklist) return info;

  info.providers = [...checklist.providers];
  info.models = checklistModels(checklist);
  info.services = checklist.services.map((s) => ({ ...s, ...(s.detectedFrom ? { detectedFrom: [...s.detectedFrom] } : {}) }));
  const catalog = i.catalog ?? { controls: [], groups: [] };
  const rows = checklistRows(checklist, catalog, info.models);
  const byId = new Map((i.evidence?.controls ?? []).map((c) => [c.controlId, c]));
  for (const row of rows) {
    const ev = byId.get(row.controlId);
    const r: ChecklistRowInfo = {
      controlId: row.controlId,
      known: row.record !== undefined,
      source: row.source,
      responsibility: row.item.responsibility,
      applicable: row.item.applicable,
      status: row.item.status,
      notes: [...(row.item.notes ?? [])],
      evidence: (row.item.evidence ?? []).map((e) => ({ ...e })),
      automatic: (ev?.rules ?? []).map((re) => {
        const title = re.title ?? i.ruleTitles?.get(re.ruleId);
        return {
          ruleId: re.ruleId,
          ...(title ? { title } : {}),
          findings: re.findings,
          locations: re.locations.slice(0, MAX_CHECKLIST_EVIDENCE_LOCATIONS).map((l) => ({ uri: i.uriFor(l.file), range: l.range, ...(l.resource ? { resource: l.resource } : {}) })),
        };
      }),
      openFindings: ev?.openFindings ?? 0,
      conflict: ev?.conflict ?? false,
    };
    if (row.record) {
      r.title = row.record.title;
      r.defaultResponsibility = defaultResponsibility(row.record, info.models);
    }
    if (row.group) r.group = { id: row.group.id, title: row.group.title };
    for (const f of ['customerDoes', 'providerDoes', 'justification', 'owner', 'lastReviewed'] as const) {
      const v = row.item[f];
      if (v !== undefined) r[f] = v;
    }
    const loc = i.parsed!.locations.controls.get(row.controlId);
    if (loc && row.source === 'checklist') r.keyRange = loc.keyRange;
    info.rows.push(r);
  }
  const known = rows.filter((r) => r.record !== undefined);
  info.progress = toCounts(countStatus(known.map((r) => r.item)));
  for (const o of OWNERS) info.byResponsibility[o] = toCounts(countStatus(known.filter((r) => r.item.responsibility === o).map((r) => r.item)));
  info.conflicts = (i.evidence?.conflicts ?? []).map((c): ChecklistConflictInfo => ({
    controlId: c.controlId,
    openFindings: c.openFindings,
    rules: [...c.rules],
    message: c.message,
    ...(c.keyRange ? { range: c.keyRange } : {}),
  }));
  return info;
}

const SEVERITY: Record<ChecklistProblem['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/**
 * The diagnostics of a checklist file: every problem at its exact range (unknown control ids as warnings), and
 * a warning on the key of each control marked done while its rules have open findings, with the findings as
 * related locations.
 */
export function checklistDiagnostics(parsed: ParsedChecklist | undefined, evidence: EvidenceReport | undefined, uriFor: UriFor): Diagnostic[] {
  if (!parsed) return [];
  const out: Diagnostic[] = parsed.problems.map((p) => {
    const d: Diagnostic = { range: p.range, severity: SEVERITY[p.severity], source: DIAGNOSTIC_SOURCE, code: `${CHECKLIST_DIAGNOSTIC_PREFIX}${p.code}`, message: p.message };
    if (p.controlId !== undefined) d.data = { controlId: p.controlId } satisfies ChecklistDiagnosticData;
    return d;
  });
  if (!parsed.valid || !evidence) return out;
  const byId = new Map(evidence.controls.map((c) => [c.controlId, c]));
  for (const c of evidence.conflicts) {
    if (!c.keyRange) continue;
    const related: DiagnosticRelatedInformation[] = [];
    for (const r of byId.get(c.controlId)?.rules ?? []) {
      for (const l of r.locations) {
        if (related.length >= MAX_CONFLICT_RELATED) break;
        related.push({ location: { uri: uriFor(l.file), range: l.range }, message: `${r.ruleId}${l.resource ? ` (${l.resource})` : ''}` });
      }
    }
    const data: ChecklistDiagnosticData = { controlId: c.controlId, rules: [...c.rules] };
    out.push({ range: c.keyRange, severity: DiagnosticSeverity.Warning, source: DIAGNOSTIC_SOURCE, code: CHECKLIST_CONFLICT_CODE, message: c.message, relatedInformation: related, data });
  }
  return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

/** A string that is equal for two evidence reports exactly when a view or a diagnostic would show them the same way. */
export function evidenceFingerprint(report: EvidenceReport | undefined): string {
  if (!report) return '';
  return JSON.stringify([
    report.controls.filter((c) => c.rules.length > 0).map((c) => [c.controlId, c.conflict, c.rules.map((r) => [r.ruleId, r.findings, r.locations.map((l) => `${l.file}:${l.range.start.line}:${l.range.start.character}:${l.range.end.line}:${l.range.end.character}:${l.resource ?? ''}`)])]),
    report.conflicts.map((c) => [c.controlId, c.keyRange?.start.line, c.keyRange?.start.character]),
  ]);
}

/** The changes of {@link SetChecklistItemParams}, without the folder and control. */
export type ItemChanges = Omit<SetChecklistItemParams, 'folder' | 'controlId'>;

export interface ChangeOptions {
  catalog?: Catalog | undefined;
  /** `YYYY-MM-DD`, for `reviewed: true`. */
  today: string;
}

const fail = (reason: string): EditResult => ({ ok: false, reason, problems: [] });

/** True when `changes` asks for at least one change. */
export function hasChanges(changes: ItemChanges): boolean {
  return (['status', 'responsibility', 'customerDoes', 'providerDoes', 'applicable', 'justification', 'owner', 'note', 'evidence', 'removeEvidence', 'reviewed'] as const).some((k) => changes[k] !== undefined);
}

/**
 * Applies several changes to one control, in a fixed order, and returns the new text with one edit spanning only
 * what changed. A file with errors is refused by the first change, as every edit function does.
 */
export function applyItemChanges(text: string, controlId: string, changes: ItemChanges, o: ChangeOptions): EditResult {
  if (!hasChanges(changes)) return fail('Nothing to change: say what to set (status, responsibility, applicability, owner, note, evidence or review).');
  const options = o.catalog ? { catalog: o.catalog } : {};
  let cur = text;
  const current = (): { responsibility?: Owner; applicable?: boolean } => {
    const item = parseChecklist(cur, options).checklist?.controls[controlId];
    return item ? { responsibility: item.responsibility, applicable: item.applicable } : {};
  };
  const steps: Array<() => EditResult | undefined> = [
    () => {
      if (changes.responsibility === undefined && changes.customerDoes === undefined && changes.providerDoes === undefined) return undefined;
      const record = o.catalog?.controls.find((c) => c.id === controlId);
      const responsibility = changes.responsibility ?? current().responsibility ?? (record ? defaultResponsibility(record, []) : undefined);
      if (!responsibility) return fail(`Say who carries control ${controlId}: customer, provider or shared.`);
      const details: { customerDoes?: string | null; providerDoes?: string | null } = {};
      if (changes.customerDoes !== undefined) details.customerDoes = changes.customerDoes;
      if (changes.providerDoes !== undefined) details.providerDoes = changes.providerDoes;
      return setResponsibility(cur, controlId, responsibility, details, options);
    },
    () => {
      if (changes.applicable === undefined && changes.justification === undefined) return undefined;
      const applicable = changes.applicable ?? current().applicable ?? true;
      return setApplicability(cur, controlId, applicable, changes.justification, options);
    },
    () => (changes.status === undefined ? undefined : setStatus(cur, controlId, changes.status, options)),
    () => (changes.owner === undefined ? undefined : setOwner(cur, controlId, changes.owner ?? undefined, options)),
    () => (changes.note === undefined ? undefined : addNote(cur, controlId, changes.note, options)),
    () => (changes.evidence === undefined ? undefined : addEvidence(cur, controlId, changes.evidence, options)),
    () => (changes.removeEvidence === undefined ? undefined : removeEvidence(cur, controlId, changes.removeEvidence, options)),
    () => {
      if (changes.reviewed === undefined) return undefined;
      const date = changes.reviewed === true ? o.today : changes.reviewed;
      if (!isIsoDate(date)) return fail(`"${date}" is not a date written YYYY-MM-DD.`);
      return markReviewed(cur, controlId, date, options);
    },
  ];
  for (const step of steps) {
    const r = step();
    if (!r) continue;
    if (!r.ok) return r;
    cur = r.text;
  }
  const edit = diffEdit(text, cur);
  if (!edit) return { ok: true, text, edits: [] };
  const lines = new LineMap(text);
  return { ok: true, text: cur, edits: [{ offset: edit.offset, length: edit.length, range: lines.range(edit.offset, edit.offset + edit.length), newText: edit.content }] };
}
