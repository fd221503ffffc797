// The Shared Responsibility view (`iso27017.checklist`): each workspace folder's `.iso27017/checklist.json` as
// controls grouped by who carries them or by status, with checkboxes, plus the commands that create the
// checklist, edit its items (through the server, so that edits go through the editor) and export the SoA.

import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { Refresher } from './refresher';
import {
  ChecklistChangedNotification,
  ClientCommands,
  CreateChecklistRequest,
  GetChecklistRequest,
  RenderSoaRequest,
  SetChecklistItemRequest,
  type ChecklistEvidenceRef,
  type ChecklistFolderInfo,
  type ChecklistItemStatus,
  type ChecklistRowInfo,
  type ChecklistServiceModel,
  type ControlOwner,
  type CreateChecklistResult,
  type GetChecklistResult,
  type RenderSoaParams,
  type SetChecklistItemParams,
  type WireRange,
} from '../../../server/src/protocol';
import { serverReady, type ProtocolFeature } from '../client';
import {
  folderDescription,
  groupDescription,
  groupKeyOf,
  groupRows,
  relativePath,
  RESPONSIBILITY_LABEL,
  rowDescription,
  rowIcon,
  rowLabel,
  rowTooltip,
  STATUS_LABEL,
  validateTicket,
  validateUrl,
  viewDescription,
  type ChecklistGroupKey,
  type ChecklistGrouping,
} from './checklistModel';

export const CHECKLIST_VIEW_ID = 'iso27017.checklist';

/** The commands this module registers (package.json `contributes.commands` lists them too). */
export const CHECKLIST_COMMANDS = {
  create: 'iso27017.checklist.create',
  open: 'iso27017.checklist.open',
  exportSoa: 'iso27017.checklist.exportSoa',
  refresh: 'iso27017.checklist.refresh',
  groupByStatus: 'iso27017.checklist.groupByStatus',
  groupByOwner: 'iso27017.checklist.groupByOwner',
  toggle: 'iso27017.checklist.toggle',
  setStatus: 'iso27017.checklist.setStatus',
  setResponsibility: 'iso27017.checklist.setResponsibility',
  setApplicability: 'iso27017.checklist.setApplicability',
  setOwner: 'iso27017.checklist.setOwner',
  addNote: 'iso27017.checklist.addNote',
  addEvidence: 'iso27017.checklist.addEvidence',
  markReviewed: 'iso27017.checklist.markReviewed',
  openControl: 'iso27017.checklist.openControl',
  revealInFile: 'iso27017.checklist.revealInFile',
} as const;

/** Context keys this view sets (C6: `iso27017.<area>.<state>`). */
export const ChecklistContext = {
  /** True when no workspace folder has a checklist file (the welcome offers to create one). */
  missing: 'iso27017.checklist.missing',
  /** `starting` | `stopped` | `noFolder` | `missing` | `invalid` | `ready`; drives `viewsWelcome`. */
  state: 'iso27017.checklist.state',
  /** The code of the first error of an invalid checklist (`syntax`, `schema`, …), for the welcome text. */
  problem: 'iso27017.checklist.problem',
  /** `owner` or `status`: how the view groups controls. */
  groupBy: 'iso27017.checklist.groupBy',
} as const;

export type ChecklistViewState = 'starting' | 'stopped' | 'noFolder' | 'missing' | 'invalid' | 'ready';

/** How long checklistChanged notifications are gathered before one re-query (milliseconds). */

const GROUPING_KEY = 'iso27017.checklist.groupBy';

interface NodeBase {
  /** Stable `TreeItem.id`, e.g. `item:file:///w:12.3.1`, so that VS Code keeps the expansion across refreshes. */
  readonly id: string;
  readonly parent: ChecklistNode | undefined;
  /** The workspace folder's URI. */
  readonly folder: string;
}
export interface ChecklistFolderNode extends NodeBase {
  readonly kind: 'folder';
}
export interface ChecklistGroupNode extends NodeBase {
  readonly kind: 'group';
  readonly key: ChecklistGroupKey;
}
export interface ChecklistItemNode extends NodeBase {
  readonly kind: 'item';
  readonly controlId: string;
}
/** In a multi-root workspace, the "Create Checklist…" entry of a folder without one. */
export interface ChecklistMissingNode extends NodeBase {
  readonly kind: 'missing';
}
/** In a multi-root workspace, one error of a folder's invalid checklist. */
export interface ChecklistProblemNode extends NodeBase {
  readonly kind: 'problem';
  readonly index: number;
}
/** One element of the Shared Responsibility view (what `getChildren` returns, also through the extension API). */
export type ChecklistNode = ChecklistFolderNode | ChecklistGroupNode | ChecklistItemNode | ChecklistMissingNode | ChecklistProblemNode;

