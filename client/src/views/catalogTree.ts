// The Controls view (`iso27017.catalog`): clause groups → controls → the rules that evidence them → findings,
// plus the optional ISO/IEC 27018 section. Node objects are cached by stable id, so that change events name the
// very elements that changed and VS Code keeps the expansion state across refreshes.

import * as vscode from 'vscode';
import type { ControlSummary, FindingInfo, Iso27018Info } from '../../../server/src/protocol';
import type { CatalogChange, CatalogStore } from './catalogStore';

export const CATALOG_VIEW_ID = 'iso27017.catalog';

/** Context keys this view sets (C6: `iso27017.<area>.<state>`). */
export const CatalogContext = {
  /** `starting` | `stopped` | `noCatalog` | `noFindings` | `noMatch` | `ready`; drives `viewsWelcome`. */
  state: 'iso27017.catalog.state',
  /** True while only controls with findings are shown. */
  filterFindings: 'iso27017.catalog.filterFindings',
  /** True while a search text filters the view. */
  searching: 'iso27017.catalog.searching',
} as const;

export type CatalogViewState = 'starting' | 'stopped' | 'noCatalog' | 'noFindings' | 'noMatch' | 'ready';

interface NodeBase {
  /** Stable `TreeItem.id`, e.g. `control:12.3.1`. */
  readonly id: string;
  readonly parent: CatalogNode | undefined;
}
export interface GroupNode extends NodeBase {
  readonly kind: 'group';
  readonly groupId: string;
}
export interface ControlNode extends NodeBase {
  readonly kind: 'control';
  readonly controlId: string;
}
export interface RuleNode extends NodeBase {
  readonly kind: 'rule';
  readonly controlId: string;
  readonly ruleId: string;
}
export interface FindingNode extends NodeBase {
  readonly kind: 'finding';
  readonly controlId: string;
  readonly ruleId: string;
  /** Updated in place when the same finding comes back from a refresh. */
  finding: FindingInfo;
}
export interface Iso27018Node extends NodeBase {
  readonly kind: 'iso27018';
}
export interface AreaNode extends NodeBase {
  readonly kind: 'area';
  readonly areaId: string;
}
export interface PrivacyControlNode extends NodeBase {
  readonly kind: 'privacyControl';
  readonly controlId: string;
}
/** One element of the Controls view (what `getChildren` returns, also through the extension API). */
export type CatalogNode = GroupNode | ControlNode | RuleNode | FindingNode | Iso27018Node | AreaNode | PrivacyControlNode;

const SEVERITY_ICON: Record<FindingInfo['severity'], [string, string]> = {
  error: ['error', 'problemsErrorIcon.foreground'],
  warning: ['warning', 'problemsWarningIcon.foreground'],
  info: ['info', 'problemsInfoIcon.foreground'],
  hint: ['lightbulb', 'problemsInfoIcon.foreground'],
};

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** True when every whitespace-separated word of `query` occurs in one of `fields` (case-insensitive). */
export function matchesQuery(query: string, fields: readonly string[]): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const hay = fields.join('\n').toLowerCase();
  return words.every((w) => hay.includes(w));
}

/** The line and position of a finding for display, e.g. `infra/main.tf:8`. */
export function findingLocation(f: FindingInfo): string {
  const uri = vscode.Uri.parse(f.uri);
  return `${vscode.workspace.asRelativePath(uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1)}:${f.range.start.line + 1}`;
}

