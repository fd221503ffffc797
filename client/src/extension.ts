// Activation and deactivation only; returns the ExtensionApi that e2e tests use.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { createClient, DOCUMENT_SELECTOR, ProtocolFeature } from './client';
import { registerCommands, registerFixRuleCommand, registerSuppressCommand } from './commands';
import { StatusItem } from './status';
import { registerChecklistView, type ChecklistViewApi } from './views/checklistTree';
import { registerCatalogViews, type CatalogViewApi, type ControlPagesApi } from './views/index';
import { registerSuppressionsView, type SuppressionsViewApi } from './views/suppressionsTree';

/** What `activate` returns (e2e tests reach the client through it). */
export interface ExtensionApi {
  client: LanguageClient;
  /** Resolves once the server has started and answered `initialize`. */
  ready: Promise<void>;
  /** The status item (its `current` is the last `iso27017/status`). */
  status: StatusItem;
  /**
   * The views: `views.catalog.getChildren()` lists the Controls view's roots; `views.checklist` is the Shared
   * Responsibility view (`setChecked` ticks a control, `onDidRefresh` follows changes on disk); `views.suppressions`
   * is the Suppressions view (`getChildren()` lists its groups, `setGrouping('rule')` regroups it).
   */
  views: { catalog: CatalogViewApi; checklist: ChecklistViewApi; suppressions: SuppressionsViewApi };
  /** The control pages (webview panels). */
  pages: ControlPagesApi;
}

let client: LanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const output = vscode.window.createOutputChannel('ISO 27017', { log: true });
  const feature = new ProtocolFeature();
  client = createClient(context, output, feature);
  const status = new StatusItem(DOCUMENT_SELECTOR);
  status.attach(client);
  const views = registerCatalogViews(context, client, feature);
  const checklist = registerChecklistView(context, client, feature);
  const suppressions = registerSuppressionsView(context, client, feature);
  registerCommands(context, client, output, feature, views);
  registerSuppressCommand(context, client, feature);
  registerFixRuleCommand(context, client, feature);
  context.subscriptions.push(output, status);
  const ready = client.start().then(
    () => {
      if (!feature.compatible) output.appendLine(`The server speaks protocol version ${String(feature.serverVersion)}; this client expects 1.`);
    },
    (e: unknown) => {
      output.appendLine(`The server could not start: ${e instanceof Error ? e.message : String(e)}`);
      throw e;
    },
  );
  // The promise is also returned; this catch only keeps an unobserved rejection out of the log.
  ready.catch(() => undefined);
  return { client, ready, status, views: { catalog: views.catalog, checklist, suppressions }, pages: views.pages };
}

export async function deactivate(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) await c.stop();
}