/** The Shared Responsibility view as the extension API exposes it (e2e tests drive it). */
export interface ChecklistViewApi {
  readonly treeView: vscode.TreeView<ChecklistNode>;
  /** The children of an element, or the roots: exactly what the view shows. */
  getChildren(element?: ChecklistNode): Promise<ChecklistNode[]>;
  getTreeItem(element: ChecklistNode): vscode.TreeItem;
  /** Re-queries the server; resolves when the view's data is current. */
  refresh(): Promise<void>;
  /** The last `iso27017/getChecklist` answer. */
  readonly data: GetChecklistResult | undefined;
  readonly state: ChecklistViewState;
  readonly grouping: ChecklistGrouping;
  setGrouping(by: ChecklistGrouping): void;
  /** The row of a control (in `folder`, default the first folder). */
  row(controlId: string, folder?: string): ChecklistRowInfo | undefined;
  /** The tree node of a control, after loading the data if needed. */
  findItem(controlId: string, folder?: string): Promise<ChecklistItemNode | undefined>;
  /**
   * Does what ticking (`true`: done) or unticking (`false`: to do) the control's checkbox does; resolves true once
   * the edit was applied (and saved, when the file had no unsaved changes) and the view refreshed.
   */
  setChecked(target: ChecklistItemNode | string, checked: boolean, folder?: string): Promise<boolean>;
  /** Fires after each refresh reached the view. */
  readonly onDidRefresh: vscode.Event<void>;
}

const GROUP_ICON: Record<ChecklistGroupKey, string> = {
  customer: 'account',
  shared: 'link',
  provider: 'cloud',
  todo: 'circle-large-outline',
  'in-progress': 'sync',
  done: 'pass',
  'n/a': 'circle-slash',
};

const FORMATS: ReadonlyArray<{ format: RenderSoaParams['format']; label: string; ext: string; filter: string }> = [
  { format: 'md', label: 'Markdown', ext: 'md', filter: 'Markdown' },
  { format: 'csv', label: 'CSV (spreadsheet)', ext: 'csv', filter: 'CSV' },
  { format: 'html', label: 'HTML (self-contained, printable)', ext: 'html', filter: 'HTML' },
  { format: 'json', label: 'JSON (the report data)', ext: 'json', filter: 'JSON' },
];

const MODELS: readonly ChecklistServiceModel[] = ['IaaS', 'PaaS', 'SaaS'];
const KNOWN_PROVIDERS = ['aws', 'azure', 'gcp'];

const sameUri = (a: string, b: string): boolean => vscode.Uri.parse(a).toString() === vscode.Uri.parse(b).toString();

