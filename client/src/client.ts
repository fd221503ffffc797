// LanguageClient options: how the server is started, which documents it sees, and settings normalisation.

import * as vscode from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type ClientCapabilities,
  type DocumentSelector,
  type FeatureState,
  type LanguageClientOptions,
  type ServerCapabilities,
  type ServerOptions,
  type StaticFeature,
} from 'vscode-languageclient/node';
import {
  CONFIGURATION_SECTION,
  ClientCommands,
  PROTOCOL_VERSION,
  type ClientExperimentalCapabilities,
  type InitializationOptions,
  type ServerExperimentalCapabilities,
} from '../../server/src/protocol';
import { normaliseSection } from './config';

/** The documents the server analyses. */
export const DOCUMENT_SELECTOR = [
  { scheme: 'file', language: 'terraform' },
  { scheme: 'file', pattern: '**/*.{tf,tfvars}' },
  { scheme: 'file', language: 'dockerfile' },
  { scheme: 'file', pattern: '**/{Dockerfile,Dockerfile.*,*.dockerfile,Containerfile}' },
  // Kubernetes manifests are YAML recognised by their content (apiVersion + kind); the server ignores other YAML.
  { scheme: 'file', language: 'yaml' },
];

/**
 * The checklist files, synchronised with the server so that it reads (and edits) what the editor holds, unsaved
 * changes included. They are not analysed.
 */
export const CHECKLIST_SELECTOR = [{ scheme: 'file', pattern: '**/.iso27017/checklist.json' }];

/** Advertises `experimental.iso27017` and records the server's protocol version. */
export class ProtocolFeature implements StaticFeature {
  /** The server's `experimental.iso27017.version`, once initialized. */
  serverVersion: number | undefined;

  fillClientCapabilities(capabilities: ClientCapabilities): void {
    const mine: ClientExperimentalCapabilities = { status: true, commands: true, treeViews: true, checklist: true, suppressions: true };
    capabilities.experimental = { ...(capabilities.experimental as object | undefined), iso27017: mine };
  }

  initialize(capabilities: ServerCapabilities, _selector: DocumentSelector | undefined): void {
    const exp = (capabilities.experimental as { iso27017?: Partial<ServerExperimentalCapabilities> } | undefined)?.iso27017;
    this.serverVersion = exp?.version;
  }

  /** True when the server speaks the protocol this client was built against. */
  get compatible(): boolean {
    return this.serverVersion === PROTOCOL_VERSION;
  }

  getState(): FeatureState {
    return { kind: 'static' };
  }

  clear(): void {
    this.serverVersion = undefined;
  }
}

/**
 * True when the server is running and speaks this client's protocol; otherwise tells the user how to get it back
 * (for commands that need the server).
 */
export function serverReady(client: LanguageClient, feature: ProtocolFeature): boolean {
  if (client.isRunning() && feature.compatible) return true;
  void vscode.window.showWarningMessage('The ISO 27017 server is not running (or speaks another protocol version). Run "ISO 27017: Restart Server".');
  return false;
}

export function createClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, feature: ProtocolFeature): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6017'] } },
  };
  const initializationOptions: InitializationOptions = { catalogPath: context.asAbsolutePath('dist/controls.json') };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [...DOCUMENT_SELECTOR, ...CHECKLIST_SELECTOR],
    initializationOptions,
    outputChannel: output,
    traceOutputChannel: output,
    // Hovers link to our own two commands only; user text inside them is escaped by the server.
    markdown: { isTrusted: { enabledCommands: [ClientCommands.revealControl, ClientCommands.showRule] } },
    middleware: {
      workspace: {
        // Normalise settings before the server sees them (the server pulls them with workspace/configuration).
        configuration: async (params, token, next) => {
          const result = await next(params, token);
          if (!Array.isArray(result)) return result;
          return result.map((value, i) => (params.items[i]?.section === CONFIGURATION_SECTION ? normaliseSection(value) : value));
        },
      },
    },
  };
  const client = new LanguageClient('iso27017', 'ISO 27017', serverOptions, clientOptions);
  client.registerFeature(feature);
  return client;
}
