// The language server's entry point: creates the connection and registers the handlers; no analysis code here.

import { MODULE_MANIFEST } from './engine/paths';
import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  MessageType,
  ProposedFeatures,
  ShowMessageNotification,
  TextDocuments,
  TextDocumentSyncKind,
  WatchKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { INVALID_SUPPRESSION_ID, INVALID_SUPPRESSION_META } from './engine/suppressions';
import type { RuleMeta } from './engine/types';
import { CatalogIndex } from './handlers/catalog';
import { CHECKLIST_GLOB, ChecklistManager, createChecklistFailure } from './handlers/checklist';
import { FindingsChangeTracker } from './handlers/catalogFindings';
import { codeActionsFor } from './handlers/codeActions';
import { setRuleDocsDir } from './handlers/diagnostics';
import { normalisePath } from './engine/paths';
import { CONFIG_GLOB } from './handlers/repoConfig';
import { workspaceFixes } from './handlers/workspaceFixes';
import { listSuppressions, suppressionEditFor, SuppressionsChangeTracker } from './handlers/suppressions';
import { hoverFor } from './handlers/hover';
import { Logger } from './handlers/log';
import { uriToPath } from './handlers/paths';
import { getControl, listControls, listFindings, listRules } from './handlers/requests';
import { Workspace } from './handlers/workspace';
import {
  CONFIGURATION_SECTION,
  FIX_ALL_CODE_ACTION_KIND,
  ListSuppressionsRequest,
  CreateChecklistRequest,
  GetChecklistRequest,
  RenderSoaRequest,
  SetChecklistItemRequest,
  SuppressionEditRequest,
  SuppressionsChangedNotification,
  WorkspaceFixesRequest,
  FindingsChangedNotification,
  GetControlRequest,
  ListControlsRequest,
  ListFindingsRequest,
  ListRulesRequest,
  PROTOCOL_VERSION,
  ServerCommands,
  type ClientExperimentalCapabilities,
  type InitializationOptions,
  type ServerExperimentalCapabilities,
} from './protocol';
import { rules } from './rules/index';

/** The globs the server asks the client to watch. */
/** The files the server reads from disk; `terraform init`'s module manifest says which installed modules to read. */
export const WATCHED_GLOBS = ['**/*.{tf,tfvars}', '**/{Dockerfile,Dockerfile.*,*.dockerfile,Containerfile}', '**/*.{yaml,yml}', `**/${MODULE_MANIFEST}`, '**/.terraform'];

/**
 * Registers every handler on `connection` and starts listening.
 * Exported for in-process tests, which pass a connection over a pair of streams.
 */
