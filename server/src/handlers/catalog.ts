// The control catalog as the server uses it: loaded once at initialize, with the reverse index control → rules.

import { type Catalog, type CatalogGroup, type ControlRecord, compareControlIds } from '../catalog/catalog';
import { groupsByControl, rulesByControl } from '../catalog/evidence';
import { loadCatalogFile } from '../catalog/load-node';
import type { Rule } from '../engine/rule';
import type { ControlInfo as EngineControlInfo } from '../engine/types';

/** The loaded catalog, or the reason it is missing. Lookups return undefined when it is missing. */
export class CatalogIndex {
  private readonly byId = new Map<string, ControlRecord>();
  private readonly rulesByControl: Map<string, string[]>;
  private readonly groupByControl: Map<string, CatalogGroup>;

  private constructor(
    readonly catalog: Catalog | undefined,
    /** Why the catalog could not be loaded (for the log and the status), or undefined. */
    readonly error: string | undefined,
    rules: readonly Rule[],
  ) {
    for (const c of catalog?.controls ?? []) this.byId.set(c.id, c);
    // The same reverse index as the CLI's (catalog/evidence.ts): rules name controls, never the other way round.
    this.rulesByControl = rulesByControl(rules.map((r) => r.meta));
    this.groupByControl = catalog ? groupsByControl(catalog) : new Map();
  }

  /** Loads the catalog from `path`; never throws. */
  static load(path: string | undefined, rules: readonly Rule[]): CatalogIndex {
    if (!path) return new CatalogIndex(undefined, 'No catalog path was given (initializationOptions.catalogPath); control titles are not available.', rules);
    try {
      return new CatalogIndex(loadCatalogFile(path), undefined, rules);
    } catch (e) {
      const first = ((e as Error).message ?? String(e)).split('\n').slice(0, 4).join(' ');
      return new CatalogIndex(undefined, `Could not load the control catalog from ${path}: ${first}. Control titles are not available.`, rules);
    }
  }

  /** An index without a catalog (tests, or when none was configured). */
  static empty(rules: readonly Rule[]): CatalogIndex {
    return new CatalogIndex(undefined, undefined, rules);
  }

  get loaded(): boolean {
    return this.catalog !== undefined;
  }

  control(id: string): ControlRecord | undefined {
    return this.byId.get(id);
  }

  /** Ids of the rules that evidence a control, sorted. */
  rulesFor(id: string): string[] {
    return [...(this.rulesByControl.get(id) ?? [])];
  }

  /** The catalog group (clause) a control belongs to. */
  groupOf(id: string): CatalogGroup | undefined {
    return this.groupByControl.get(id);
  }

  /** What the engine needs to render control titles in messages. */
  engineControls(): EngineControlInfo[] {
    return [...this.byId.values()].map((c) => ({ id: c.id, title: c.title }));
  }

  /** Every control id, in catalog order. */
  ids(): string[] {
    return [...this.byId.keys()].sort(compareControlIds);
  }
}

/** The first sentence of a summary, for one-line displays. */
export function firstSentence(text: string): string {
  const m = /^(.+?[.!?])(\s|$)/s.exec(text.trim());
  return (m ? m[1]! : text.trim()).replace(/\s+/g, ' ');
}
