// Automatic evidence: which rules speak for each control, what they found, and where a checklist says "done"
// while the code still breaks the control. Pure: the findings come from the engine.

import type { Catalog } from '../catalog/catalog';
import type { Finding, Range } from '../engine/types';
import type { Checklist, ItemStatus, ParsedChecklist } from './types';

/** The parts of a rule's metadata evidence needs. */
export interface EvidenceRule {
  id: string;
  title?: string;
  controls: readonly string[];
}

/** The parts of a finding evidence needs (suppressed findings should be left out by the caller). */
export type EvidenceFinding = Pick<Finding, 'ruleId' | 'file' | 'range'> & Partial<Pick<Finding, 'controls' | 'message' | 'resource'>>;

/** Where a rule found a problem. */
export interface FindingLocation {
  file: string;
  range: Range;
  /** Resource address, e.g. `aws_s3_bucket.logs`. */
  resource?: string;
}

/** One rule's contribution to a control. */
export interface RuleEvidence {
  ruleId: string;
  title?: string;
  /** Open findings of the rule. */
  findings: number;
  /** Where they are, in file and position order. */
  locations: FindingLocation[];
}

/** Everything the code says about one control. */
export interface ControlEvidence {
  controlId: string;
  /** Every rule that evidences the control, sorted by id; those without findings have `findings: 0`. */
  rules: RuleEvidence[];
  /** Open findings over all its rules. */
  openFindings: number;
  /** The checklist's status and applicability, when the checklist lists the control. */
  status?: ItemStatus;
  applicable?: boolean;
  /** True when the checklist says `done` (and applicable) while its rules have open findings. */
  conflict: boolean;
}

/** A control marked done whose rules fail, with where the checklist says so (for a diagnostic there). */
export interface EvidenceConflict {
  controlId: string;
  openFindings: number;
  /** Ids of the rules with open findings. */
  rules: string[];
  message: string;
  /** The item's property in the checklist file, and its key (present when a parsed checklist was given). */
  range?: Range;
  keyRange?: Range;
}

export interface EvidenceReport {
  /** One entry per catalog control in catalog order, then any control only the checklist or a finding names. */
  controls: ControlEvidence[];
  conflicts: EvidenceConflict[];
}

const isParsed = (c: Checklist | ParsedChecklist): c is ParsedChecklist => 'problems' in c && 'locations' in c;

/**
 * Collects, per control, the rules that evidence it with their open findings and locations, and flags the
 * controls whose checklist item is `done` while those rules still fail.
 */
export function evidenceFor(
  checklist: Checklist | ParsedChecklist | undefined,
  catalog: Pick<Catalog, 'controls'>,
  rules: readonly EvidenceRule[],
  findings: readonly EvidenceFinding[],
): EvidenceReport {
  const parsed = checklist && isParsed(checklist) ? checklist : undefined;
  const list = parsed ? parsed.checklist : (checklist as Checklist | undefined);

  const ruleControls = new Map<string, readonly string[]>();
  const titles = new Map<string, string>();
  for (const r of rules) {
    ruleControls.set(r.id, r.controls);
    if (r.title) titles.set(r.id, r.title);
  }
  const byRule = new Map<string, FindingLocation[]>();
  for (const f of findings) {
    if (!ruleControls.has(f.ruleId)) ruleControls.set(f.ruleId, f.controls ?? []);
    const loc: FindingLocation = { file: f.file, range: f.range };
    if (f.resource?.address) loc.resource = f.resource.address;
    byRule.set(f.ruleId, [...(byRule.get(f.ruleId) ?? []), loc]);
  }

  const order: string[] = catalog.controls.map((c) => c.id);
  const seen = new Set(order);
  const extra = (id: string): void => {
    if (!seen.has(id)) (seen.add(id), order.push(id));
  };
  for (const id of Object.keys(list?.controls ?? {})) extra(id);
  const perControl = new Map<string, string[]>();
  for (const [ruleId, controls] of [...ruleControls].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    for (const c of new Set(controls)) {
      extra(c);
      perControl.set(c, [...(perControl.get(c) ?? []), ruleId]);
    }
  }

  const controls: ControlEvidence[] = [];
  const conflicts: EvidenceConflict[] = [];
  for (const id of order) {
    const ruleEvidence = (perControl.get(id) ?? []).map((ruleId): RuleEvidence => {
      const locations = [...(byRule.get(ruleId) ?? [])].sort(
        (a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character),
      );
      const e: RuleEvidence = { ruleId, findings: locations.length, locations };
      const title = titles.get(ruleId);
      if (title) e.title = title;
      return e;
    });
    const openFindings = ruleEvidence.reduce((n, r) => n + r.findings, 0);
    const item = list?.controls[id];
    const conflict = !!item && item.status === 'done' && item.applicable !== false && openFindings > 0;
    const ce: ControlEvidence = { controlId: id, rules: ruleEvidence, openFindings, conflict };
    if (item) {
      ce.status = item.status;
      ce.applicable = item.applicable;
    }
    controls.push(ce);
    if (conflict) {
      const failing = ruleEvidence.filter((r) => r.findings > 0);
      const c: EvidenceConflict = {
        controlId: id,
        openFindings,
        rules: failing.map((r) => r.ruleId),
        message: `Control ${id} is marked done, but ${openFindings} finding${openFindings === 1 ? '' : 's'} of its rules ${openFindings === 1 ? 'is' : 'are'} open: ${failing.map((r) => `${r.ruleId} (${r.findings})`).join(', ')}.`,
      };
      const loc = parsed?.locations.controls.get(id);
      if (loc) {
        c.range = loc.range;
        c.keyRange = loc.keyRange;
      }
      conflicts.push(c);
    }
  }
  return { controls, conflicts };
}
