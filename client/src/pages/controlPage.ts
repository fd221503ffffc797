// Control pages: one webview panel per control, reused when the control is shown again, kept up to date as
// findings change (live sections are replaced in place, so the page neither reloads nor loses its scroll).

import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ClientCommands, GetControlRequest, type WireRange } from '../../../server/src/protocol';
import type { CatalogStore } from '../views/catalogStore';
import { findingLocation } from '../views/catalogTree';
import { openLocation } from '../views/open';
import { controlPageHtml, liveSections, makeNonce, type ControlPageModel } from './controlHtml';

export const CONTROL_PAGE_VIEW_TYPE = 'iso27017.control';

interface Page {
  readonly panel: vscode.WebviewPanel;
  model: ControlPageModel;
  /** JSON of the model last rendered, to skip updates that change nothing. */
  key: string;
  /** The live sections were replaced by a message; `webview.html` is older than what is shown. */
  htmlStale: boolean;
  /** Listeners of this panel, disposed with it. */
  readonly subscriptions: vscode.Disposable[];
}

/** A message the page posts (see SCRIPT in controlHtml.ts): the `data-*` attributes of the clicked element. */
interface PageMessage {
  action?: unknown;
  uri?: unknown;
  sl?: unknown;
  sc?: unknown;
  el?: unknown;
  ec?: unknown;
  rule?: unknown;
}

export class ControlPages implements vscode.Disposable {
  private readonly pages = new Map<string, Page>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly updatedEmitter = new vscode.EventEmitter<string>();
  /** Fires with a control id after its page was rendered or updated (e2e tests wait on it). */
  readonly onDidUpdate = this.updatedEmitter.event;

  constructor(
    private readonly client: LanguageClient,
    store: CatalogStore,
    private readonly extensionUri: vscode.Uri,
    private readonly revealInTree: (controlId: string) => Promise<boolean>,
  ) {
    this.disposables.push(this.updatedEmitter, store.onDidChange(() => void this.refreshAll()));
  }

  /** Ids of the controls whose pages are open. */
  openControls(): string[] {
    return [...this.pages.keys()];
  }

  /** The model a page currently shows (for tests). */
  modelOf(controlId: string): ControlPageModel | undefined {
    return this.pages.get(controlId)?.model;
  }

  /**
   * Opens the page of a control, or reveals it when it is open already.
   * Resolves false when the server does not know the control.
   */
  async show(controlId: string, options: { preserveFocus?: boolean } = {}): Promise<boolean> {
    const existing = this.pages.get(controlId);
    if (existing) {
      existing.panel.reveal(existing.panel.viewColumn, options.preserveFocus);
      void this.refresh(controlId);
      return true;
    }
    const model = await this.load(controlId);
    if (!model) return false;
    // Another call may have opened it while the request was in flight.
    const raced = this.pages.get(controlId);
    if (raced) {
      raced.panel.reveal(raced.panel.viewColumn, options.preserveFocus);
      return true;
    }
    // Beside the code when it comes from an editor (hover, quick fix), like the Markdown preview.
    const column = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
    const panel = vscode.window.createWebviewPanel(
      CONTROL_PAGE_VIEW_TYPE,
      pageTitle(model),
      { viewColumn: column, preserveFocus: options.preserveFocus ?? false },
      // Nothing is loaded from disk or the network: no local resource roots at all.
      { enableScripts: true, enableFindWidget: true, localResourceRoots: [] },
    );
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'iso27017.svg');
    const page: Page = { panel, model, key: JSON.stringify(model), htmlStale: false, subscriptions: [] };
    this.pages.set(controlId, page);
    panel.webview.html = controlPageHtml(model, makeNonce(randomBytes));
    page.subscriptions.push(
      panel.onDidDispose(() => {
        if (this.pages.get(controlId) === page) this.pages.delete(controlId);
        page.subscriptions.forEach((d) => d.dispose());
      }),
      panel.onDidChangeViewState((e) => {
        // A hidden webview is reloaded from `html` when shown again: make it current first.
        if (!e.webviewPanel.visible && page.htmlStale) this.render(page, 'html');
      }),
      panel.webview.onDidReceiveMessage((m: PageMessage) => void this.onMessage(controlId, m)),
    );
    this.updatedEmitter.fire(controlId);
    return true;
  }

  private async load(controlId: string): Promise<ControlPageModel | undefined> {
    const { control } = await this.client.sendRequest(GetControlRequest.type, { id: controlId });
    if (!control) return undefined;
    const findings = (control.findings ?? []).map((f) => ({ ...f, where: findingLocation(f) }));
    return { control, findings, findingCount: control.findingCount ?? findings.length };
  }

  private async refreshAll(): Promise<void> {
    await Promise.all([...this.pages.keys()].map((id) => this.refresh(id)));
  }

  private async refresh(controlId: string): Promise<void> {
    if (!this.client.isRunning()) return;
    let model: ControlPageModel | undefined;
    try {
      model = await this.load(controlId);
    } catch {
      // The server is restarting; the next findings change brings the page up to date.
      return;
    }
    const page = this.pages.get(controlId);
    if (!page || !model) return;
    const key = JSON.stringify(model);
    if (key === page.key) return;
    page.model = model;
    page.key = key;
    page.panel.title = pageTitle(model);
    this.render(page, page.panel.visible ? 'message' : 'html');
  }

  private render(page: Page, how: 'message' | 'html'): void {
    if (how === 'html') {
      page.panel.webview.html = controlPageHtml(page.model, makeNonce(randomBytes));
      page.htmlStale = false;
    } else {
      void page.panel.webview.postMessage({ type: 'update', sections: liveSections(page.model) });
      page.htmlStale = true;
    }
    this.updatedEmitter.fire(page.model.control.id);
  }

  /** Acts on a click in a page. The page is not trusted: it may only open what the page was given. */
  private async onMessage(controlId: string, m: PageMessage): Promise<void> {
    const page = this.pages.get(controlId);
    if (!page) return;
    if (m.action === 'openFinding') {
      const range: WireRange = {
        start: { line: Number(m.sl), character: Number(m.sc) },
        end: { line: Number(m.el), character: Number(m.ec) },
      };
      const f = page.model.findings.find(
        (x) =>
          x.uri === m.uri &&
          x.range.start.line === range.start.line &&
          x.range.start.character === range.start.character &&
          x.range.end.line === range.end.line &&
          x.range.end.character === range.end.character,
      );
      if (f) await openLocation(f.uri, f.range, otherColumn(page.panel));
    } else if (m.action === 'showRule') {
      if (typeof m.rule === 'string' && page.model.control.rules.includes(m.rule)) await vscode.commands.executeCommand(ClientCommands.showRule, m.rule);
    } else if (m.action === 'revealInTree') {
      await this.revealInTree(controlId);
    }
  }

  dispose(): void {
    for (const p of this.pages.values()) p.panel.dispose();
    this.pages.clear();
    this.disposables.forEach((d) => d.dispose());
  }
}

function pageTitle(m: ControlPageModel): string {
  const t = `${m.control.id} ${m.control.title}`;
  return t.length > 48 ? `${t.slice(0, 47)}…` : t;
}

/** A column for code next to a page: an editor group already showing text, else the one beside the page. */
function otherColumn(panel: vscode.WebviewPanel): vscode.ViewColumn {
  const text = vscode.window.visibleTextEditors.find((e) => e.viewColumn !== undefined && e.viewColumn !== panel.viewColumn);
  if (text?.viewColumn) return text.viewColumn;
  return panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One;
}
