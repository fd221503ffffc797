// The checklist as rows over the whole catalog (items the file lacks take their defaults) and progress counts.

import type { Catalog, CatalogGroup, ControlRecord, Owner, ServiceModel } from '../catalog/catalog';
import { OWNERS, SERVICE_MODELS } from '../catalog/catalog';
import { defaultItem } from './create';
import type { Checklist, ChecklistItem, ItemStatus } from './types';

/** One control as the checklist sees it. */
export interface ChecklistRow {
  controlId: string;
  /** Undefined for an id the catalog does not know. */
  record?: ControlRecord;
  /** The catalog group (clause); undefined for an id the catalog does not know. */
  group?: CatalogGroup;
  item: ChecklistItem;
  /** `checklist`: the file's item; `default`: the file lacks it (or there is no file), so catalog defaults apply. */
  source: 'checklist' | 'default';
}

/** The service models a checklist derives defaults for: its `models`, else its services' models. */
export function checklistModels(checklist: Checklist | undefined): ServiceModel[] {
  if (!checklist) return [];
  if (checklist.models && checklist.models.length > 0) return checklist.models;
  return SERVICE_MODELS.filter((m) => checklist.services.some((s) => s.model === m));
}

/**
 * Every catalog control in catalog order with its item (or the default item for `models` when the checklist
 * lacks it), then the checklist's ids the catalog does not know, in file order.
 */
export function checklistRows(checklist: Checklist | undefined, catalog: Pick<Catalog, 'controls' | 'groups'>, models: readonly ServiceModel[] = checklistModels(checklist)): ChecklistRow[] {
  const groups = new Map<string, CatalogGroup>();
  for (const g of catalog.groups) for (const id of g.controls) groups.set(id, g);
  const rows: ChecklistRow[] = [];
  for (const record of catalog.controls) {
    const item = checklist?.controls[record.id];
    const row: ChecklistRow = { controlId: record.id, record, item: item ?? defaultItem(record, models), source: item ? 'checklist' : 'default' };
    const g = groups.get(record.id);
    if (g) row.group = g;
    rows.push(row);
  }
  const known = new Set(catalog.controls.map((c) => c.id));
  for (const [id, item] of Object.entries(checklist?.controls ?? {})) if (!known.has(id)) rows.push({ controlId: id, item, source: 'checklist' });
  return rows;
}

/** Counts of applicable controls by status, and of controls marked not applicable. */
export interface StatusCounts {
  /** Applicable controls. */
  total: number;
  todo: number;
  'in-progress': number;
  done: number;
  notApplicable: number;
}

export const emptyCounts = (): StatusCounts => ({ total: 0, todo: 0, 'in-progress': 0, done: 0, notApplicable: 0 });

export function countStatus(items: Iterable<ChecklistItem>): StatusCounts {
  const c = emptyCounts();
  for (const item of items) {
    if (!item.applicable) c.notApplicable++;
    else {
      c.total++;
      c[item.status as ItemStatus]++;
    }
  }
  return c;
}

/** Progress per responsibility (customer, provider, shared), over the given rows. */
export function progressByResponsibility(rows: readonly ChecklistRow[]): Record<Owner, StatusCounts> {
  const out = { customer: emptyCounts(), provider: emptyCounts(), shared: emptyCounts() } as Record<Owner, StatusCounts>;
  for (const o of OWNERS) out[o] = countStatus(rows.filter((r) => r.item.responsibility === o).map((r) => r.item));
  return out;
}

/** Progress per assigned owner (person or team); controls without one are counted under `''`. */
export function progressByOwner(rows: readonly ChecklistRow[]): Map<string, StatusCounts> {
  // Ordered by name, the unassigned last.
  const names = [...new Set(rows.map((r) => r.item.owner ?? ''))].sort((a, b) => (a === '' ? 1 : b === '' ? -1 : a.localeCompare(b)));
  const out = new Map<string, StatusCounts>();
  for (const n of names) out.set(n, countStatus(rows.filter((r) => (r.item.owner ?? '') === n).map((r) => r.item)));
  return out;
}
