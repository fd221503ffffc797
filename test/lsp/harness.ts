// Spawns the bundled server (`node dist/server.js --stdio`) and plays the client's part, without sleeps.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type {
  CodeAction,
  Diagnostic,
  FileEvent,
  Hover,
  InitializeResult,
  Position,
  PublishDiagnosticsParams,
  Range,
  Registration,
} from 'vscode-languageserver-protocol';
import type { Iso27017Settings, StatusParams } from '../../server/src/protocol';

export const repoRoot = resolve(__dirname, '../..');
export const serverPath = join(repoRoot, 'dist/server.js');
export const catalogPath = join(repoRoot, 'dist/controls.json');

/** Default time a test waits for the server before it fails with a description of what it waited for. */
export const DEADLINE_MS = 15_000;

/** A `file:` URI for a path, as VS Code sends it. */
export function uri(path: string): string {
  return pathToFileURL(path).href;
}

/** Writes `files` (relative path → text) into a fresh folder under the OS temp folder. */
export function makeWorkspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'iso27017-lsp-'));
  for (const [rel, text] of Object.entries(files)) writeFile(dir, rel, text);
  return dir;
}

export function writeFile(dir: string, rel: string, text: string): string {
  const abs = join(dir, rel);
  mkdirSync(dirname(abs), { recursive: true });
  writeFileSync(abs, text);
  return abs;
}