export class ChecklistTreeProvider implements vscode.TreeDataProvider<ChecklistNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<ChecklistNode | ChecklistNode[] | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly refreshedEmitter = new vscode.EventEmitter<void>();
  readonly onDidRefresh = this.refreshedEmitter.event;
  private readonly nodes = new Map<string, ChecklistNode>();
  private readonly disposables: vscode.Disposable[] = [];
  data: GetChecklistResult | undefined;
  state: ChecklistViewState = 'starting';
  /** Why there is no data. */
  private stopped: 'starting' | 'stopped' = 'starting';
  grouping: ChecklistGrouping;
  view: vscode.TreeView<ChecklistNode> | undefined;
  private readonly refresher = new Refresher(() => this.load());
  private contextState: string | undefined;

  constructor(
    private readonly client: LanguageClient,
    private readonly feature: ProtocolFeature,
    private readonly memento: vscode.Memento,
  ) {
    this.grouping = memento.get<ChecklistGrouping>(GROUPING_KEY) === 'status' ? 'status' : 'owner';
    void vscode.commands.executeCommand('setContext', ChecklistContext.groupBy, this.grouping);
    this.disposables.push(
      this.changeEmitter,
      this.refreshedEmitter,
      // Registered before the client starts; the client keeps the handler across restarts.
      client.onNotification(ChecklistChangedNotification.type, () => this.schedule()),
      client.onDidChangeState((e) => {
        if (e.newState === State.Running) void this.refresh();
        else this.clear(e.newState === State.Starting ? 'starting' : 'stopped');
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.schedule()),
    );
  }

  // ---- data ----

  whenLoaded(): Promise<void> {
    return this.refresher.loaded;
  }

  schedule(delay?: number): void {
    this.refresher.schedule(delay);
  }

  /**
   * Re-queries the server; resolves once data asked for after the call has arrived, so that an edit's caller
   * never sees the data of before the edit.
   */
  refresh(): Promise<void> {
    return this.refresher.refresh();
  }

  private async load(): Promise<void> {
    if (!this.client.isRunning() || !this.feature.compatible) {
      this.clear(this.client.state === State.Starting ? 'starting' : 'stopped');
      return;
    }
    this.data = await this.client.sendRequest(GetChecklistRequest.type, {});
    this.refresher.markLoaded();
    this.stopped = 'starting';
    this.fireAll();
  }

  private clear(state: 'starting' | 'stopped'): void {
    this.data = undefined;
    this.stopped = state;
    if (state === 'stopped') this.refresher.markLoaded();
    this.fireAll();
  }

  folderInfo(folder: string): ChecklistFolderInfo | undefined {
    return this.data?.folders.find((f) => sameUri(f.folder, folder));
  }

  /** The folder a command means: the given URI, else the only folder. */
  defaultFolder(): ChecklistFolderInfo | undefined {
    return this.data?.folders.length === 1 ? this.data.folders[0] : undefined;
  }

  row(controlId: string, folder?: string): ChecklistRowInfo | undefined {
    const f = folder ? this.folderInfo(folder) : this.data?.folders.find((x) => x.state === 'ready');
    return f?.rows.find((r) => r.controlId === controlId);
  }

  // ---- nodes ----

  private node<T extends ChecklistNode>(make: T): T {
    const existing = this.nodes.get(make.id);
    if (existing && existing.kind === make.kind) return existing as T;
    this.nodes.set(make.id, make);
    return make;
  }

  private folderNode(folder: string): ChecklistFolderNode {
    return this.node<ChecklistFolderNode>({ kind: 'folder', id: `folder:${folder}`, parent: undefined, folder });
  }

  private multiRoot(): boolean {
    return (this.data?.folders.length ?? 0) > 1;
  }

  private groupNode(folder: string, key: ChecklistGroupKey): ChecklistGroupNode {
    const multi = this.multiRoot();
    // The ids say whether there is a folder level, so that a cached node never keeps the parent of the other layout.
    return this.node<ChecklistGroupNode>({ kind: 'group', id: `group:${multi ? 'm' : 's'}:${this.grouping}:${folder}:${key}`, parent: multi ? this.folderNode(folder) : undefined, folder, key });
  }

  private itemNode(folder: string, row: ChecklistRowInfo): ChecklistItemNode {
    const parent = this.groupNode(folder, groupKeyOf(row, this.grouping));
    return this.node<ChecklistItemNode>({ kind: 'item', id: `item:${parent.id.slice('group:'.length)}:${row.controlId}`, parent, folder, controlId: row.controlId });
  }

  /** The tree node of a control, if the data has it. */
  nodeFor(controlId: string, folder?: string): ChecklistItemNode | undefined {
    const f = folder ? this.folderInfo(folder) : this.data?.folders.find((x) => x.state === 'ready');
    const row = f?.rows.find((r) => r.controlId === controlId);
    return f && row ? this.itemNode(f.folder, row) : undefined;
  }

  // ---- TreeDataProvider ----

  async getChildren(element?: ChecklistNode): Promise<ChecklistNode[]> {
    if (!element) return this.roots();
    const f = this.folderInfo(element.folder);
    if (!f) return [];
    switch (element.kind) {
      case 'folder':
        if (f.state === 'missing') return [this.node<ChecklistMissingNode>({ kind: 'missing', id: `missing:${f.folder}`, parent: element, folder: f.folder })];
        if (f.state === 'invalid') {
          return f.problems.flatMap((p, index) => (p.severity === 'error' ? [this.node<ChecklistProblemNode>({ kind: 'problem', id: `problem:${f.folder}:${index}`, parent: element, folder: f.folder, index })] : []));
        }
        return groupRows(f.rows, this.grouping).map((g) => this.groupNode(f.folder, g.key));
      case 'group':
        return f.rows.filter((r) => groupKeyOf(r, this.grouping) === element.key).map((r) => this.itemNode(f.folder, r));
      default:
        return [];
    }
  }

  private async roots(): Promise<ChecklistNode[]> {
    if ((vscode.workspace.workspaceFolders?.length ?? 0) > 0) await this.whenLoaded();
    this.updateState();
    if (this.state !== 'ready') return [];
    const folders = this.data!.folders;
    if (folders.length === 1) return groupRows(folders[0]!.rows, this.grouping).map((g) => this.groupNode(folders[0]!.folder, g.key));
    return folders.map((f) => this.folderNode(f.folder));
  }

  /** The view's state (and its context keys) from the data: what the welcome content shows when the view is empty. */
  private updateState(): void {
    const data = this.data;
    if ((vscode.workspace.workspaceFolders?.length ?? 0) === 0 || data?.folders.length === 0) return this.setState('noFolder');
    if (!data) return this.setState(this.stopped);
    if (data.folders.every((f) => f.state === 'missing')) return this.setState('missing');
    const only = data.folders.length === 1 ? data.folders[0]! : undefined;
    if (only?.state === 'invalid') return this.setState('invalid', only.problems.find((p) => p.severity === 'error')?.code);
    this.setState('ready');
  }

  getParent(element: ChecklistNode): ChecklistNode | undefined {
    return element.parent;
  }

  getTreeItem(element: ChecklistNode): vscode.TreeItem {
    const f = this.folderInfo(element.folder);
    switch (element.kind) {
      case 'folder': {
        const item = new vscode.TreeItem(f?.name ?? element.folder, vscode.TreeItemCollapsibleState.Expanded);
        item.id = element.id;
        item.contextValue = `checklistFolder.${f?.state ?? 'missing'}`;
        item.iconPath = new vscode.ThemeIcon(f?.state === 'invalid' ? 'error' : 'root-folder');
        if (f) {
          item.description = folderDescription(f);
          item.tooltip = f.state === 'invalid' ? `${f.name}: ${f.error ?? 'the checklist has errors'}` : `${f.name}: ${item.description}`;
        }
        return item;
      }
      case 'group': {
        const g = f ? groupRows(f.rows, this.grouping).find((x) => x.key === element.key) : undefined;
        const item = new vscode.TreeItem(g?.title ?? element.key, vscode.TreeItemCollapsibleState.Expanded);
        item.id = element.id;
        item.contextValue = 'checklistGroup';
        item.iconPath = new vscode.ThemeIcon(GROUP_ICON[element.key]);
        if (g) item.description = groupDescription(g);
        return item;
      }
      case 'item':
        return this.itemTreeItem(element, f);
      case 'missing': {
        const item = new vscode.TreeItem('Create Checklist…', vscode.TreeItemCollapsibleState.None);
        item.id = element.id;
        item.contextValue = 'checklistMissing';
        item.iconPath = new vscode.ThemeIcon('add');
        item.tooltip = `${f?.name ?? 'This folder'} has no .iso27017/checklist.json yet.`;
        item.command = { title: 'Create Checklist', command: CHECKLIST_COMMANDS.create, arguments: [{ folder: element.folder }] };
        return item;
      }
      case 'problem': {
        const p = f?.problems[element.index];
        const item = new vscode.TreeItem(p?.message ?? 'Problem', vscode.TreeItemCollapsibleState.None);
        item.id = element.id;
        item.contextValue = 'checklistProblem';
        item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
        if (p) {
          item.description = `line ${p.range.start.line + 1}, column ${p.range.start.character + 1}`;
          if (f) item.command = { title: 'Open Checklist', command: CHECKLIST_COMMANDS.open, arguments: [{ folder: f.folder, range: p.range }] };
        }
        return item;
      }
    }
  }

  private itemTreeItem(n: ChecklistItemNode, f: ChecklistFolderInfo | undefined): vscode.TreeItem {
    const row = f?.rows.find((r) => r.controlId === n.controlId);
    const item = new vscode.TreeItem(row ? rowLabel(row) : n.controlId, vscode.TreeItemCollapsibleState.None);
    item.id = n.id;
    item.contextValue = 'checklistItem';
    if (!row || !f) return item;
    item.description = rowDescription(row, this.grouping);
    const icon = rowIcon(row);
    item.iconPath = new vscode.ThemeIcon(icon.id, icon.color ? new vscode.ThemeColor(icon.color) : undefined);
    const tip = new vscode.MarkdownString(rowTooltip(row, f.folder), true);
    item.tooltip = tip;
    // A control that does not apply has nothing to tick.
    if (row.applicable) {
      item.checkboxState = {
        state: row.status === 'done' ? vscode.TreeItemCheckboxState.Checked : vscode.TreeItemCheckboxState.Unchecked,
        tooltip: row.status === 'done' ? 'Done: untick to set it to do' : 'Tick to mark it done',
        accessibilityInformation: { label: row.status === 'done' ? 'done' : 'not done' },
      };
    }
    item.accessibilityInformation = { label: `${rowLabel(row)}, ${item.description}` };
    return item;
  }

  // ---- chrome and events ----

  setGrouping(by: ChecklistGrouping): void {
    if (this.grouping === by) return;
    this.grouping = by;
    void this.memento.update(GROUPING_KEY, by);
    void vscode.commands.executeCommand('setContext', ChecklistContext.groupBy, by);
    this.fireAll();
  }

  private setState(state: ChecklistViewState, problem?: string): void {
    this.state = state;
    const key = `${state}:${problem ?? ''}`;
    if (this.contextState === key) return;
    this.contextState = key;
    void vscode.commands.executeCommand('setContext', ChecklistContext.state, state);
    void vscode.commands.executeCommand('setContext', ChecklistContext.missing, state === 'missing');
    void vscode.commands.executeCommand('setContext', ChecklistContext.problem, problem ?? '');
  }

  /** Redraws from the root; stable ids keep what was expanded. */
  fireAll(): void {
    this.updateState();
    this.changeEmitter.fire(undefined);
    if (this.view) this.view.description = this.data ? viewDescription(this.data.folders) : undefined;
    this.refreshedEmitter.fire();
  }

  /** Redraws one node (e.g. to undo a checkbox the server refused). */
  fireNode(n: ChecklistNode): void {
    this.changeEmitter.fire(n);
  }

  dispose(): void {
    this.refresher.dispose();
    this.disposables.forEach((d) => d.dispose());
    this.nodes.clear();
  }
}

