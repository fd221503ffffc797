// Minimal edits of a checklist file: each function changes one item and leaves every other byte (comments,
// order, spacing, unknown fields) as it was. Files with errors are never rewritten.

import type { JSONPath } from './jsonc';
import { CONTROL_ID_PATTERN, type Owner, OWNERS, SERVICE_MODELS, type ServiceModel } from '../catalog/catalog';
import { LineMap } from '../engine/lines';
import type { Range } from '../engine/types';
import { defaultItem } from './create';
import { detectLayout, diffEdit, setJsonValue } from './jsonEdit';
import { isIsoDate, parseChecklist } from './parse';
import { type ChecklistItem, type ChecklistProblem, type EvidenceRef, EVIDENCE_KINDS, type ItemStatus, ITEM_STATUSES } from './types';

/** One replacement in the original text (offsets and an LSP range), ready for `workspace/applyEdit`. */
export interface ChecklistEdit {
  offset: number;
  length: number;
  range: Range;
  newText: string;
}

export type EditResult =
  | {
      ok: true;
      /** The whole new text. */
      text: string;
      /** The edits that turn the old text into the new one; empty when nothing changed. */
      edits: ChecklistEdit[];
    }
  | {
      ok: false;
      /** Why nothing was changed, as a sentence for the user. */
      reason: string;
      /** The file's errors, when they are the reason. */
      problems: ChecklistProblem[];
    };

export interface EditOptions {
  /** Lets an edit add the item of a catalog control the file does not list yet (with its defaults). */
  catalog?: { dataVersion: string; controls: ReadonlyArray<{ id: string; responsibility?: { IaaS: Owner; PaaS: Owner; SaaS: Owner } }> };
}

type Op = [path: JSONPath, value: unknown];

const fail = (reason: string, problems: ChecklistProblem[] = []): EditResult => ({ ok: false, reason, problems });

/** Applies `ops` (paths relative to the item) to the item of `controlId`, adding the item first if needed. */
function editItem(text: string, controlId: string, options: EditOptions, ops: (item: ChecklistItem | undefined) => Op[] | string): EditResult {
  if (!CONTROL_ID_PATTERN.test(controlId)) return fail(`"${controlId}" is not a control id.`);
  const parsed = parseChecklist(text, options.catalog ? { catalog: options.catalog } : {});
  if (!parsed.valid || !parsed.checklist) {
    const errors = parsed.problems.filter((p) => p.severity === 'error');
    const first = errors[0];
    const where = first ? ` (line ${first.range.start.line + 1}, column ${first.range.start.character + 1}: ${first.message.replace(/\.$/, '')})` : '';
    return fail(`The checklist has ${errors.length} error${errors.length === 1 ? '' : 's'}; fix ${errors.length === 1 ? 'it' : 'them'} before editing it${where}.`, errors);
  }
  const current = parsed.checklist.controls[controlId];
  const list = ops(current);
  if (typeof list === 'string') return fail(list);

  const layout = detectLayout(text);
  let next = text;
  try {
    if (!current) {
      const record = options.catalog?.controls.find((c) => c.id === controlId);
      if (!record?.responsibility) return fail(`Control ${controlId} is not in the checklist${options.catalog ? ` nor in catalog ${options.catalog.dataVersion}` : ''}.`);
      const models: ServiceModel[] = parsed.checklist.models ?? SERVICE_MODELS.filter((m) => parsed.checklist!.services.some((s) => s.model === m));
      const item: Record<string, unknown> = { ...defaultItem({ responsibility: { ...record.responsibility, basis: '' } }, models) };
      for (const [path, value] of list) {
        if (path.length === 1) item[path[0] as string] = value;
        else if (path.length === 2 && path[1] === -1) item[path[0] as string] = [...((item[path[0] as string] as unknown[] | undefined) ?? []), value];
      }
      for (const k of Object.keys(item)) if (item[k] === undefined) delete item[k];
      next = setJsonValue(next, ['controls', controlId], item, layout);
    } else {
      for (const [path, value] of list) next = setJsonValue(next, ['controls', controlId, ...path], value, layout);
    }
  } catch (e) {
    return fail(`The checklist could not be edited: ${(e as Error).message}`);
  }

  // A safety net: an edit must never leave a file that no longer reads cleanly.
  const after = parseChecklist(next, options.catalog ? { catalog: options.catalog } : {});
  if (!after.valid) return fail(`The edit was not made because it would break the checklist: ${after.problems.find((p) => p.severity === 'error')?.message ?? 'unknown error'}`);

  const edit = diffEdit(text, next);
  const lines = new LineMap(text);
  return { ok: true, text: next, edits: edit ? [{ offset: edit.offset, length: edit.length, range: lines.range(edit.offset, edit.offset + edit.length), newText: edit.content }] : [] };
}