export class CatalogTreeProvider implements vscode.TreeDataProvider<CatalogNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<CatalogNode | CatalogNode[] | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly refreshedEmitter = new vscode.EventEmitter<void>();
  /** Fires after the view has been told about a refresh (e2e tests wait on it). */
  readonly onDidRefresh = this.refreshedEmitter.event;
  private readonly nodes = new Map<string, CatalogNode>();
  private readonly disposables: vscode.Disposable[] = [];
  private onlyWithFindings = false;
  private query = '';
  private viewState: CatalogViewState | undefined;
  /** The controls the filters let through at the last root refresh. */
  private lastVisible = new Set<string>();
  /** Set by the owner once the TreeView exists, for its badge and message. */
  view: vscode.TreeView<CatalogNode> | undefined;

  constructor(private readonly store: CatalogStore) {
    this.disposables.push(
      this.changeEmitter,
      this.refreshedEmitter,
      store.onDidChange((c) => this.onStoreChange(c)),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.fireAll()),
    );
    void vscode.commands.executeCommand('setContext', CatalogContext.filterFindings, false);
    void vscode.commands.executeCommand('setContext', CatalogContext.searching, false);
  }

  // ---- filters ----

  get filter(): { withFindings: boolean; query: string } {
    return { withFindings: this.onlyWithFindings, query: this.query };
  }

  setOnlyWithFindings(on: boolean): void {
    if (this.onlyWithFindings === on) return;
    this.onlyWithFindings = on;
    void vscode.commands.executeCommand('setContext', CatalogContext.filterFindings, on);
    this.fireAll();
  }

  setQuery(query: string): void {
    const q = query.trim();
    if (this.query === q) return;
    this.query = q;
    void vscode.commands.executeCommand('setContext', CatalogContext.searching, q !== '');
    this.fireAll();
  }

  private controlVisible(c: ControlSummary): boolean {
    if (this.onlyWithFindings && c.findings === 0) return false;
    if (this.query === '') return true;
    return matchesQuery(this.query, [c.id, c.title, c.summary, ...c.keywords, ...c.rules, ...c.rules.map((r) => this.store.rules.get(r)?.title ?? '')]);
  }

  private privacyVisible(c: { id: string; title: string; summary: string; iacHint?: string }): boolean {
    if (this.onlyWithFindings) return false;
    return matchesQuery(this.query, [c.id, c.title, c.summary, c.iacHint ?? '']);
  }

  private filtering(): boolean {
    return this.onlyWithFindings || this.query !== '';
  }

  // ---- nodes ----

  private node<T extends CatalogNode>(make: T): T {
    const existing = this.nodes.get(make.id);
    if (existing && existing.kind === make.kind) {
      if (existing.kind === 'finding') existing.finding = (make as FindingNode).finding;
      return existing as T;
    }
    this.nodes.set(make.id, make);
    return make;
  }

  private groupNode(groupId: string): GroupNode {
    return this.node<GroupNode>({ kind: 'group', id: `group:${groupId}`, parent: undefined, groupId });
  }

  private controlNode(controlId: string): ControlNode | undefined {
    const group = this.store.data?.groups.find((g) => g.controls.some((c) => c.id === controlId));
    if (!group) return undefined;
    return this.node<ControlNode>({ kind: 'control', id: `control:${controlId}`, parent: this.groupNode(group.id), controlId });
  }

  /** The tree node of a control, if the catalog has it (whether or not the filters show it). */
  nodeForControl(controlId: string): ControlNode | undefined {
    return this.controlNode(controlId);
  }

  /** True when the filters let the control through. */
  isVisible(controlId: string): boolean {
    const c = this.store.control(controlId);
    return c !== undefined && this.controlVisible(c);
  }

  // ---- TreeDataProvider ----

  async getChildren(element?: CatalogNode): Promise<CatalogNode[]> {
    if (!element) return this.roots();
    const data = this.store.data;
    if (!data) return [];
    switch (element.kind) {
      case 'group': {
        const g = data.groups.find((x) => x.id === element.groupId);
        return (g?.controls ?? []).filter((c) => this.controlVisible(c)).map((c) => this.node<ControlNode>({ kind: 'control', id: `control:${c.id}`, parent: element, controlId: c.id }));
      }
      case 'control': {
        const c = this.store.control(element.controlId);
        return (c?.rules ?? []).map((r) => this.node<RuleNode>({ kind: 'rule', id: `rule:${c!.id}:${r}`, parent: element, controlId: c!.id, ruleId: r }));
      }
      case 'rule': {
        const seen = new Map<string, number>();
        return this.store
          .findingsOf(element.controlId)
          .filter((f) => f.ruleId === element.ruleId)
          .map((f) => {
            const r = f.range;
            const base = `finding:${element.controlId}:${f.ruleId}:${f.uri}:${r.start.line}:${r.start.character}:${r.end.line}:${r.end.character}`;
            // The same range twice (a module called twice) still needs two distinct ids.
            const n = seen.get(base) ?? 0;
            seen.set(base, n + 1);
            return this.node<FindingNode>({ kind: 'finding', id: n === 0 ? base : `${base}#${n}`, parent: element, controlId: element.controlId, ruleId: f.ruleId, finding: f });
          });
      }
      case 'iso27018':
        return (data.iso27018?.areas ?? [])
          .filter((a) => !this.filtering() || matchesQuery(this.query, [a.id, a.title, a.summary]) || a.controls.some((c) => this.privacyVisible(c)))
          .map((a) => this.node<AreaNode>({ kind: 'area', id: `area:${a.id}`, parent: element, areaId: a.id }));
      case 'area': {
        const a = data.iso27018?.areas.find((x) => x.id === element.areaId);
        const areaMatches = this.query !== '' && a !== undefined && matchesQuery(this.query, [a.id, a.title, a.summary]);
        return (a?.controls ?? []).filter((c) => areaMatches || this.privacyVisible(c)).map((c) => this.node<PrivacyControlNode>({ kind: 'privacyControl', id: `privacy:${c.id}`, parent: element, controlId: c.id }));
      }
      default:
        return [];
    }
  }

  private async roots(): Promise<CatalogNode[]> {
    if ((vscode.workspace.workspaceFolders?.length ?? 0) === 0) return [];
    await this.store.whenLoaded();
    const data = this.store.data;
    if (!data || this.store.state !== 'ready') {
      this.setViewState(this.store.state === 'ready' ? 'noCatalog' : this.store.state);
      return [];
    }
    this.lastVisible = new Set(data.groups.flatMap((g) => g.controls.filter((c) => this.controlVisible(c)).map((c) => c.id)));
    const groups = data.groups.filter((g) => !this.filtering() || g.controls.some((c) => this.lastVisible.has(c.id))).map((g) => this.groupNode(g.id));
    const roots: CatalogNode[] = [...groups];
    if (data.iso27018 && !this.onlyWithFindings && (this.query === '' || data.iso27018.areas.some((a) => matchesQuery(this.query, [a.id, a.title, a.summary]) || a.controls.some((c) => this.privacyVisible(c))))) {
      roots.push(this.node<Iso27018Node>({ kind: 'iso27018', id: 'iso27018', parent: undefined }));
    }
    this.setViewState(roots.length > 0 ? 'ready' : this.query !== '' ? 'noMatch' : 'noFindings');
    this.updateChrome();
    return roots;
  }

  getParent(element: CatalogNode): CatalogNode | undefined {
    return element.parent;
  }

  getTreeItem(element: CatalogNode): vscode.TreeItem {
    switch (element.kind) {
      case 'group':
        return this.groupItem(element);
      case 'control':
        return this.controlItem(element);
      case 'rule':
        return this.ruleItem(element);
      case 'finding':
        return this.findingItem(element);
      case 'iso27018':
        return this.iso27018Item(element);
      case 'area':
        return this.areaItem(element);
      case 'privacyControl':
        return this.privacyItem(element);
    }
  }

  private groupItem(n: GroupNode): vscode.TreeItem {
    const g = this.store.data?.groups.find((x) => x.id === n.groupId);
    const label = g ? (g.id === 'CLD' ? g.title : `${g.id} ${g.title}`) : n.groupId;
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = n.id;
    item.contextValue = 'group';
    const controls = g?.controls ?? [];
    const findings = this.distinctFindings(controls);
    const shown = controls.filter((c) => this.controlVisible(c)).length;
    const count = this.filtering() ? `${shown} of ${controls.length} controls` : plural(controls.length, 'control');
    item.description = findings > 0 ? `${count} · ${plural(findings, 'finding')}` : count;
    item.iconPath = new vscode.ThemeIcon(g?.id === 'CLD' ? 'cloud' : 'library');
    item.tooltip = `${label}\n${item.description}`;
    return item;
  }

  /**
   * The findings that name any of these controls, each counted once (a finding may evidence two controls of
   * one clause, e.g. 9.1.2 and 9.4.1). Before the findings list has arrived, the per-control counts are summed.
   */
  private distinctFindings(controls: readonly { id: string; findings: number }[]): number {
    const seen = new Set<string>();
    for (const c of controls) {
      for (const f of this.store.findingsOf(c.id)) seen.add(`${f.uri}|${f.ruleId}|${f.range.start.line}:${f.range.start.character}|${f.message}`);
    }
    const summed = controls.reduce((s, c) => s + c.findings, 0);
    return seen.size > 0 || summed === 0 ? seen.size : summed;
  }

  private controlItem(n: ControlNode): vscode.TreeItem {
    const c = this.store.control(n.controlId);
    const label = c ? `${c.id} ${c.title}` : n.controlId;
    const process = !c || c.rules.length === 0;
    const item = new vscode.TreeItem(this.highlighted(label), process ? vscode.TreeItemCollapsibleState.None : vscode.TreeItemCollapsibleState.Collapsed);
    item.id = n.id;
    item.contextValue = 'control';
    // The node, not the id: the command then keeps the focus in the view, so arrow keys keep browsing.
    item.command = { title: 'Open Control Page', command: 'iso27017.catalog.openPage', arguments: [n] };
    const tip = new vscode.MarkdownString(undefined, true);
    tip.appendMarkdown(`**${escapeMd(label)}**\n\n`);
    if (c) tip.appendText(c.summary).appendMarkdown('\n\n');
    if (process) {
      item.iconPath = new vscode.ThemeIcon('checklist');
      item.description = 'process control';
      tip.appendMarkdown('$(checklist) No rule can check this control in code: it lives in the shared-responsibility checklist.');
    } else if (c!.findings > 0) {
      const [icon, color] = SEVERITY_ICON[c!.worst ?? 'warning'];
      item.iconPath = new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
      item.description = plural(c!.findings, 'finding');
      tip.appendMarkdown(`$(${icon}) ${plural(c!.findings, 'finding')} from ${plural(c!.rules.length, 'rule')} in this workspace.`);
    } else {
      item.iconPath = new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
      item.description = 'passing';
      tip.appendMarkdown(`$(pass) ${plural(c!.rules.length, 'rule')} found nothing in this workspace.`);
    }
    item.tooltip = tip;
    item.accessibilityInformation = { label: `${label}, ${item.description as string}` };
    return item;
  }

  private ruleItem(n: RuleNode): vscode.TreeItem {
    const rule = this.store.rules.get(n.ruleId);
    const count = this.store.findingsOf(n.controlId).filter((f) => f.ruleId === n.ruleId).length;
    const item = new vscode.TreeItem(rule?.title ?? n.ruleId, count > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = n.id;
    item.contextValue = 'rule';
    item.description = count > 0 ? plural(count, 'finding') : 'passing';
    item.iconPath = new vscode.ThemeIcon('law', count > 0 ? undefined : new vscode.ThemeColor('testing.iconPassed'));
    const tip = new vscode.MarkdownString();
    tip.appendMarkdown(`\`${n.ruleId}\``);
    if (rule) tip.appendMarkdown(` · default severity **${rule.defaultSeverity}**${rule.fixable ? ' · fixable' : ''}\n\n`).appendText(rule.summary);
    item.tooltip = tip;
    return item;
  }

  private findingItem(n: FindingNode): vscode.TreeItem {
    const f = n.finding;
    const item = new vscode.TreeItem(f.resource?.address ?? messageOnly(f.message), vscode.TreeItemCollapsibleState.None);
    item.id = n.id;
    item.contextValue = 'finding';
    item.description = findingLocation(f);
    const [icon, color] = SEVERITY_ICON[f.severity];
    item.iconPath = new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
    // No `resourceUri`: it would add the file's problem decorations (a red label and a count) to every finding.
    item.tooltip = `${messageOnly(f.message)}\n${item.description}`;
    item.command = { title: 'Open Finding', command: 'iso27017.catalog.openFinding', arguments: [f.uri, f.range] };
    return item;
  }

  private iso27018Item(n: Iso27018Node): vscode.TreeItem {
    const edition = this.store.data?.iso27018?.edition ?? '';
    const item = new vscode.TreeItem(`ISO/IEC 27018${edition ? `:${edition}` : ''}`, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = n.id;
    item.contextValue = 'catalog';
    item.description = 'PII in public clouds';
    item.iconPath = new vscode.ThemeIcon('shield');
    item.tooltip = 'The ISO/IEC 27018 Annex A areas (protection of personal data in public clouds), in our own words. No rule evidences them yet: they are process controls. Turn this section off with the iso27017.catalogs.iso27018 setting.';
    return item;
  }

  private area(areaId: string): Iso27018Info['areas'][number] | undefined {
    return this.store.data?.iso27018?.areas.find((a) => a.id === areaId);
  }

  private areaItem(n: AreaNode): vscode.TreeItem {
    const a = this.area(n.areaId);
    const empty = (a?.controls.length ?? 0) === 0;
    const label = a ? `${a.id} ${a.title}` : n.areaId;
    const item = new vscode.TreeItem(this.highlighted(label), empty ? vscode.TreeItemCollapsibleState.None : vscode.TreeItemCollapsibleState.Collapsed);
    item.id = n.id;
    item.contextValue = 'area';
    item.description = empty ? 'no additional controls' : plural(a!.controls.length, 'control');
    item.iconPath = new vscode.ThemeIcon('folder-library');
    item.tooltip = a ? `${label}\n\n${a.summary}` : label;
    return item;
  }

  private privacyItem(n: PrivacyControlNode): vscode.TreeItem {
    const area = n.parent?.kind === 'area' ? this.area(n.parent.areaId) : undefined;
    const c = area?.controls.find((x) => x.id === n.controlId);
    const label = c ? `${c.id} ${c.title}` : n.controlId;
    const item = new vscode.TreeItem(this.highlighted(label), vscode.TreeItemCollapsibleState.None);
    item.id = n.id;
    item.contextValue = 'privacycontrol';
    item.description = 'process control';
    item.iconPath = new vscode.ThemeIcon('checklist');
    const tip = new vscode.MarkdownString();
    tip.appendMarkdown(`**${escapeMd(label)}**\n\n`);
    if (c) tip.appendText(c.summary);
    if (c?.iacHint) tip.appendMarkdown('\n\n*In infrastructure code:* ').appendText(c.iacHint);
    item.tooltip = tip;
    return item;
  }

  /** A label with the search words highlighted. */
  private highlighted(label: string): vscode.TreeItemLabel {
    const highlights: [number, number][] = [];
    const lower = label.toLowerCase();
    for (const w of this.query.toLowerCase().split(/\s+/).filter(Boolean)) {
      const i = lower.indexOf(w);
      if (i >= 0) highlights.push([i, i + w.length]);
    }
    return { label, highlights };
  }

  // ---- change events ----

  private onStoreChange(change: CatalogChange): void {
    if (change.structure || (this.filtering() && this.visibilityMayHaveChanged(change))) {
      this.fireAll();
      return;
    }
    const changed: CatalogNode[] = [];
    const groups = new Set<CatalogNode>();
    for (const id of change.controls) {
      const n = this.nodes.get(`control:${id}`);
      if (!n) continue;
      changed.push(n);
      if (n.parent) groups.add(n.parent);
    }
    // A group's description sums its controls' findings.
    changed.push(...groups);
    if (changed.length > 0) this.changeEmitter.fire(changed);
    this.updateChrome();
    this.refreshedEmitter.fire();
  }

  /** With a filter on, a control whose count went to or from zero appears or disappears, and so may its group. */
  private visibilityMayHaveChanged(change: CatalogChange): boolean {
    for (const id of change.controls) if (this.isVisible(id) !== this.lastVisible.has(id)) return true;
    return false;
  }

  /** Redraws from the root; stable ids keep what was expanded. */
  fireAll(): void {
    this.changeEmitter.fire(undefined);
    this.updateChrome();
    this.refreshedEmitter.fire();
  }

  private setViewState(state: CatalogViewState): void {
    if (this.viewState === state) return;
    this.viewState = state;
    void vscode.commands.executeCommand('setContext', CatalogContext.state, state);
  }

  /** The view's badge (all findings) and message (active filters). */
  private updateChrome(): void {
    const view = this.view;
    if (!view) return;
    const total = this.store.totalFindings;
    view.badge = total > 0 ? { value: total, tooltip: `${plural(total, 'finding')} in this workspace` } : undefined;
    // An empty view shows its welcome content, which VS Code hides whenever a message is set.
    const empty = this.viewState !== 'ready';
    view.message = !empty && this.filtering() ? `Showing ${this.onlyWithFindings ? 'controls with findings' : 'controls'}${this.query ? ` matching "${this.query}"` : ''}.` : undefined;
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
    this.nodes.clear();
  }
}

/** Escapes text for a trusted MarkdownString. */
function escapeMd(s: string): string {
  return s.replace(/[\\`*_[\]<>|#~$]/g, '\\$&');
}

/** The engine appends `(ISO 27017 …)` to every message; the tree shows the controls itself. */
export function messageOnly(message: string): string {
  return message.replace(/\s*\(ISO 27017[^()]*(\([^()]*\)[^()]*)*\)\s*$/, '');
}
