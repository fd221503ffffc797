// The Suppressions view (`iso27017.suppressions`): every suppression comment of the workspace, ours and the other
// tools', grouped by file or by rule, with its reason, expiry and the server's verdict, and the findings it silences.
// Fed by iso27017/listSuppressions, refreshed on iso27017/suppressionsChanged. Node objects are cached by stable
// id, so that VS Code keeps the expansion state across refreshes.

import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { Refresher } from './refresher';
import {
  ListSuppressionsRequest,
  SuppressionsChangedNotification,
  type FindingInfo,
  type ListSuppressionsResult,
  type SuppressionCommentInfo,
  type WireRange,
} from '../../../server/src/protocol';
import type { ProtocolFeature } from '../client';
import { messageOnly } from './catalogTree';
import { openLocation } from './open';
import {
  attentionCount,
  commentDescription,
  commentIcon,
  commentLabel,
  commentNodeIds,
  commentTooltipLines,
  groupDescription,
  groupLabel,
  groupNodeId,
  groupSuppressions,
  NO_RULE_KEY,
  type SuppressionGroup,
  type SuppressionGrouping,
} from './suppressionsModel';

export const SUPPRESSIONS_VIEW_ID = 'iso27017.suppressions';

/** The commands this module registers (package.json `contributes.commands` lists them too). */
export const SUPPRESSIONS_COMMANDS = {
  refresh: 'iso27017.suppressions.refresh',
  groupByRule: 'iso27017.suppressions.groupByRule',
  groupByFile: 'iso27017.suppressions.groupByFile',
  open: 'iso27017.suppressions.open',
} as const;

/** Context keys this view sets (C6: `iso27017.<area>.<state>`). */
export const SuppressionsContext = {
  /** `starting` | `stopped` | `empty` | `ready`; drives `viewsWelcome`. */
  state: 'iso27017.suppressions.state',
  /** `file` or `rule`: how the view groups suppressions. */
  groupBy: 'iso27017.suppressions.groupBy',
} as const;

export type SuppressionsViewState = 'starting' | 'stopped' | 'empty' | 'ready';

/** How long change notifications are gathered before one re-query (milliseconds). */

interface NodeBase {
  /** Stable `TreeItem.id`. */
  readonly id: string;
}
export interface SuppressionGroupNode extends NodeBase {
  readonly kind: 'group';
  readonly parent: undefined;
  readonly by: SuppressionGrouping;
  /** The file's URI or the rule id. */
  readonly key: string;
  /** Set on rule groups, so that `iso27017.rule.show` accepts the node. */
  readonly ruleId?: string;
}
export interface SuppressionCommentNode extends NodeBase {
  readonly kind: 'comment';
  readonly parent: SuppressionGroupNode;
  /** Updated in place when the same comment comes back from a refresh. */
  comment: SuppressionCommentInfo;
}
export interface SuppressedFindingNode extends NodeBase {
  readonly kind: 'finding';
  readonly parent: SuppressionCommentNode;
  finding: FindingInfo;
}
/** One element of the Suppressions view (what `getChildren` returns, also through the extension API). */
export type SuppressionNode = SuppressionGroupNode | SuppressionCommentNode | SuppressedFindingNode;

/** The Suppressions view as the extension API exposes it (e2e tests list and walk it). */
export interface SuppressionsViewApi {
  readonly treeView: vscode.TreeView<SuppressionNode>;
  /** The children of an element, or the roots: exactly what the view shows. */
  getChildren(element?: SuppressionNode): Promise<SuppressionNode[]>;
  getTreeItem(element: SuppressionNode): vscode.TreeItem;
  /** Re-queries the server; resolves when the view's data is current. */
  refresh(): Promise<void>;
  /** The last `iso27017/listSuppressions` answer. */
  readonly data: ListSuppressionsResult | undefined;
  readonly grouping: SuppressionGrouping;
  setGrouping(by: SuppressionGrouping): void;
  /** Fires after each refresh (or regrouping) reached the view. */
  readonly onDidRefresh: vscode.Event<void>;
}

