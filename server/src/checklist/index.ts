// The shared-responsibility checklist: read, validate, edit, create, evidence and the Statement of Applicability.
// Pure (no file system, no clock); the CLI and the language server do the I/O.

export * from './types';
export { parseChecklist, formatProblem, isIsoDate, type CatalogRef, type ParseOptions } from './parse';
export {
  setStatus,
  setResponsibility,
  setApplicability,
  setOwner,
  addNote,
  addEvidence,
  removeEvidence,
  markReviewed,
  type ChecklistEdit,
  type EditOptions,
  type EditResult,
} from './edit';
export { createChecklist, defaultItem, defaultResponsibility, type CreateOptions } from './create';
export { detectServices, providerOfType, resourceTypeCollector, serviceForType, SERVICE_TABLE, type DetectedServices, type ResourceTypes, type ServiceEntry } from './services';
export { evidenceFor, type ControlEvidence, type EvidenceConflict, type EvidenceFinding, type EvidenceReport, type EvidenceRule, type FindingLocation, type RuleEvidence } from './evidence';
export { checklistModels, checklistRows, countStatus, progressByOwner, progressByResponsibility, type ChecklistRow, type StatusCounts } from './progress';
export { buildSoa, renderSoa, SOA_FORMATS, type SoaClause, type SoaControl, type SoaData, type SoaFormat, type SoaInput, type SoaSummary } from './soa';
