// The client's copy of the catalog and the findings, fed by iso27017/listControls and iso27017/listFindings and
// refreshed on iso27017/findingsChanged; tells the tree and the control pages exactly which controls changed.

import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { Refresher } from './refresher';
import {
  FindingsChangedNotification,
  ListControlsRequest,
  ListFindingsRequest,
  ListRulesRequest,
  type ControlSummary,
  type FindingInfo,
  type ListControlsResult,
  type RuleInfo,
} from '../../../server/src/protocol';
import type { ProtocolFeature } from '../client';

/** The setting that adds the ISO/IEC 27018 catalog to the Controls view. */
export const ISO27018_SETTING = 'iso27017.catalogs.iso27018';

/** What changed in one refresh. */
export interface CatalogChange {
  /** The catalog itself changed (first load, reload, server restart, 27018 switched): redraw everything. */
  structure: boolean;
  /** Controls whose finding count, worst severity, rules or findings changed. */
  controls: ReadonlySet<string>;
}

/** Why the store has no data, or `ready`. */
export type StoreState = 'starting' | 'stopped' | 'noCatalog' | 'ready';

/** How long findings notifications are gathered before one re-query (milliseconds). */

/** A string that is equal exactly when a control would be shown the same way. */
function controlFingerprint(c: ControlSummary, findings: readonly FindingInfo[]): string {
  const fs = findings.map((f) => `${f.uri}|${f.ruleId}|${f.severity}|${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character}|${f.message}`);
  return `${c.findings}|${c.worst ?? ''}|${c.rules.join(',')}|${fs.join('\n')}`;
}

export class CatalogStore implements vscode.Disposable {
  /** The last `iso27017/listControls` answer; undefined before the first or while the server is down. */
  data: ListControlsResult | undefined;
  state: StoreState = 'starting';
  /** Rule metadata by id (from `iso27017/listRules`, once per server start). */
  readonly rules = new Map<string, RuleInfo>();
  private controlsById = new Map<string, ControlSummary>();
  private findingsByControl = new Map<string, FindingInfo[]>();
  private fingerprints = new Map<string, string>();
  private structureKey = '';
  private readonly emitter = new vscode.EventEmitter<CatalogChange>();
  /** Fires after every refresh that changed something. */
  readonly onDidChange = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly refresher = new Refresher(() => this.load());

  constructor(
    private readonly client: LanguageClient,
    private readonly feature: ProtocolFeature,
  ) {
    this.disposables.push(
      this.emitter,
      // Registered before the client starts; the client keeps the handler across restarts.
      client.onNotification(FindingsChangedNotification.type, () => this.schedule()),
      client.onDidChangeState((e) => {
        if (e.newState === State.Running) {
          this.rules.clear();
          void this.refresh();
        } else {
          this.clear(e.newState === State.Starting ? 'starting' : 'stopped');
        }
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(ISO27018_SETTING)) void this.refresh();
      }),
    );
  }

  /** Resolves after the first refresh that reached the server, or once it is known the server is not running. */
  whenLoaded(): Promise<void> {
    return this.refresher.loaded;
  }

  /** The control summary, if the catalog has it. */
  control(id: string): ControlSummary | undefined {
    return this.controlsById.get(id);
  }

  /** Every control, in catalog order. */
  allControls(): ControlSummary[] {
    return this.data?.groups.flatMap((g) => g.controls) ?? [];
  }

  /** The findings that name a control, sorted by URI and position. */
  findingsOf(controlId: string): readonly FindingInfo[] {
    return this.findingsByControl.get(controlId) ?? [];
  }

  /** All findings currently published. */
  get totalFindings(): number {
    return this.data?.findings ?? 0;
  }

  /** Re-queries soon, gathering bursts of notifications into one request pair. */
  schedule(delay?: number): void {
    this.refresher.schedule(delay);
  }

  /** Re-queries the server; resolves once data asked for after the call has arrived. */
  refresh(): Promise<void> {
    return this.refresher.refresh();
  }

  private async load(): Promise<void> {
    if (!this.client.isRunning()) {
      this.clear(this.client.state === State.Starting ? 'starting' : 'stopped');
      return;
    }
    if (!this.feature.compatible) {
      this.clear('stopped');
      return;
    }
    const includeIso27018 = vscode.workspace.getConfiguration().get<boolean>(ISO27018_SETTING, false) === true;
    const [data, { findings }, rules] = await Promise.all([
      this.client.sendRequest(ListControlsRequest.type, { includeIso27018 }),
      this.client.sendRequest(ListFindingsRequest.type, {}),
      this.rules.size > 0 ? Promise.resolve(undefined) : this.client.sendRequest(ListRulesRequest.type, {}),
    ]);
    if (rules) for (const r of rules.rules) this.rules.set(r.id, r);
    this.apply(data, findings);
  }

  /** Replaces the data and fires one change with what differs. Public for tests of the tree logic. */
  apply(data: ListControlsResult, findings: readonly FindingInfo[]): void {
    const byControl = new Map<string, FindingInfo[]>();
    for (const f of findings) {
      for (const id of new Set(f.controls)) {
        const list = byControl.get(id) ?? [];
        list.push(f);
        byControl.set(id, list);
      }
    }
    const controls = new Map<string, ControlSummary>();
    for (const g of data.groups) for (const c of g.controls) controls.set(c.id, c);
    const fingerprints = new Map<string, string>();
    for (const c of controls.values()) fingerprints.set(c.id, controlFingerprint(c, byControl.get(c.id) ?? []));
    const structureKey = JSON.stringify([
      data.loaded,
      data.dataVersion,
      data.groups.map((g) => [g.id, g.controls.map((c) => c.id)]),
      data.iso27018?.areas.map((a) => [a.id, a.controls.map((c) => c.id)]) ?? null,
    ]);
    const structure = this.data === undefined || structureKey !== this.structureKey;
    const changed = new Set<string>();
    for (const [id, fp] of fingerprints) if (this.fingerprints.get(id) !== fp) changed.add(id);
    const totalChanged = this.data?.findings !== data.findings;

    this.data = data;
    this.state = data.loaded ? 'ready' : 'noCatalog';
    this.controlsById = controls;
    this.findingsByControl = byControl;
    this.fingerprints = fingerprints;
    this.structureKey = structureKey;
    this.refresher.markLoaded();
    if (structure || changed.size > 0 || totalChanged) this.emitter.fire({ structure, controls: changed });
  }

  private clear(state: StoreState): void {
    const had = this.data !== undefined || this.state !== state;
    this.data = undefined;
    this.state = state;
    this.controlsById = new Map();
    this.findingsByControl = new Map();
    this.fingerprints = new Map();
    this.structureKey = '';
    if (state === 'stopped') this.refresher.markLoaded();
    if (had) this.emitter.fire({ structure: true, controls: new Set() });
  }

  dispose(): void {
    this.refresher.dispose();
    this.disposables.forEach((d) => d.dispose());
  }
}