const SEVERITY_ICON: Record<FindingInfo['severity'], string> = { error: 'error', warning: 'warning', info: 'info', hint: 'lightbulb' };

/** Relative path for display; with several folders, prefixed with the folder's name. */
function fileLabel(uri: string): string {
  return vscode.workspace.asRelativePath(vscode.Uri.parse(uri), (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
}

class SuppressionsStore implements vscode.Disposable {
  data: ListSuppressionsResult | undefined;
  state: 'starting' | 'stopped' | 'ready' = 'starting';
  private readonly emitter = new vscode.EventEmitter<void>();
  /** Fires after every refresh that changed something (and when the server stops). */
  readonly onDidChange = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly refresher = new Refresher(() => this.load());
  private key = '';

  constructor(
    private readonly client: LanguageClient,
    private readonly feature: ProtocolFeature,
  ) {
    this.disposables.push(
      this.emitter,
      // Registered before the client starts; the client keeps the handler across restarts.
      client.onNotification(SuppressionsChangedNotification.type, () => this.schedule()),
      client.onDidChangeState((e) => {
        if (e.newState === State.Running) void this.refresh();
        else this.clear(e.newState === State.Starting ? 'starting' : 'stopped');
      }),
    );
  }

  get comments(): readonly SuppressionCommentInfo[] {
    return this.data?.comments ?? [];
  }

  whenLoaded(): Promise<void> {
    return this.refresher.loaded;
  }

  schedule(delay?: number): void {
    this.refresher.schedule(delay);
  }

  /** Re-queries the server; resolves once data asked for after the call has arrived. */
  refresh(): Promise<void> {
    return this.refresher.refresh();
  }

  private async load(): Promise<void> {
    if (!this.client.isRunning() || !this.feature.compatible) {
      this.clear(this.client.state === State.Starting ? 'starting' : 'stopped');
      return;
    }
    const data = await this.client.sendRequest(ListSuppressionsRequest.type, {});
    const key = JSON.stringify([data.comments ?? [], data.today ?? '']);
    const changed = this.state !== 'ready' || key !== this.key;
    this.data = data;
    this.key = key;
    this.state = 'ready';
    this.refresher.markLoaded();
    if (changed) this.emitter.fire();
  }

  private clear(state: 'starting' | 'stopped'): void {
    const had = this.data !== undefined || this.state !== state;
    this.data = undefined;
    this.key = '';
    this.state = state;
    if (state === 'stopped') this.refresher.markLoaded();
    if (had) this.emitter.fire();
  }

  dispose(): void {
    this.refresher.dispose();
    this.disposables.forEach((d) => d.dispose());
  }
}

export class SuppressionsTreeProvider implements vscode.TreeDataProvider<SuppressionNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<SuppressionNode | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly refreshedEmitter = new vscode.EventEmitter<void>();
  readonly onDidRefresh = this.refreshedEmitter.event;
  private readonly nodes = new Map<string, SuppressionNode>();
  private readonly disposables: vscode.Disposable[] = [];
  private by: SuppressionGrouping = 'file';
  private viewState: SuppressionsViewState | undefined;
  /** The groups of the current data and grouping, computed once per change. */
  private grouped: Map<string, SuppressionGroup> | undefined;
  view: vscode.TreeView<SuppressionNode> | undefined;

  constructor(private readonly store: SuppressionsStore) {
    this.disposables.push(
      this.changeEmitter,
      this.refreshedEmitter,
      store.onDidChange(() => this.fireAll()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.fireAll()),
    );
    void vscode.commands.executeCommand('setContext', SuppressionsContext.groupBy, this.by);
  }

  get grouping(): SuppressionGrouping {
    return this.by;
  }

  setGrouping(by: SuppressionGrouping): void {
    if (this.by === by) return;
    this.by = by;
    void vscode.commands.executeCommand('setContext', SuppressionsContext.groupBy, by);
    this.fireAll();
  }

  private groups(): Map<string, SuppressionGroup> {
    this.grouped ??= new Map(groupSuppressions(this.store.comments, this.by, fileLabel).map((g) => [g.key, g]));
    return this.grouped;
  }

  private node<T extends SuppressionNode>(make: T): T {
    const existing = this.nodes.get(make.id);
    if (existing && existing.kind === make.kind) {
      if (existing.kind === 'comment') existing.comment = (make as SuppressionCommentNode).comment;
      else if (existing.kind === 'finding') existing.finding = (make as SuppressedFindingNode).finding;
      return existing as T;
    }
    this.nodes.set(make.id, make);
    return make;
  }

  async getChildren(element?: SuppressionNode): Promise<SuppressionNode[]> {
    if (!element) return this.roots();
    if (element.kind === 'group') {
      const g = element.by === this.by ? this.groups().get(element.key) : undefined;
      if (!g) return [];
      const ids = commentNodeIds(element.id, g.comments);
      return g.comments.map((comment, i) => this.node<SuppressionCommentNode>({ kind: 'comment', id: ids[i]!, parent: element, comment }));
    }
    if (element.kind === 'comment') {
      const seen = new Map<string, number>();
      return element.comment.findings.map((finding) => {
        const r = finding.range;
        const base = `${element.id}>${finding.ruleId}:${r.start.line}:${r.start.character}:${r.end.line}:${r.end.character}`;
        const n = seen.get(base) ?? 0;
        seen.set(base, n + 1);
        return this.node<SuppressedFindingNode>({ kind: 'finding', id: n === 0 ? base : `${base}#${n}`, parent: element, finding });
      });
    }
    return [];
  }

  private async roots(): Promise<SuppressionNode[]> {
    if ((vscode.workspace.workspaceFolders?.length ?? 0) === 0) return [];
    await this.store.whenLoaded();
    if (this.store.state !== 'ready') {
      this.setViewState(this.store.state);
      return [];
    }
    const groups = [...this.groups().values()];
    this.setViewState(groups.length > 0 ? 'ready' : 'empty');
    this.updateBadge();
    return groups.map((g) =>
      this.node<SuppressionGroupNode>({
        kind: 'group',
        id: groupNodeId(g),
        parent: undefined,
        by: g.by,
        key: g.key,
        ...(g.by === 'rule' && g.key !== NO_RULE_KEY ? { ruleId: g.key } : {}),
      }),
    );
  }

  getParent(element: SuppressionNode): SuppressionNode | undefined {
    return element.parent;
  }

  getTreeItem(element: SuppressionNode): vscode.TreeItem {
    switch (element.kind) {
      case 'group':
        return this.groupItem(element);
      case 'comment':
        return this.commentItem(element);
      case 'finding':
        return this.findingItem(element);
    }
  }

  private groupItem(n: SuppressionGroupNode): vscode.TreeItem {
    const comments = (n.by === this.by ? this.groups().get(n.key)?.comments : undefined) ?? [];
    const label = groupLabel(n, fileLabel);
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Expanded);
    item.id = n.id;
    item.description = groupDescription({ comments });
    if (n.by === 'file') {
      item.contextValue = 'file';
      item.resourceUri = vscode.Uri.parse(n.key);
      item.iconPath = vscode.ThemeIcon.File;
    } else {
      item.contextValue = n.key === NO_RULE_KEY ? 'norule' : 'rule';
      item.iconPath = new vscode.ThemeIcon('law');
    }
    item.tooltip = `${label}\n${item.description}`;
    return item;
  }

  private commentItem(n: SuppressionCommentNode): vscode.TreeItem {
    const c = n.comment;
    const item = new vscode.TreeItem(
      commentLabel(c, n.parent.by, fileLabel),
      c.findings.length > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    );
    item.id = n.id;
    item.contextValue = 'suppression';
    item.description = commentDescription(c, n.parent.by);
    const icon = commentIcon(c);
    item.iconPath = new vscode.ThemeIcon(icon.id, icon.color ? new vscode.ThemeColor(icon.color) : undefined);
    const tip = new vscode.MarkdownString();
    commentTooltipLines(c, fileLabel).forEach((line, i) => (i === 0 ? tip.appendMarkdown('**').appendText(line).appendMarkdown('**') : tip.appendMarkdown('\n\n').appendText(line)));
    item.tooltip = tip;
    item.accessibilityInformation = { label: `${c.status} suppression ${commentLabel(c, 'file')}, ${item.description}` };
    item.command = { title: 'Open Suppression', command: SUPPRESSIONS_COMMANDS.open, arguments: [c.uri, c.range] };
    return item;
  }

  private findingItem(n: SuppressedFindingNode): vscode.TreeItem {
    const f = n.finding;
    const item = new vscode.TreeItem(f.resource?.address ?? messageOnly(f.message), vscode.TreeItemCollapsibleState.None);
    item.id = n.id;
    item.contextValue = 'finding';
    item.description = `${f.ruleId} · line ${f.range.start.line + 1}`;
    item.iconPath = new vscode.ThemeIcon(SEVERITY_ICON[f.severity], new vscode.ThemeColor('disabledForeground'));
    item.tooltip = `Silenced: ${messageOnly(f.message)}\n${fileLabel(f.uri)}:${f.range.start.line + 1}`;
    item.command = { title: 'Open Finding', command: SUPPRESSIONS_COMMANDS.open, arguments: [f.uri, f.range] };
    return item;
  }

  /** Redraws from the root; stable ids keep what was expanded. */
  fireAll(): void {
    this.grouped = undefined;
    this.changeEmitter.fire(undefined);
    this.updateBadge();
    this.refreshedEmitter.fire();
  }

  private setViewState(state: SuppressionsViewState): void {
    if (this.viewState === state) return;
    this.viewState = state;
    void vscode.commands.executeCommand('setContext', SuppressionsContext.state, state);
  }

  /** The badge counts what needs attention: invalid suppressions and those expiring soon. */
  private updateBadge(): void {
    if (!this.view) return;
    const n = attentionCount(this.store.comments);
    this.view.badge = n > 0 ? { value: n, tooltip: `${n} suppression${n === 1 ? '' : 's'} need${n === 1 ? 's' : ''} attention: invalid or expiring soon` } : undefined;
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
    this.nodes.clear();
  }
}