export function removeWorkspace(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

interface Waiter {
  check: () => boolean;
}

export interface StartOptions {
  /** Workspace folders (absolute paths). */
  folders: string[];
  /** Settings answered to `workspace/configuration`, per folder path (or `*` for all). */
  settings?: Partial<Iso27017Settings>;
  /** `initializationOptions.catalogPath`; default: the built dist/controls.json. `null` sends none. */
  catalogPath?: string | null;
  /** Client capabilities to leave out (to test fallbacks). */
  noConfiguration?: boolean;
  /** Extra `capabilities.workspace` entries (e.g. `applyEdit`, `workspaceEdit`), merged over the defaults. */
  workspaceCapabilities?: Record<string, unknown>;
  /** Extra `capabilities.experimental.iso27017` flags (e.g. `suppressions`), merged over the defaults. */
  iso27017Capabilities?: Record<string, unknown>;
}

/** One running server and everything it sent. */
export class LspServer {
  /** The latest diagnostics per URI. */
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  /** Every publishDiagnostics, in order. */
  readonly published: PublishDiagnosticsParams[] = [];
  readonly statuses: StatusParams[] = [];
  readonly logs: Array<{ type: number; message: string }> = [];
  readonly shownMessages: Array<{ type: number; message: string }> = [];
  readonly progress: Array<{ token: unknown; value: { kind: string; title?: string; message?: string; percentage?: number } }> = [];
  readonly registrations: Registration[] = [];
  /** Every notification and progress message, in arrival order (`$/progress` as `progress:<kind>`). */
  readonly events: Array<{ method: string; uri?: string }> = [];
  /** Every notification with its params, in arrival order. */
  readonly notifications: Array<{ method: string; params: unknown }> = [];
  readonly configurationRequests: unknown[] = [];
  settings: Partial<Iso27017Settings>;
  stderr = '';
  initializeResult: InitializeResult | undefined;
  private readonly waiters = new Set<Waiter>();
  private readonly versions = new Map<string, number>();
  private exitCode: number | null | undefined;
  private readonly exited: Promise<number | null>;

  private constructor(
    readonly child: ChildProcess,
    readonly connection: MessageConnection,
    readonly folders: string[],
    opts: StartOptions,
  ) {
    this.settings = opts.settings ?? {};
    this.exited = new Promise((res) => child.on('exit', (code) => ((this.exitCode = code), this.poke(), res(code))));
    child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    connection.onNotification((method: string, params: unknown) => {
      this.events.push({ method, uri: (params as { uri?: string } | undefined)?.uri });
      this.notifications.push({ method, params });
      if (method === 'textDocument/publishDiagnostics') {
        const p = params as PublishDiagnosticsParams;
        this.diagnostics.set(p.uri, p);
        this.published.push(p);
      } else if (method === 'iso27017/status') this.statuses.push(params as StatusParams);
      else if (method === 'window/logMessage') this.logs.push(params as { type: number; message: string });
      else if (method === 'window/showMessage') this.shownMessages.push(params as { type: number; message: string });
      this.poke();
    });
    // vscode-jsonrpc routes `$/progress` to per-token handlers; tokens the server created land here.
    connection.onUnhandledProgress((params) => {
      this.events.push({ method: `progress:${(params.value as { kind: string }).kind}` });
      this.progress.push(params as LspServer['progress'][number]);
      this.poke();
    });
    connection.onRequest((method: string, params: unknown) => {
      if (method === 'workspace/configuration') {
        this.configurationRequests.push(params);
        const items = (params as { items: Array<{ section?: string }> }).items;
        return items.map((i) => (i.section === 'iso27017' ? { enable: true, rules: {}, exclude: [], ...this.settings } : null));
      }
      if (method === 'client/registerCapability') {
        this.registrations.push(...(params as { registrations: Registration[] }).registrations);
        this.poke();
        return null;
      }
      if (method === 'workspace/workspaceFolders') return this.folders.map((f) => ({ uri: uri(f), name: f.split('/').pop() }));
      // window/workDoneProgress/create, window/showMessageRequest, …
      return null;
    });
    connection.listen();
  }

  /** Spawns `node dist/server.js --stdio`, initializes it and sends `initialized`. */
  static async start(opts: StartOptions): Promise<LspServer> {
    const child = spawn(process.execPath, [serverPath, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const server = new LspServer(child, connection, opts.folders, opts);
    const catalog = opts.catalogPath === undefined ? catalogPath : opts.catalogPath;
    server.initializeResult = await connection.sendRequest<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri: opts.folders[0] ? uri(opts.folders[0]) : null,
      workspaceFolders: opts.folders.map((f) => ({ uri: uri(f), name: f.split('/').pop() })),
      initializationOptions: catalog === null ? {} : { catalogPath: catalog },
      capabilities: {
        workspace: {
          configuration: !opts.noConfiguration,
          workspaceFolders: true,
          didChangeConfiguration: { dynamicRegistration: true },
          didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true },
          executeCommand: { dynamicRegistration: false },
          ...opts.workspaceCapabilities,
        },
        window: { workDoneProgress: true },
        textDocument: {
          synchronization: { dynamicRegistration: true, didSave: false },
          publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source'] } }, dataSupport: true },
        },
        experimental: { iso27017: { status: true, commands: true, ...opts.iso27017Capabilities } },
      },
    });
    await connection.sendNotification('initialized', {});
    return server;
  }

  private poke(): void {
    for (const w of [...this.waiters]) w.check();
  }

  /**
   * Resolves with the first truthy value of `probe`, evaluated now and after every message from the server;
   * rejects after `ms` with `what` and the server's stderr.
   */
  waitFor<T>(what: string, probe: () => T | undefined | null | false, ms = DEADLINE_MS): Promise<T> {
    return new Promise<T>((res, rej) => {
      const waiter: Waiter = {
        check: () => {
          let v: T | undefined | null | false;
          try {
            v = probe();
          } catch (e) {
            finish();
            rej(e as Error);
            return true;
          }
          if (!v) {
            if (this.exitCode !== undefined) {
              finish();
              rej(new Error(`Server exited (code ${String(this.exitCode)}) while waiting for ${what}.\n${this.stderr}`));
              return true;
            }
            return false;
          }
          finish();
          res(v);
          return true;
        },
      };
      const timer = setTimeout(() => {
        finish();
        rej(new Error(`Timed out after ${ms} ms waiting for ${what}.\nstderr: ${this.stderr || '(empty)'}\nlast logs: ${this.logs.slice(-5).map((l) => l.message).join('\n')}`));
      }, ms);
      const finish = (): void => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
      };
      if (!waiter.check()) this.waiters.add(waiter);
    });
  }

  /** Waits until the latest diagnostics of `fileUri` satisfy `pred` (default: any were published). */
  diagnosticsFor(fileUri: string, pred: (d: Diagnostic[]) => boolean = () => true, what = 'diagnostics'): Promise<Diagnostic[]> {
    return this.waitFor(`${what} for ${fileUri}`, () => {
      const p = this.diagnostics.get(fileUri);
      return p && pred(p.diagnostics) ? p.diagnostics : undefined;
    });
  }

  /** Waits for the first `idle` status at or after index `from` of {@link statuses}. */
  idleAfter(from: number): Promise<StatusParams> {
    return this.waitFor(`an idle iso27017/status after #${from}`, () => this.statuses.slice(from).find((s) => s.state === 'idle'));
  }

  /** Waits for the end of the initial workspace scan (a `$/progress` end). */
  scanEnded(): Promise<void> {
    return this.waitFor('the end of the workspace scan', () => this.progress.some((p) => p.value.kind === 'end')).then(() => undefined);
  }

  async open(fileUri: string, text: string, languageId = 'terraform'): Promise<void> {
    this.versions.set(fileUri, 1);
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: fileUri, languageId, version: 1, text } });
  }

  /** Replaces the whole text (a full-content change). */
  async replace(fileUri: string, text: string): Promise<number> {
    const version = (this.versions.get(fileUri) ?? 1) + 1;
    this.versions.set(fileUri, version);
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri: fileUri, version }, contentChanges: [{ text }] });
    return version;
  }

  /** An incremental change: replaces `range` with `text`. */
  async edit(fileUri: string, range: Range, text: string): Promise<number> {
    const version = (this.versions.get(fileUri) ?? 1) + 1;
    this.versions.set(fileUri, version);
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri: fileUri, version }, contentChanges: [{ range, text }] });
    return version;
  }

  async close(fileUri: string): Promise<void> {
    this.versions.delete(fileUri);
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri: fileUri } });
  }

  async watched(changes: FileEvent[]): Promise<void> {
    await this.connection.sendNotification('workspace/didChangeWatchedFiles', { changes });
  }

  /** Changes the settings the harness answers with, and tells the server (which then pulls them). */
  async configure(settings: Partial<Iso27017Settings>): Promise<void> {
    this.settings = settings;
    await this.connection.sendNotification('workspace/didChangeConfiguration', { settings: { iso27017: settings } });
  }

  hover(fileUri: string, position: Position): Promise<Hover | null> {
    return this.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri: fileUri }, position });
  }

  codeActions(fileUri: string, range: Range, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
    return this.connection.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: fileUri }, range, context: { diagnostics } });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest<R>(method, params);
  }

  /** Everything the server logged, as one string. */
  logText(): string {
    return `${this.logs.map((l) => l.message).join('\n')}\n${this.stderr}`;
  }

  /** `shutdown` then `exit`; resolves with the process exit code. */
  async stop(): Promise<number | null> {
    if (this.exitCode !== undefined) return this.exitCode;
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } catch {
      this.child.kill();
    }
    const code = await this.exited;
    this.connection.dispose();
    return code;
  }

  /** Kills the process if a test failed before {@link stop}. */
  kill(): void {
    if (this.exitCode === undefined) this.child.kill();
    this.connection.dispose();
  }
}

/** The house-style helper names: `startServer()` → a running {@link LspServer} (with `open`, `diagnosticsFor`, `stop`). */
export const startServer = (opts: StartOptions): Promise<LspServer> => LspServer.start(opts);
