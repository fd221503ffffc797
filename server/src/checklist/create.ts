// Creates a new checklist: every catalog control, its responsibility defaulted from the service models in use.

import type { Catalog, ControlRecord, Owner, ServiceModel } from '../catalog/catalog';
import { SERVICE_MODELS } from '../catalog/catalog';
import { type Checklist, type ChecklistItem, type ChecklistService, CHECKLIST_VERSION } from './types';

/** How much of a control an owner leaves to the customer: the higher, the more customer-heavy. */
const WEIGHT: Record<Owner, number> = { customer: 2, shared: 1, provider: 0 };

/**
 * The default responsibility of a control for the service models in use: the catalog's default for each model,
 * and when several models are in use the most customer-heavy of them (customer > shared > provider), because
 * the customer must cover the control wherever any of its services leaves it to them. No model means all three.
 */
export function defaultResponsibility(record: Pick<ControlRecord, 'responsibility'>, models: readonly ServiceModel[]): Owner {
  const list = models.length > 0 ? models : SERVICE_MODELS;
  let best: Owner = record.responsibility[list[0]!];
  for (const m of list) if (WEIGHT[record.responsibility[m]] > WEIGHT[best]) best = record.responsibility[m];
  return best;
}

/** A fresh item for a control: its default responsibility, applicable, to do. */
export function defaultItem(record: Pick<ControlRecord, 'responsibility'>, models: readonly ServiceModel[]): ChecklistItem {
  return { responsibility: defaultResponsibility(record, models), applicable: true, status: 'todo' };
}

export interface CreateOptions {
  catalog: Pick<Catalog, 'edition' | 'dataVersion' | 'controls'>;
  /** e.g. `['aws']`. */
  providers: readonly string[];
  /** Service models in use; with none, all three count. */
  models: readonly ServiceModel[];
  services: readonly ChecklistService[];
  /** `YYYY-MM-DD`, written in the header comment. */
  today: string;
}

/** The checklist object and its file text (pretty-printed JSON after a comment explaining the file). */
export function createChecklist(o: CreateOptions): { checklist: Checklist; text: string } {
  const models = SERVICE_MODELS.filter((m) => o.models.includes(m));
  const controls: Record<string, ChecklistItem> = {};
  for (const record of o.catalog.controls) controls[record.id] = defaultItem(record, models);
  const checklist: Checklist = {
    version: CHECKLIST_VERSION,
    catalog: { standard: 'ISO/IEC 27017', edition: o.catalog.edition, dataVersion: o.catalog.dataVersion },
    providers: [...new Set(o.providers)].sort(),
    models,
    services: o.services.map((s) => ({ ...s, ...(s.detectedFrom ? { detectedFrom: [...s.detectedFrom] } : {}) })),
    controls,
  };
  const header = [
    `// ISO/IEC 27017 shared-responsibility checklist of this workspace folder, created ${o.today} by iso27017 from catalog ${o.catalog.dataVersion}.`,
    '// Per control: who carries it (customer, provider or shared), whether it applies (say why not), its status, owner and evidence.',
    '// Edit it by hand or from the editor; comments and unknown fields are kept. Format: docs/checklist.md.',
  ];
  return { checklist, text: `${header.join('\n')}\n${JSON.stringify(checklist, null, 2)}\n` };
}
