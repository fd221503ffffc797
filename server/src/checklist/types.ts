// The shared-responsibility checklist (`.iso27017/checklist.json`): its types and vocabulary.
// Mirrors controls-data/schema/checklist.schema.json; pure, no I/O.

import type { Owner, ServiceModel } from '../catalog/catalog';
import type { Range } from '../engine/types';

export type { Owner, ServiceModel };

/** Where the checklist lives, relative to a workspace folder. */
export const CHECKLIST_PATH = '.iso27017/checklist.json';

/** The file format version this code reads and writes. */
export const CHECKLIST_VERSION = 1;

/** Progress of one control. */
export type ItemStatus = 'todo' | 'in-progress' | 'done';
export const ITEM_STATUSES: readonly ItemStatus[] = ['todo', 'in-progress', 'done'];

/** What a piece of manual evidence points at. */
export type EvidenceKind = 'file' | 'url' | 'ticket';
export const EVIDENCE_KINDS: readonly EvidenceKind[] = ['file', 'url', 'ticket'];

/** A piece of manual evidence: a workspace file, a web page or a ticket id. */
export interface EvidenceRef {
  kind: EvidenceKind;
  /** A path relative to the workspace folder, a URL or a ticket id such as `SEC-142`. */
  ref: string;
  note?: string;
}

/** The organisation's decision and progress for one control. Unknown extra fields are kept in the file. */
export interface ChecklistItem {
  /** Who carries the control in this workspace (starts as the catalog default for the service models in use). */
  responsibility: Owner;
  /** What the customer (us) does for it, in our own words. */
  customerDoes?: string;
  /** What the provider does for it (and where that is documented). */
  providerDoes?: string;
  applicable: boolean;
  /** Why the control applies or, required when `applicable` is false, why it does not. */
  justification?: string;
  status: ItemStatus;
  /** A person or team. */
  owner?: string;
  notes?: string[];
  evidence?: EvidenceRef[];
  /** `YYYY-MM-DD` of the last review. */
  lastReviewed?: string;
}

/** A cloud service in use, detected from resource types or added by hand. */
export interface ChecklistService {
  /** e.g. `EC2`, `RDS`, `AKS`. */
  name: string;
  /** e.g. `aws`, `azure`, `gcp`. */
  provider: string;
  model: ServiceModel;
  /** Resource types the service was detected from. */
  detectedFrom?: string[];
}

/** The catalog a checklist was created from. */
export interface ChecklistCatalogRef {
  standard: 'ISO/IEC 27017';
  edition?: string;
  dataVersion: string;
}

/** The whole checklist file. Unknown top-level fields are kept in the file. */
export interface Checklist {
  version: number;
  catalog: ChecklistCatalogRef;
  providers: string[];
  /** Service models the responsibilities were derived for (the models of `services`, plus any chosen by hand). */
  models?: ServiceModel[];
  services: ChecklistService[];
  /** Control id → item, in file order. */
  controls: Record<string, ChecklistItem>;
}

export type ProblemSeverity = 'error' | 'warning' | 'info';

/** One problem in a checklist file, with its exact place. */
export interface ChecklistProblem {
  severity: ProblemSeverity;
  /**
   * Stable identifier of the kind of problem: `syntax`, `duplicate-key`, `schema`, `justification-required`,
   * `unknown-control`, `catalog-version`, `missing-controls`.
   */
  code: string;
  message: string;
  /** JSON Pointer of the value concerned (`/controls/9.1.2/status`); `''` for the whole document. */
  pointer: string;
  /** Character offset and length in the text. */
  offset: number;
  length: number;
  /** The same place as a zero-based LSP range. */
  range: Range;
  /** The control the problem is about, when there is one. */
  controlId?: string;
}

/** Where things are in the file: for diagnostics, "reveal in file" and conflicts. */
export interface ChecklistLocations {
  /** Control id → the range of its whole property (`"9.1.2": { … }`) and of its key. */
  controls: Map<string, { range: Range; keyRange: Range; offset: number; length: number }>;
  /** The range of the `controls` property key, when present. */
  controlsKey?: Range;
}

/** The result of reading a checklist file. */
export interface ParsedChecklist {
  /**
   * The checklist, when the text is a readable JSON object. Items that break the schema are left out of
   * `controls` and listed in `invalidItems`; unknown control ids are kept.
   */
  checklist: Checklist | undefined;
  /** Every problem, in text order. */
  problems: ChecklistProblem[];
  /** True when there is no problem of severity `error`; only valid files may be edited. */
  valid: boolean;
  /** Ids of items left out of `checklist.controls` because they break the schema. */
  invalidItems: string[];
  /** Ids in the file that the catalog does not know (kept, reported as warnings). */
  unknownControls: string[];
  locations: ChecklistLocations;
}