/** Only sets a field whose value differs, so that a no-op edit leaves the text untouched. */
const setIfChanged = (item: ChecklistItem | undefined, field: keyof ChecklistItem, value: unknown): Op[] =>
  item && JSON.stringify(item[field]) === JSON.stringify(value) ? [] : [[[field], value]];

/** Sets the status of a control (`todo`, `in-progress`, `done`). */
export function setStatus(text: string, controlId: string, status: ItemStatus, options: EditOptions = {}): EditResult {
  if (!ITEM_STATUSES.includes(status)) return fail(`The status must be one of ${ITEM_STATUSES.join(', ')}, not "${String(status)}".`);
  return editItem(text, controlId, options, (item) => setIfChanged(item, 'status', status));
}

/**
 * Sets who carries a control, and optionally what each party does for it (`null` removes the text, `undefined`
 * leaves it as it is).
 */
export function setResponsibility(
  text: string,
  controlId: string,
  responsibility: Owner,
  details: { customerDoes?: string | null; providerDoes?: string | null } = {},
  options: EditOptions = {},
): EditResult {
  if (!OWNERS.includes(responsibility)) return fail(`The responsibility must be one of ${OWNERS.join(', ')}, not "${String(responsibility)}".`);
  return editItem(text, controlId, options, (item) => {
    const ops = setIfChanged(item, 'responsibility', responsibility);
    for (const f of ['customerDoes', 'providerDoes'] as const) {
      const v = details[f];
      if (v === undefined) continue;
      if (v === null) {
        if (item?.[f] !== undefined) ops.push([[f], undefined]);
      } else ops.push(...setIfChanged(item, f, v));
    }
    return ops;
  });
}

/**
 * Marks a control applicable or not. Not applicable requires a justification. Made applicable again, the
 * old justification (which said why it did not apply) is removed unless a new one is given.
 */
export function setApplicability(text: string, controlId: string, applicable: boolean, justification?: string, options: EditOptions = {}): EditResult {
  if (!applicable && !justification?.trim()) return fail(`Say why control ${controlId} does not apply: a justification is required when a control is not applicable.`);
  return editItem(text, controlId, options, (item) => {
    const ops: Op[] = [];
    if (justification?.trim()) ops.push(...setIfChanged(item, 'justification', justification));
    else if (item?.justification !== undefined) ops.push([['justification'], undefined]);
    ops.push(...setIfChanged(item, 'applicable', applicable));
    return ops;
  });
}

/** Sets the person or team that owns a control; `undefined` or blank removes it. */
export function setOwner(text: string, controlId: string, owner: string | undefined, options: EditOptions = {}): EditResult {
  return editItem(text, controlId, options, (item) => {
    if (owner === undefined || !owner.trim()) return item?.owner === undefined ? [] : [[['owner'], undefined]];
    return setIfChanged(item, 'owner', owner);
  });
}

/** Appends a note to a control. */
export function addNote(text: string, controlId: string, note: string, options: EditOptions = {}): EditResult {
  if (!note.trim()) return fail('The note is empty.');
  return editItem(text, controlId, options, (item) => (item?.notes ? [[['notes', -1], note]] : [[['notes'], [note]]]));
}

/** Appends a piece of manual evidence to a control; the same kind and ref twice is a no-op. */
export function addEvidence(text: string, controlId: string, evidence: EvidenceRef, options: EditOptions = {}): EditResult {
  if (!EVIDENCE_KINDS.includes(evidence.kind)) return fail(`The evidence kind must be one of ${EVIDENCE_KINDS.join(', ')}, not "${String(evidence.kind)}".`);
  if (!evidence.ref?.trim()) return fail('The evidence needs a ref: a file path, a URL or a ticket id.');
  const entry: EvidenceRef = { kind: evidence.kind, ref: evidence.ref, ...(evidence.note ? { note: evidence.note } : {}) };
  return editItem(text, controlId, options, (item) => {
    if (item?.evidence?.some((e) => e.kind === entry.kind && e.ref === entry.ref)) return [];
    return item?.evidence ? [[['evidence', -1], entry]] : [[['evidence'], [entry]]];
  });
}

/** Removes the manual evidence at `index` of a control. */
export function removeEvidence(text: string, controlId: string, index: number, options: EditOptions = {}): EditResult {
  return editItem(text, controlId, options, (item) => {
    if (!item) return `Control ${controlId} is not in the checklist.`;
    if (!item.evidence || index < 0 || index >= item.evidence.length) return `Control ${controlId} has no evidence number ${index + 1}.`;
    return [[['evidence', index], undefined]];
  });
}

/** Records that a control was reviewed on `date` (`YYYY-MM-DD`, passed in: the module has no clock). */
export function markReviewed(text: string, controlId: string, date: string, options: EditOptions = {}): EditResult {
  if (!isIsoDate(date)) return fail(`"${date}" is not a date written YYYY-MM-DD.`);
  return editItem(text, controlId, options, (item) => setIfChanged(item, 'lastReviewed', date));
}
