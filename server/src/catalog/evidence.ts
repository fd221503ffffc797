// The reverse index control → rules, built from the rules' metadata (the catalog never lists rules), shared by
// the language server, the CLI and the tests so that all three agree on which rules evidence a control.

import type { Catalog, CatalogGroup, ControlRecord } from './catalog';

/** The parts of a rule's metadata the catalog needs. */
export interface RuleRef {
  id: string;
  title: string;
  severity: 'error' | 'warning' | 'info' | 'hint';
  fixable: boolean;
  controls: readonly string[];
}

/** Control id → ids of the rules that name it, each list sorted. Controls no rule names are absent. */
export function rulesByControl(rules: readonly Pick<RuleRef, 'id' | 'controls'>[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of rules) {
    for (const id of new Set(r.controls)) {
      const list = out.get(id) ?? [];
      list.push(r.id);
      out.set(id, list);
    }
  }
  for (const list of out.values()) list.sort();
  return out;
}

/** Control id → its catalog group. */
export function groupsByControl(catalog: Pick<Catalog, 'groups'>): Map<string, CatalogGroup> {
  const out = new Map<string, CatalogGroup>();
  for (const g of catalog.groups) for (const id of g.controls) out.set(id, g);
  return out;
}

/**
 * A control that no rule evidences is a process control: nothing in infrastructure code can show it, so it is
 * tracked in the shared-responsibility checklist instead.
 */
export function isProcessControl(record: Pick<ControlRecord, 'id'>, index: ReadonlyMap<string, readonly string[]>): boolean {
  return (index.get(record.id)?.length ?? 0) === 0;
}

/** Controls that infrastructure code can evidence well (`iacRelevant`, strength strong or medium). */
export function expectsRules(record: Pick<ControlRecord, 'iacRelevant' | 'iacStrength'>): boolean {
  return record.iacRelevant && (record.iacStrength === 'strong' || record.iacStrength === 'medium');
}
