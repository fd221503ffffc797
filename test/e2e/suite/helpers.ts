// Helpers shared by the extension-host tests (bundled into each *.test.js by test/e2e/build-tests.mjs).
// Every wait has a deadline and fails with a message that says what it waited for and what it saw.

import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'iso27017.iso27017';
export const SOURCE = 'iso27017';
/** Deadline for the extension to activate and its server to answer `initialize`. */
export const START_MS = 60_000;
/** Deadline for one diagnostics change to show up. */
export const DIAG_MS = 45_000;

/** What the extension's `activate` returns (client/src/extension.ts `ExtensionApi`); every field optional here. */
export interface ExtensionApiLike {
  ready?: Promise<void>;
  client?: { isRunning?: () => boolean };
}

/** Rejects with `Timed out after N s waiting for <what>` unless `p` settles first. */
export function deadline<T>(p: Thenable<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Timed out after ${ms / 1000} s waiting for ${what}`)), ms);
    Promise.resolve(p).then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e: unknown) => (clearTimeout(timer), reject(e instanceof Error ? e : new Error(String(e)))),
    );
  });
}

/** Polls a condition that has no event (e.g. `Extension.isActive`) until it holds or the deadline passes. */
export function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  if (cond()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const timer = setInterval(() => {
      if (cond()) {
        clearInterval(timer);
        resolve();
      } else if (Date.now() - started > ms) {
        clearInterval(timer);
        reject(new Error(`Timed out after ${ms / 1000} s waiting for ${what}`));
      }
    }, 50);
  });
}

interface Shared {
  started?: Promise<{ ext: vscode.Extension<ExtensionApiLike>; api: ExtensionApiLike | undefined }>;
}
// One activation for all test files (each file is its own bundle, so module state is not shared).
const shared: Shared = ((globalThis as Record<string, unknown>).__iso27017E2E ??= {}) as Shared;

/**
 * Activates the extension and waits for its server (`ExtensionApi.ready`), once for the whole run.
 * When that failed, every later caller fails at once with the same error instead of waiting again.
 */
export function startExtension(): Promise<{ ext: vscode.Extension<ExtensionApiLike>; api: ExtensionApiLike | undefined }> {
  shared.started ??= (async () => {
    const ext = vscode.extensions.getExtension<ExtensionApiLike>(EXTENSION_ID);
    if (!ext) throw new Error(`Extension ${EXTENSION_ID} is not loaded (is --extensionDevelopmentPath the repository root?)`);
    const api = await deadline(ext.activate(), START_MS, `extension ${EXTENSION_ID} to activate`);
    if (api?.ready) {
      try {
        await deadline(api.ready, START_MS, 'the ISO 27017 language server to start (ExtensionApi.ready)');
      } catch (e) {
        const server = path.join(ext.extensionPath, 'dist', 'server.js');
        const hint = fs.existsSync(server) ? 'see the "ISO 27017" output channel' : `${server} does not exist`;
        throw new Error(`The ISO 27017 language server did not start: ${e instanceof Error ? e.message : String(e)} (${hint})`);
      }
    }
    return { ext, api };
  })();
  return shared.started;
}

export function workspaceRoot(): vscode.Uri {
  const f = vscode.workspace.workspaceFolders?.[0];
  if (!f) throw new Error('No workspace folder is open: the runner must open a copy of examples/terraform-aws');
  return f.uri;
}

export function fileUri(...segments: string[]): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...segments);
}

/** The rule id of a diagnostic (`code` is `{ value, target }` when the server sent a `codeDescription`). */
export function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) return undefined;
  return typeof c === 'object' ? String(c.value) : String(c);
}

/** Our diagnostics of a file. */
export function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

export function describeDiagnostics(ds: readonly vscode.Diagnostic[]): string {
  if (ds.length === 0) return '(none)';
  return ds.map((d) => `\n  ${d.range.start.line + 1}:${d.range.start.character + 1} ${vscode.DiagnosticSeverity[d.severity]} ${codeOf(d)}`).join('');
}

/**
 * Waits, on `languages.onDidChangeDiagnostics`, until our diagnostics of `uri` satisfy `ok`.
 * Resolves with them; rejects after `ms` with what the file had at the end.
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  ok: (ds: vscode.Diagnostic[]) => boolean,
  what: string,
  ms = DIAG_MS,
): Promise<vscode.Diagnostic[]> {
  const now = ours(uri);
  if (ok(now)) return Promise.resolve(now);
  return new Promise((resolve, reject) => {
    const key = uri.toString();
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (!e.uris.some((u) => u.toString() === key)) return;
      const ds = ours(uri);
      if (ok(ds)) {
        clearTimeout(timer);
        sub.dispose();
        resolve(ds);
      }
    });
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`Timed out after ${ms / 1000} s waiting for ${what} in ${vscode.workspace.asRelativePath(uri)}; it has:${describeDiagnostics(ours(uri))}`));
    }, ms);
  });
}

export const hasCode = (code: string) => (ds: vscode.Diagnostic[]) => ds.some((d) => codeOf(d) === code);
export const lacksCode = (code: string) => (ds: vscode.Diagnostic[]) => ds.length > 0 && !ds.some((d) => codeOf(d) === code);

/** The controls catalog the extension ships (dist/controls.json): id -> title. */
export function controlTitles(ext: vscode.Extension<unknown>): Map<string, string> {
  const file = path.join(ext.extensionPath, 'dist', 'controls.json');
  const data = JSON.parse(fs.readFileSync(file, 'utf8')) as { controls: { id: string; title: string }[] };
  return new Map(data.controls.map((c) => [c.id, c.title]));
}

/** The 0-based line of the first line of `doc` that contains `needle`. */
export function lineOf(doc: vscode.TextDocument, needle: string): number {
  for (let i = 0; i < doc.lineCount; i++) if (doc.lineAt(i).text.includes(needle)) return i;
  throw new Error(`${vscode.workspace.asRelativePath(doc.uri)} has no line containing ${JSON.stringify(needle)}`);
}
