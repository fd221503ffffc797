// Wires the Controls view, the control pages and their commands; returns what the extension API exposes.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { WireRange } from '../../../server/src/protocol';
import { serverReady, type ProtocolFeature } from '../client';
import { ControlPages } from '../pages/controlPage';
import type { ControlPageModel } from '../pages/controlHtml';
import { CatalogStore } from './catalogStore';
import { CATALOG_VIEW_ID, CatalogTreeProvider, type CatalogNode } from './catalogTree';
import { openLocation } from './open';

/** The commands this module registers (package.json `contributes.commands` lists them too). */
export const CATALOG_COMMANDS = {
  openPage: 'iso27017.catalog.openPage',
  showControl: 'iso27017.catalog.showControl',
  refresh: 'iso27017.catalog.refresh',
  search: 'iso27017.catalog.search',
  clearSearch: 'iso27017.catalog.clearSearch',
  showOnlyWithFindings: 'iso27017.catalog.showOnlyWithFindings',
  showAll: 'iso27017.catalog.showAll',
  openFinding: 'iso27017.catalog.openFinding',
} as const;

/** The Controls view as the extension API exposes it (e2e tests list and walk it). */
export interface CatalogViewApi {
  readonly treeView: vscode.TreeView<CatalogNode>;
  /** The children of an element, or the roots: exactly what the view shows. */
  getChildren(element?: CatalogNode): Promise<CatalogNode[]>;
  getTreeItem(element: CatalogNode): vscode.TreeItem;
  /** Re-queries the server; resolves when the view's data is current. */
  refresh(): Promise<void>;
  /** Reveals a control in the view (when the filters show it); false when it is not there. */
  reveal(controlId: string): Promise<boolean>;
  readonly filter: { withFindings: boolean; query: string };
  setOnlyWithFindings(on: boolean): void;
  setQuery(query: string): void;
  /** Fires after each refresh reached the view. */
  readonly onDidRefresh: vscode.Event<void>;
}

/** The control pages as the extension API exposes them. */
export interface ControlPagesApi {
  /** Opens (or reveals) the page of a control; false when the control is unknown. */
  show(controlId: string): Promise<boolean>;
  /** Ids of the controls whose pages are open. */
  openControls(): string[];
  /** What an open page shows. */
  modelOf(controlId: string): ControlPageModel | undefined;
  /** Fires with a control id after its page was rendered or updated. */
  readonly onDidUpdate: vscode.Event<string>;
}

export interface CatalogViews {
  catalog: CatalogViewApi;
  pages: ControlPagesApi;
  /** What `iso27017.catalog.reveal` does: reveal the control in the view and open its page. */
  revealControl(controlId: string): Promise<boolean>;
}

const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;