export function startServer(connection: Connection): void {
  const logger = new Logger(connection);
  const documents = new TextDocuments(TextDocument);
  // The meta rule about suppression comments is listed too, so that its diagnostics have a rule page and a hover.
  const ruleMetas = new Map<string, RuleMeta>([...rules.map((r): [string, RuleMeta] => [r.meta.id, r.meta]), [INVALID_SUPPRESSION_ID, INVALID_SUPPRESSION_META]]);
  let catalog = CatalogIndex.empty(rules);
  let ws: Workspace | undefined;
  /** The shared-responsibility checklist of each folder (after `initialize`). */
  let checklists: ChecklistManager | undefined;
  let clientCaps: InitializeParams['capabilities'] = {};
  const findingsChanged = new FindingsChangeTracker(
    (params) => {
      void connection.sendNotification(FindingsChangedNotification.type, params).catch(() => undefined);
      // Findings are the checklist's automatic evidence: conflicts and the view follow them.
      checklists?.onFindingsChanged();
    },
    () => ws?.allFindings().length ?? 0,
  );
  // Only clients that show suppressions get `iso27017/suppressionsChanged`; the others are spared its work.
  let trackSuppressions = false;
  const suppressionsChanged = new SuppressionsChangeTracker(
    () => ws,
    (params) => void connection.sendNotification(SuppressionsChangedNotification.type, params).catch(() => undefined),
  );

  /** Runs a handler and logs instead of throwing: one bad file or message never stops the server. */
  function guard<A extends unknown[], R>(name: string, fallback: R, fn: (...args: A) => R): (...args: A) => R {
    return (...args: A): R => {
      try {
        const r = fn(...args);
        if (r instanceof Promise) return r.catch((e: unknown) => (logger.error(name, e), fallback)) as R;
        return r;
      } catch (e) {
        logger.error(name, e);
        return fallback;
      }
    };
  }

  connection.onInitialize(
    guard('initialize', { capabilities: {} } as InitializeResult, (params: InitializeParams): InitializeResult => {
      clientCaps = params.capabilities;
      trackSuppressions = (clientCaps.experimental as { iso27017?: ClientExperimentalCapabilities } | undefined)?.iso27017?.suppressions === true;
      const opts = (params.initializationOptions ?? {}) as InitializationOptions;
      catalog = CatalogIndex.load(typeof opts.catalogPath === 'string' ? opts.catalogPath : undefined, rules);
      // The rule pages ship beside the catalog: <extension>/dist/controls.json and <extension>/docs/rules/.
      const docsDir = typeof opts.catalogPath === 'string' ? join(dirname(opts.catalogPath), '..', 'docs', 'rules') : undefined;
      setRuleDocsDir(docsDir && existsSync(docsDir) ? normalisePath(docsDir) : undefined);
      ws = new Workspace({
        connection,
        documents,
        logger,
        rules,
        catalog,
        configurationSupport: clientCaps.workspace?.configuration === true,
        onFindingsChanged: (uri, before, after) => {
          findingsChanged.note(uri, before, after);
          if (trackSuppressions) suppressionsChanged.note(uri);
        },
      });
      const folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: params.rootUri.split('/').pop() ?? 'root' }] : []);
      ws.setFolders(folders);
      checklists = new ChecklistManager({ connection, documents, logger, catalog, rules, workspace: ws, capabilities: clientCaps });
      checklists.setFolders(folders);
      const experimental: { iso27017: ServerExperimentalCapabilities } = { iso27017: { version: PROTOCOL_VERSION } };
      return {
        capabilities: {
          textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
          hoverProvider: true,
          codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_CODE_ACTION_KIND] },
          executeCommandProvider: { commands: [ServerCommands.rescan] },
          workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
          experimental,
        },
        serverInfo: { name: 'iso27017', version: '0.1.0' },
      };
    }),
  );

  connection.onInitialized(
    guard('initialized', undefined, () => {
      if (!ws) return;
      if (catalog.error) {
        // A notification, not a request: nothing waits on the user.
        logger.problem(catalog.error);
        void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Error, message: `ISO 27017: ${catalog.error}` });
      } else if (catalog.catalog) {
        logger.info(`Loaded ${catalog.catalog.controls.length} controls (catalog data ${catalog.catalog.dataVersion}); ${rules.length} rules.`);
      }
      if (clientCaps.workspace?.didChangeWatchedFiles?.dynamicRegistration) {
        void connection.client
          .register(DidChangeWatchedFilesNotification.type, {
            watchers: [
              ...WATCHED_GLOBS.map((globPattern) => ({ globPattern })),
              { globPattern: CHECKLIST_GLOB },
              { globPattern: CONFIG_GLOB },
              // A deleted folder is reported as one event for the folder, which the file glob does not match.
              { globPattern: '**/*', kind: WatchKind.Delete },
            ],
          })
          .catch((e) => logger.error('Registering file watchers', e));
      } else {
        logger.info('The client cannot watch files for the server; changes on disk are picked up on rescan.');
      }
      if (clientCaps.workspace?.didChangeConfiguration?.dynamicRegistration) {
        void connection.client
          .register(DidChangeConfigurationNotification.type, { section: CONFIGURATION_SECTION })
          .catch((e) => logger.error('Registering for configuration changes', e));
      }
      if (clientCaps.workspace?.workspaceFolders) {
        connection.workspace.onDidChangeWorkspaceFolders(
          guard('didChangeWorkspaceFolders', undefined, (e) => {
            void ws?.onFoldersChanged(e.added, e.removed);
            void checklists?.onFoldersChanged(e.added, e.removed).catch((err) => logger.error('Checklists of changed folders', err));
          }),
        );
      }
      void ws.start().catch((e) => logger.error('Workspace scan', e));
      void checklists?.start().catch((e) => logger.error('Reading checklists', e));
    }),
  );

  connection.onDidChangeConfiguration(
    guard('didChangeConfiguration', undefined, (params) => {
      void ws?.onConfigurationChanged(params.settings);
    }),
  );

  connection.onDidChangeWatchedFiles(
    guard('didChangeWatchedFiles', undefined, (params) => {
      void ws?.onWatchedFilesChanged(params.changes).catch((e) => logger.error('didChangeWatchedFiles', e));
      void ws?.onConfigFilesChanged(params.changes).catch((e) => logger.error('didChangeWatchedFiles (config)', e));
      void checklists?.onWatchedFilesChanged(params.changes).catch((e) => logger.error('didChangeWatchedFiles (checklist)', e));
    }),
  );

  // TextDocuments fires a content change right after every open; the open has already scheduled an analysis.
  const openedAt = new Map<string, number>();
  documents.onDidOpen(
    guard('didOpen', undefined, (e) => {
      openedAt.set(e.document.uri, e.document.version);
      ws?.onDidOpen(e.document.uri);
    }),
  );
  documents.onDidChangeContent(
    guard('didChange', undefined, (e) => {
      if (openedAt.get(e.document.uri) === e.document.version) return;
      ws?.onDidChange(e.document.uri);
    }),
  );
  documents.onDidClose(
    guard('didClose', undefined, (e) => {
      openedAt.delete(e.document.uri);
      const closed = ws?.onDidClose(e.document.uri).catch((err) => logger.error(`didClose ${uriToPath(e.document.uri) ?? e.document.uri}`, err));
      // After the workspace cleared the closed file's diagnostics, a checklist file gets its own back.
      void Promise.resolve(closed).then(() => checklists?.onDidClose(e.document.uri)).catch((err) => logger.error('didClose (checklist)', err));
    }),
  );

  connection.onHover(
    guard('hover', null, (params) => {
      const path = uriToPath(params.textDocument.uri);
      if (!ws || path === undefined) return null;
      const text = documents.get(params.textDocument.uri)?.getText() ?? ws.textOf(path);
      return hoverFor(ws.findingsFor(path), text, params.position, ruleMetas, catalog);
    }),
  );

  connection.onCodeAction(
    guard('codeAction', [], (params) => {
      const w = ws;
      if (!w) return codeActionsFor(params);
      return codeActionsFor(params, {
        findingsFor: (uri) => {
          const path = uriToPath(uri);
          return path !== undefined && w.isCurrent(uri) ? w.findingsFor(path) : undefined;
        },
        textOf: (path) => w.textOf(path),
        uriFor: (path) => w.uriFor(path),
      });
    }),
  );

  connection.onExecuteCommand(
    guard('executeCommand', null, async (params) => {
      if (params.command === ServerCommands.rescan && ws) {
        await ws.scanAll();
        const s = ws.status();
        return { files: s.files, findings: s.findings };
      }
      return null;
    }),
  );

  connection.onRequest(ListFindingsRequest.type, guard('listFindings', { findings: [] }, (params) => (ws ? listFindings(ws, params) : { findings: [] })));
  connection.onRequest(SuppressionEditRequest.type, guard('suppressionEdit', { error: 'internal error' }, (params) => (ws ? suppressionEditFor(ws, params) : { error: 'The server is not ready.' })));
  connection.onRequest(ListSuppressionsRequest.type, guard('listSuppressions', { suppressed: [] }, (params) => (ws ? listSuppressions(ws, params) : { suppressed: [] })));
  connection.onRequest(
    WorkspaceFixesRequest.type,
    guard('workspaceFixes', { rules: [], fixes: 0, files: 0, skipped: 0, error: 'internal error; see the ISO 27017 output' }, (params) => {
      const w = ws;
      if (!w) return { rules: [], fixes: 0, files: 0, skipped: 0, error: 'The server is not ready.' };
      return workspaceFixes(
        { allFindings: () => w.allFindings(), isCurrent: (uri) => w.isCurrent(uri), textOf: (p) => w.textOf(p), uriFor: (p) => w.uriFor(p), versionOf: (uri) => documents.get(uri)?.version },
        params,
        ruleMetas,
      );
    }),
  );
  connection.onRequest(ListRulesRequest.type, guard('listRules', { rules: [] }, (params) => listRules([...ruleMetas.values()], catalog, params)));
  connection.onRequest(GetControlRequest.type, guard('getControl', {}, (params) => getControl(catalog, params, ws, ruleMetas)));
  connection.onRequest(
    ListControlsRequest.type,
    guard('listControls', { loaded: false, groups: [], ruleFindings: {}, findings: 0 }, (params) => listControls(catalog, ws, params)),
  );

  connection.onRequest(GetChecklistRequest.type, guard('getChecklist', { loaded: false, folders: [] }, (params) => checklists?.getChecklist(params) ?? { loaded: false, folders: [] }));
  connection.onRequest(
    SetChecklistItemRequest.type,
    guard('setChecklistItem', { applied: false, changed: false, error: 'internal error; see the ISO 27017 output' }, (params) => checklists?.setItem(params) ?? { applied: false, changed: false, error: 'The server is not ready.' }),
  );
  connection.onRequest(
    CreateChecklistRequest.type,
    guard('createChecklist', createChecklistFailure('', 'internal error; see the ISO 27017 output'), (params) => checklists?.createChecklist(params) ?? createChecklistFailure(params.folder ?? '', 'The server is not ready.')),
  );
  connection.onRequest(RenderSoaRequest.type, guard('renderSoa', { error: 'internal error; see the ISO 27017 output' }, (params) => checklists?.renderSoa(params) ?? { error: 'The server is not ready.' }));

  connection.onShutdown(() => {
    findingsChanged.dispose();
    suppressionsChanged.dispose();
    checklists?.dispose();
    ws?.dispose();
  });

  documents.listen(connection);
  connection.listen();
}

if (require.main === module) {
  // The transport (--stdio, --node-ipc, --socket=…) comes from the command line.
  const connection = createConnection(ProposedFeatures.all);
  process.on('uncaughtException', (e) => connection.console.error(`Uncaught exception: ${e.message}\n${e.stack ?? ''}`));
  process.on('unhandledRejection', (e) => connection.console.error(`Unhandled rejection: ${e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e)}`));
  startServer(connection);
}