function isRange(v: unknown): v is WireRange {
  const r = v as WireRange | undefined;
  return typeof r?.start?.line === 'number' && typeof r.start.character === 'number' && typeof r.end?.line === 'number' && typeof r.end.character === 'number';
}

/** Creates the view, its store and its commands; every disposable goes to `context.subscriptions`. */
export function registerSuppressionsView(context: vscode.ExtensionContext, client: LanguageClient, feature: ProtocolFeature): SuppressionsViewApi {
  const store = new SuppressionsStore(client, feature);
  const tree = new SuppressionsTreeProvider(store);
  const treeView = vscode.window.createTreeView(SUPPRESSIONS_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  tree.view = treeView;

  context.subscriptions.push(
    store,
    tree,
    treeView,
    vscode.commands.registerCommand(SUPPRESSIONS_COMMANDS.refresh, () => store.refresh()),
    vscode.commands.registerCommand(SUPPRESSIONS_COMMANDS.groupByRule, () => tree.setGrouping('rule')),
    vscode.commands.registerCommand(SUPPRESSIONS_COMMANDS.groupByFile, () => tree.setGrouping('file')),
    /** Arguments: `(uri, range)`, or a node of the view (context menu). */
    vscode.commands.registerCommand(SUPPRESSIONS_COMMANDS.open, (uri?: unknown, range?: unknown) => {
      if (typeof uri === 'string' && isRange(range)) return openLocation(uri, range);
      const node = uri as Partial<SuppressionNode> | undefined;
      if (node?.kind === 'comment' && node.comment) return openLocation(node.comment.uri, node.comment.range);
      if (node?.kind === 'finding' && node.finding) return openLocation(node.finding.uri, node.finding.range);
      return undefined;
    }),
  );

  return {
    treeView,
    getChildren: (element) => tree.getChildren(element),
    getTreeItem: (element) => tree.getTreeItem(element),
    refresh: () => store.refresh(),
    get data() {
      return store.data;
    },
    get grouping() {
      return tree.grouping;
    },
    setGrouping: (by) => tree.setGrouping(by),
    onDidRefresh: tree.onDidRefresh,
  };
}