export function registerCatalogViews(context: vscode.ExtensionContext, client: LanguageClient, feature: ProtocolFeature): CatalogViews {
  const store = new CatalogStore(client, feature);
  const tree = new CatalogTreeProvider(store);
  const treeView = vscode.window.createTreeView(CATALOG_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  tree.view = treeView;

  const ready = (): boolean => serverReady(client, feature);

  async function ensureData(): Promise<boolean> {
    if (!store.data) await store.refresh();
    return store.data !== undefined;
  }

  async function reveal(controlId: string): Promise<boolean> {
    await ensureData();
    const node = tree.nodeForControl(controlId);
    if (!node || !tree.isVisible(controlId)) return false;
    try {
      await treeView.reveal(node, { select: true, focus: false, expand: false });
      return true;
    } catch {
      // The view may be closed or the node filtered out meanwhile; the page still opens.
      return false;
    }
  }

  const pages = new ControlPages(client, store, context.extensionUri, async (id) => {
    const shown = await reveal(id);
    if (!shown) void vscode.commands.executeCommand(`${CATALOG_VIEW_ID}.focus`);
    return shown;
  });

  async function revealControl(controlId: string): Promise<boolean> {
    if (!ready()) return false;
    await reveal(controlId);
    const ok = await pages.show(controlId);
    if (!ok) void vscode.window.showWarningMessage(`ISO 27017: no control ${controlId} in the catalog.`);
    return ok;
  }

  async function pickControl(): Promise<string | undefined> {
    if (!(await ensureData()) || !store.data) {
      void vscode.window.showWarningMessage('ISO 27017: the control catalog is not available; see the ISO 27017 output.');
      return undefined;
    }
    type Item = vscode.QuickPickItem & { controlId?: string };
    const items: Item[] = [];
    for (const g of store.data.groups) {
      items.push({ kind: vscode.QuickPickItemKind.Separator, label: g.id === 'CLD' ? g.title : `${g.id} ${g.title}` });
      for (const c of g.controls) {
        const icon = c.rules.length === 0 ? '$(checklist)' : c.findings > 0 ? (c.worst === 'error' ? '$(error)' : '$(warning)') : '$(pass)';
        const status = c.rules.length === 0 ? 'process control' : c.findings > 0 ? plural(c.findings, 'finding') : 'passing';
        items.push({ label: `${icon} ${c.id} ${c.title}`, description: status, detail: c.summary, controlId: c.id });
      }
    }
    const picked = await vscode.window.showQuickPick(items, {
      title: 'ISO 27017: Show Control',
      placeHolder: 'Type a control id, a title or a word of its summary',
      matchOnDescription: true,
      matchOnDetail: true,
    });
    return picked?.controlId;
  }

  /** Accepts a control id or a tree node (the view's inline and context-menu actions pass the node). */
  const controlIdOf = (arg: unknown): string | undefined => {
    if (typeof arg === 'string') return arg;
    const node = arg && typeof arg === 'object' ? (arg as Partial<CatalogNode>) : undefined;
    if (node?.kind === 'control' && 'controlId' in node && typeof node.controlId === 'string') return node.controlId;
    return undefined;
  };

  context.subscriptions.push(
    store,
    tree,
    treeView,
    pages,
    vscode.commands.registerCommand(CATALOG_COMMANDS.openPage, async (arg?: unknown) => {
      if (!ready()) return false;
      const id = controlIdOf(arg) ?? (await pickControl());
      // From the tree, keep the focus there so that arrow keys keep browsing.
      return id ? pages.show(id, { preserveFocus: typeof arg !== 'string' && arg !== undefined }) : false;
    }),
    vscode.commands.registerCommand(CATALOG_COMMANDS.showControl, async (arg?: unknown) => {
      if (!ready()) return false;
      const id = controlIdOf(arg) ?? (await pickControl());
      return id ? pages.show(id) : false;
    }),
    vscode.commands.registerCommand(CATALOG_COMMANDS.refresh, () => store.refresh()),
    vscode.commands.registerCommand(CATALOG_COMMANDS.search, async (arg?: unknown) => {
      const query =
        typeof arg === 'string'
          ? arg
          : await vscode.window.showInputBox({
              title: 'Search Controls',
              prompt: 'Words to find in control ids, titles, summaries, keywords and rules (empty clears the search)',
              placeHolder: 'e.g. encryption, 9.4, terraform/s3',
              value: tree.filter.query,
            });
      if (query !== undefined) tree.setQuery(query);
    }),
    vscode.commands.registerCommand(CATALOG_COMMANDS.clearSearch, () => tree.setQuery('')),
    vscode.commands.registerCommand(CATALOG_COMMANDS.showOnlyWithFindings, () => tree.setOnlyWithFindings(true)),
    vscode.commands.registerCommand(CATALOG_COMMANDS.showAll, () => tree.setOnlyWithFindings(false)),
    vscode.commands.registerCommand(CATALOG_COMMANDS.openFinding, (uri?: unknown, range?: unknown) => {
      if (typeof uri !== 'string' || !isRange(range)) return undefined;
      return openLocation(uri, range);
    }),
  );

  const catalog: CatalogViewApi = {
    treeView,
    getChildren: (element) => tree.getChildren(element),
    getTreeItem: (element) => tree.getTreeItem(element),
    refresh: () => store.refresh(),
    reveal,
    get filter() {
      return tree.filter;
    },
    setOnlyWithFindings: (on) => tree.setOnlyWithFindings(on),
    setQuery: (q) => tree.setQuery(q),
    onDidRefresh: tree.onDidRefresh,
  };
  const pagesApi: ControlPagesApi = {
    show: (id) => pages.show(id),
    openControls: () => pages.openControls(),
    modelOf: (id) => pages.modelOf(id),
    onDidUpdate: pages.onDidUpdate,
  };
  return { catalog, pages: pagesApi, revealControl };
}

function isRange(v: unknown): v is WireRange {
  const r = v as WireRange | undefined;
  return typeof r?.start?.line === 'number' && typeof r.start.character === 'number' && typeof r.end?.line === 'number' && typeof r.end.character === 'number';
}