/** A control named by a command argument: a tree node, `{ folder?, controlId }`, or a control id. */
interface ItemRef {
  folder: string | undefined;
  controlId: string;
}

function itemRefOf(arg: unknown): ItemRef | undefined {
  if (typeof arg === 'string') return { folder: undefined, controlId: arg };
  const o = arg && typeof arg === 'object' ? (arg as { folder?: unknown; controlId?: unknown }) : undefined;
  if (typeof o?.controlId !== 'string') return undefined;
  return { folder: typeof o.folder === 'string' ? o.folder : undefined, controlId: o.controlId };
}

function folderArgOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg instanceof vscode.Uri) return arg.toString();
  const o = arg && typeof arg === 'object' ? (arg as { folder?: unknown; uri?: unknown }) : undefined;
  if (typeof o?.folder === 'string') return o.folder;
  if (o?.uri instanceof vscode.Uri) return o.uri.toString();
  return undefined;
}

function isRange(v: unknown): v is WireRange {
  const r = v as WireRange | undefined;
  return typeof r?.start?.line === 'number' && typeof r.start.character === 'number' && typeof r.end?.line === 'number' && typeof r.end.character === 'number';
}

const toRange = (r: WireRange): vscode.Range => new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);

/** Registers the Shared Responsibility view and its commands; returns what the extension API exposes. */
export function registerChecklistView(context: vscode.ExtensionContext, client: LanguageClient, feature: ProtocolFeature): ChecklistViewApi {
  const tree = new ChecklistTreeProvider(client, feature, context.workspaceState);
  const treeView = vscode.window.createTreeView(CHECKLIST_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true, manageCheckboxStateManually: true });
  tree.view = treeView;

  const ready = (): boolean => serverReady(client, feature);

  async function ensureData(): Promise<boolean> {
    if (!tree.data) await tree.refresh();
    return tree.data !== undefined;
  }

  /** The folder a command is about: its argument, the only folder, or the user's pick. */
  async function pickFolder(arg: unknown, purpose: string): Promise<ChecklistFolderInfo | undefined> {
    if (!(await ensureData()) || !tree.data) return undefined;
    const given = folderArgOf(arg);
    if (given) return tree.folderInfo(given);
    const only = tree.defaultFolder();
    if (only) return only;
    const picked = await vscode.window.showWorkspaceFolderPick({ placeHolder: purpose });
    return picked ? tree.folderInfo(picked.uri.toString()) : undefined;
  }

  /** The control a command is about, with its folder. */
  async function itemOf(arg: unknown): Promise<{ folder: ChecklistFolderInfo; row: ChecklistRowInfo } | undefined> {
    const ref = itemRefOf(arg);
    if (!ref || !(await ensureData())) return undefined;
    const folder = ref.folder ? tree.folderInfo(ref.folder) : tree.data?.folders.find((f) => f.state === 'ready');
    const row = folder?.rows.find((r) => r.controlId === ref.controlId);
    return folder && row ? { folder, row } : undefined;
  }

  /** Saves the checklist after a server edit when it had no unsaved changes before, so that the disk follows. */
  async function saveIfClean(fileUri: string, wasDirty: boolean): Promise<void> {
    if (wasDirty) return;
    const doc = vscode.workspace.textDocuments.find((d) => sameUri(d.uri.toString(), fileUri)) ?? (await vscode.workspace.openTextDocument(vscode.Uri.parse(fileUri)));
    if (doc.isDirty) await doc.save();
  }

  function isDirty(fileUri: string): boolean {
    return vscode.workspace.textDocuments.find((d) => sameUri(d.uri.toString(), fileUri))?.isDirty ?? false;
  }

  async function openChecklist(folder: ChecklistFolderInfo, range?: WireRange): Promise<vscode.TextEditor | undefined> {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(folder.uri));
    const sel = range ? toRange(range) : undefined;
    return vscode.window.showTextDocument(doc, sel ? { selection: sel, preview: false } : { preview: false });
  }

  /** Asks the server for one edit of a control; reports a refusal; saves a clean file; refreshes the view. */
  async function edit(folder: ChecklistFolderInfo, controlId: string, changes: Omit<SetChecklistItemParams, 'folder' | 'controlId'>): Promise<boolean> {
    if (!ready()) return false;
    const wasDirty = isDirty(folder.uri);
    const r = await client.sendRequest(SetChecklistItemRequest.type, { folder: folder.folder, controlId, ...changes });
    if (!r.applied) {
      const node = tree.nodeFor(controlId, folder.folder);
      if (node) tree.fireNode(node);
      const open = r.problems && r.problems.length > 0 ? 'Open Checklist' : undefined;
      void vscode.window.showWarningMessage(`ISO 27017: ${r.error ?? 'the checklist was not changed.'}`, ...(open ? [open] : [])).then((choice) => {
        if (choice) void openChecklist(folder, r.problems?.[0]?.range);
      });
      return false;
    }
    if (r.changed) await saveIfClean(folder.uri, wasDirty);
    await tree.refresh();
    return true;
  }

  async function setChecked(target: ChecklistItemNode | string, checked: boolean, folder?: string): Promise<boolean> {
    const ref = typeof target === 'string' ? { folder, controlId: target } : { folder: target.folder, controlId: target.controlId };
    const found = await itemOf(ref);
    if (!found) return false;
    return edit(found.folder, found.row.controlId, { status: checked ? 'done' : 'todo' });
  }

  context.subscriptions.push(
    tree,
    treeView,
    treeView.onDidChangeCheckboxState(async (e) => {
      for (const [node, state] of e.items) {
        if (node.kind !== 'item') continue;
        await setChecked(node, state === vscode.TreeItemCheckboxState.Checked);
      }
    }),

    vscode.commands.registerCommand(CHECKLIST_COMMANDS.refresh, () => tree.refresh()),
    vscode.commands.registerCommand(CHECKLIST_COMMANDS.groupByStatus, () => tree.setGrouping('status')),
    vscode.commands.registerCommand(CHECKLIST_COMMANDS.groupByOwner, () => tree.setGrouping('owner')),

    vscode.commands.registerCommand(CHECKLIST_COMMANDS.toggle, async (arg?: unknown) => {
      const found = await itemOf(arg);
      if (!found || !found.row.applicable) return false;
      return edit(found.folder, found.row.controlId, { status: found.row.status === 'done' ? 'todo' : 'done' });
    }),

    vscode.commands.registerCommand(CHECKLIST_COMMANDS.setStatus, async (arg?: unknown, value?: unknown) => {
      const found = await itemOf(arg);
      if (!found) return false;
      let status = typeof value === 'string' ? (value as ChecklistItemStatus) : undefined;
      if (!status) {
        const items = (['todo', 'in-progress', 'done'] as const).map((s) => ({ label: STATUS_LABEL[s], description: s === found.row.status ? 'current' : undefined, status: s }));
        status = (await vscode.window.showQuickPick(items, { title: `Status of ${found.row.controlId}` }))?.status;
      }
      return status ? edit(found.folder, found.row.controlId, { status }) : false;
    }),

    vscode.commands.registerCommand(CHECKLIST_COMMANDS.setResponsibility, async (arg?: unknown, value?: unknown) => {
      const found = await itemOf(arg);
      if (!found) return false;
      let responsibility = typeof value === 'string' ? (value as ControlOwner) : undefined;
      if (!responsibility) {
        const items = (['customer', 'shared', 'provider'] as const).map((o) => ({
          label: RESPONSIBILITY_LABEL[o],
          description: [o === found.row.responsibility ? 'current' : '', o === found.row.defaultResponsibility ? 'catalog default' : ''].filter(Boolean).join(' · ') || undefined,
          owner: o,
        }));
        responsibility = (await vscode.window.showQuickPick(items, { title: `Who carries ${found.row.controlId}?` }))?.owner;
      }
      return responsibility ? edit(found.folder, found.row.controlId, { responsibility }) : false;
    }),

    vscode.commands.registerCommand(CHECKLIST_COMMANDS.setApplicability, async (arg?: unknown, applicableArg?: unknown, justificationArg?: unknown) => {
      const found = await itemOf(arg);
      if (!found) return false;
      let applicable = typeof applicableArg === 'boolean' ? applicableArg : undefined;
      if (applicable === undefined) {
        const items = [
          { label: 'Applicable', description: found.row.applicable ? 'current' : undefined, value: true },
          { label: 'Not applicable…', description: found.row.applicable ? undefined : 'current', detail: 'You will be asked why: the Statement of Applicability needs a justification.', value: false },
        ];
        applicable = (await vscode.window.showQuickPick(items, { title: `Does ${found.row.controlId} apply?` }))?.value;
      }
      if (applicable === undefined) return false;
      if (applicable) return edit(found.folder, found.row.controlId, { applicable: true });
      let justification = typeof justificationArg === 'string' ? justificationArg : undefined;
      justification ??= await vscode.window.showInputBox({
        title: `Why does ${found.row.controlId} not apply?`,
        prompt: 'The justification goes into the checklist and the Statement of Applicability.',
        value: found.row.justification ?? '',
        ignoreFocusOut: true,
        validateInput: (v) => (v.trim() ? undefined : 'A control that does not apply needs a justification.'),
      });
      if (!justification?.trim()) return false;
      return edit(found.folder, found.row.controlId, { applicable: false, justification: justification.trim() });
    }),

    vscode.commands.registerCommand(CHECKLIST_COMMANDS.setOwner, async (arg?: unknown, value?: unknown) => {
      const found = await itemOf(arg);
      if (!found) return false;
      const owner =
        typeof value === 'string'
          ? value
          : await vscode.window.showInputBox({ title: `Owner of ${found.row.controlId}`, prompt: 'A person or team; leave empty to remove the owner.', value: found.row.owner ?? '' });
      if (owner === undefined) return false;
      return edit(found.folder, found.row.controlId, { owner: owner.trim() ? owner.trim() : null });
    }),

    vscode.commands.registerCommand(CHECKLIST_COMMANDS.addNote, async (arg?: unknown, value?: unknown) => {
      const found = await itemOf(arg);
      if (!found) return false;
      const note =
        typeof value === 'string'
          ? value
          : await vscode.window.showInputBox({ title: `Note on ${found.row.controlId}`, ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'The note is empty.') });
      if (!note?.trim()) return false;
      return edit(found.folder, found.row.controlId, { note: note.trim() });
    }),

    vscode.commands.registerCommand(CHECKLIST_COMMANDS.addEvidence, async (arg?: unknown, value?: unknown) => {
      const found = await itemOf(arg);
      if (!found) return false;
      const given = value && typeof value === 'object' ? (value as ChecklistEvidenceRef) : undefined;
      const evidence = given ?? (await askEvidence(found.folder, found.row.controlId));
      return evidence ? edit(found.folder, found.row.controlId, { evidence }) : false;
    }),

    vscode.commands.registerCommand(CHECKLIST_COMMANDS.markReviewed, async (arg?: unknown) => {
      const found = await itemOf(arg);
      return found ? edit(found.folder, found.row.controlId, { reviewed: true }) : false;
    }),

    vscode.commands.registerCommand(CHECKLIST_COMMANDS.openControl, async (arg?: unknown) => {
      const ref = itemRefOf(arg);
      return ref ? vscode.commands.executeCommand(ClientCommands.revealControl, ref.controlId) : false;
    }),

    vscode.commands.registerCommand(CHECKLIST_COMMANDS.revealInFile, async (arg?: unknown) => {
      const found = await itemOf(arg);
      if (!found) return false;
      if (!found.row.keyRange) {
        void vscode.window.showInformationMessage(`ISO 27017: ${found.row.controlId} is not in the checklist file yet; it takes the catalog defaults until you change it.`);
      }
      return (await openChecklist(found.folder, found.row.keyRange)) !== undefined;
    }),

    vscode.commands.registerCommand(CHECKLIST_COMMANDS.open, async (arg?: unknown) => {
      if (!ready()) return false;
      const folder = await pickFolder(arg, 'Open the checklist of which folder?');
      if (!folder) return false;
      if (folder.state === 'missing') {
        const choice = await vscode.window.showInformationMessage(`ISO 27017: ${folder.name} has no checklist yet.`, 'Create Checklist…');
        if (choice) return vscode.commands.executeCommand(CHECKLIST_COMMANDS.create, { folder: folder.folder });
        return false;
      }
      const given = arg && typeof arg === 'object' ? (arg as { range?: unknown }).range : undefined;
      const range = isRange(given) ? given : folder.problems.find((p) => p.severity === 'error')?.range;
      return (await openChecklist(folder, range)) !== undefined;
    }),

    vscode.commands.registerCommand(CHECKLIST_COMMANDS.create, async (arg?: unknown) => createChecklist(arg)),
    vscode.commands.registerCommand(CHECKLIST_COMMANDS.exportSoa, async (arg?: unknown) => exportSoa(arg)),
  );

  /** Asks what the evidence is: a file of the folder, a URL or a ticket, with an optional note. */
  async function askEvidence(folder: ChecklistFolderInfo, controlId: string): Promise<ChecklistEvidenceRef | undefined> {
    const kinds = [
      { label: '$(file) File in the workspace…', evidenceKind: 'file' as const },
      { label: '$(link) URL…', evidenceKind: 'url' as const },
      { label: '$(issues) Ticket…', evidenceKind: 'ticket' as const },
    ];
    const kind = (await vscode.window.showQuickPick(kinds, { title: `Evidence for ${controlId}` }))?.evidenceKind;
    if (!kind) return undefined;
    let ref: string | undefined;
    if (kind === 'file') {
      const base = vscode.Uri.parse(folder.folder);
      const files = await vscode.workspace.findFiles(new vscode.RelativePattern(base, '**/*'), '**/{node_modules,.git,.terraform}/**', 5000);
      const items = files
        .map((u) => relativePath(base.path, u.path))
        .filter((p): p is string => p !== undefined)
        .sort()
        .map((p) => ({ label: p }));
      ref = (await vscode.window.showQuickPick(items, { title: `Evidence for ${controlId}: a file of ${folder.name}`, matchOnDescription: true }))?.label;
    } else {
      ref = await vscode.window.showInputBox({
        title: `Evidence for ${controlId}: ${kind === 'url' ? 'a URL' : 'a ticket'}`,
        placeHolder: kind === 'url' ? 'https://wiki.example.com/backup-policy' : 'SEC-142',
        ignoreFocusOut: true,
        validateInput: kind === 'url' ? validateUrl : validateTicket,
      });
    }
    if (!ref?.trim()) return undefined;
    const note = await vscode.window.showInputBox({ title: `Evidence for ${controlId}: a note (optional)`, prompt: 'What it shows, e.g. "restore test"; leave empty for none.', ignoreFocusOut: true });
    if (note === undefined) return undefined;
    return { kind, ref: ref.trim(), ...(note.trim() ? { note: note.trim() } : {}) };
  }

  /**
   * `iso27017.checklist.create`: the folder, the detected services, the providers and models (quick picks), a
   * confirmation, then the server creates the file. Arguments for scripts and tests: `{ folder?, providers?,
   * models?, confirm?: false }`; given providers and models skip their quick picks.
   */
  async function createChecklist(arg: unknown): Promise<boolean> {
    if (!ready()) return false;
    const opts = (arg && typeof arg === 'object' ? arg : {}) as { providers?: unknown; models?: unknown; confirm?: unknown };
    const folder = await pickFolder(arg, 'Create a checklist for which folder?');
    if (!folder) return false;
    const proposal = await vscode.window.withProgress({ location: { viewId: CHECKLIST_VIEW_ID }, title: 'Detecting cloud services…' }, () =>
      client.sendRequest(CreateChecklistRequest.type, { folder: folder.folder }),
    );
    if (proposal.error) {
      void vscode.window.showWarningMessage(`ISO 27017: ${proposal.error}`);
      return false;
    }
    if (proposal.exists) {
      const choice = await vscode.window.showInformationMessage(`ISO 27017: ${folder.name} already has a checklist; it is never overwritten.`, 'Open Checklist');
      if (choice) await openChecklist(folder);
      return false;
    }
    const d = proposal.detected;
    let providers = Array.isArray(opts.providers) ? opts.providers.filter((p): p is string => typeof p === 'string') : undefined;
    if (!providers) {
      const all = [...new Set([...KNOWN_PROVIDERS, ...d.providers])].sort();
      const items = all.map((p) => {
        const services = d.services.filter((s) => s.provider === p).map((s) => s.name);
        return { label: p, description: services.length > 0 ? `detected: ${services.join(', ')}` : d.providers.includes(p) ? 'detected' : undefined, picked: d.providers.includes(p) };
      });
      const picked = await vscode.window.showQuickPick(items, {
        title: `Create Checklist (1/2): cloud providers of ${folder.name}`,
        placeHolder: d.services.length > 0 ? `Detected in ${d.files} file(s): ${d.services.map((s) => s.name).join(', ')}` : 'No cloud service was detected; pick the providers you use',
        canPickMany: true,
        ignoreFocusOut: true,
      });
      if (!picked) return false;
      providers = picked.map((p) => p.label);
    }
    let models = Array.isArray(opts.models) ? opts.models.filter((m): m is ChecklistServiceModel => MODELS.includes(m as ChecklistServiceModel)) : undefined;
    if (!models) {
      const items = MODELS.map((m) => {
        const services = d.services.filter((s) => s.model === m && providers!.includes(s.provider)).map((s) => s.name);
        return { label: m, description: services.length > 0 ? `detected: ${services.join(', ')}` : undefined, picked: d.models.includes(m), model: m };
      });
      const picked = await vscode.window.showQuickPick(items, {
        title: 'Create Checklist (2/2): service models',
        placeHolder: 'Responsibilities default to the catalog split for these models (none picked: all three)',
        canPickMany: true,
        ignoreFocusOut: true,
      });
      if (!picked) return false;
      models = picked.map((p) => p.model);
    }
    const chosen = await client.sendRequest(CreateChecklistRequest.type, { folder: folder.folder, providers, models });
    if (chosen.error) {
      void vscode.window.showWarningMessage(`ISO 27017: ${chosen.error}`);
      return false;
    }
    if (opts.confirm !== false && !(await confirmCreate(folder, chosen))) return false;
    const created = await client.sendRequest(CreateChecklistRequest.type, { folder: folder.folder, providers, models, create: true });
    if (!created.created) {
      void vscode.window.showWarningMessage(`ISO 27017: ${created.error ?? 'the checklist was not created.'}`);
      return false;
    }
    await saveIfClean(created.uri, false);
    await tree.refresh();
    if (opts.confirm !== false) await vscode.window.showTextDocument(vscode.Uri.parse(created.uri), { preview: false });
    return true;
  }

  async function confirmCreate(folder: ChecklistFolderInfo, p: CreateChecklistResult): Promise<boolean> {
    const services = p.detected.services.filter((s) => p.providers.includes(s.provider));
    const detail = [
      `Providers: ${p.providers.join(', ') || 'none'}`,
      `Service models: ${p.models.join(', ')}`,
      `Services: ${services.length > 0 ? services.map((s) => `${s.name} (${s.model})`).join(', ') : 'none detected'}`,
      ...p.notes,
      '',
      'Every control of the catalog starts applicable and to do, with the default responsibility for these models.',
    ].join('\n');
    for (;;) {
      const choice = await vscode.window.showInformationMessage(`Create .iso27017/checklist.json in ${folder.name}?`, { modal: true, detail }, 'Create', 'Preview');
      if (choice === 'Create') return true;
      if (choice !== 'Preview') return false;
      const doc = await vscode.workspace.openTextDocument({ language: 'jsonc', content: p.text });
      await vscode.window.showTextDocument(doc, { preview: true });
    }
  }

  /**
   * `iso27017.checklist.exportSoa`: the folder, a format, a file, then the server's report written through
   * `workspace.fs`. Arguments for scripts and tests: `{ folder?, format?, target? }` (target: a URI string).
   */
  async function exportSoa(arg: unknown): Promise<string | undefined> {
    if (!ready()) return undefined;
    const opts = (arg && typeof arg === 'object' ? arg : {}) as { format?: unknown; target?: unknown };
    const folder = await pickFolder(arg, 'Export the Statement of Applicability of which folder?');
    if (!folder) return undefined;
    if (folder.state === 'invalid') {
      void vscode.window.showWarningMessage(`ISO 27017: the checklist of ${folder.name} has errors; fix them first. ${folder.error ?? ''}`, 'Open Checklist').then((c) => {
        if (c) void vscode.commands.executeCommand(CHECKLIST_COMMANDS.open, { folder: folder.folder });
      });
      return undefined;
    }
    let format = FORMATS.find((f) => f.format === opts.format);
    if (!format) {
      const picked = await vscode.window.showQuickPick(
        FORMATS.map((f) => ({ label: f.label, description: `.${f.ext}`, f })),
        { title: 'Export Statement of Applicability', placeHolder: folder.state === 'missing' ? 'No checklist yet: the report shows the catalog defaults' : 'Format' },
      );
      format = picked?.f;
    }
    if (!format) return undefined;
    const r = await client.sendRequest(RenderSoaRequest.type, { folder: folder.folder, format: format.format });
    if (r.text === undefined) {
      void vscode.window.showWarningMessage(`ISO 27017: ${r.error ?? 'the Statement of Applicability could not be made.'}`);
      return undefined;
    }
    let target = typeof opts.target === 'string' ? vscode.Uri.parse(opts.target) : undefined;
    target ??= await vscode.window.showSaveDialog({
      title: 'Save Statement of Applicability',
      defaultUri: vscode.Uri.joinPath(vscode.Uri.parse(folder.folder), `statement-of-applicability.${format.ext}`),
      filters: { [format.filter]: [format.ext] },
    });
    if (!target) return undefined;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(r.text));
    if (typeof opts.target !== 'string') {
      const note = r.source === 'defaults' ? ' (from the catalog defaults: there is no checklist yet)' : '';
      void vscode.window.showInformationMessage(`ISO 27017: wrote the Statement of Applicability of ${folder.name}${note}.`, 'Open').then((c) => {
        if (c) void vscode.commands.executeCommand('vscode.open', target);
      });
    }
    return target.toString();
  }

  return {
    treeView,
    getChildren: (element) => tree.getChildren(element),
    getTreeItem: (element) => tree.getTreeItem(element),
    refresh: () => tree.refresh(),
    get data() {
      return tree.data;
    },
    get state() {
      return tree.state;
    },
    get grouping() {
      return tree.grouping;
    },
    setGrouping: (by) => tree.setGrouping(by),
    row: (controlId, folder) => tree.row(controlId, folder),
    findItem: async (controlId, folder) => {
      await ensureData();
      return tree.nodeFor(controlId, folder);
    },
    setChecked,
    onDidRefresh: tree.onDidRefresh,
  };
}
