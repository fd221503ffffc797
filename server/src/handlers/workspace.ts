// Keeps one engine Project per workspace folder in step with the disk and the open editors, and publishes diagnostics.

import { promises as fsp } from 'node:fs';
import { posix } from 'node:path';
import type { Connection, Diagnostic, TextDocuments, WorkspaceFolder } from 'vscode-languageserver/node';
import { FileChangeType, type FileEvent, type WorkDoneProgressServerReporter } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { isInstalledModulePath, isModuleManifest } from '../engine/paths';
import { Project, type AnalysisResult } from '../engine/project';
import type { Rule } from '../engine/rule';
import type { Finding, SuppressedFinding } from '../engine/types';
import { INVALID_SUPPRESSION_META, type SidecarSuppressions } from '../engine/suppressions';
import { today } from '../node/clock';
import { CONFIGURATION_SECTION, StatusNotification, type Iso27017Settings, type StatusParams } from '../protocol';
import type { CatalogIndex } from './catalog';
import { fileErrorToDiagnostic, findingToDiagnostic } from './diagnostics';
import type { Logger } from './log';
import { dirOf, isInside, pathToUri, relativeTo, uriToPath } from './paths';
import { readForAnalysis, walkFolder, isSkippedDir } from './scan';
import { excludeMatcher, normaliseSettings, sameExclude, sameRules } from './settings';
import { configProblemToDiagnostic, loadFolderConfig, touchesConfig, type FolderConfig } from './repoConfig';

/** How long the server waits after the last edit before it analyses (milliseconds). */
export const DEBOUNCE_MS = 150;
/** Quiet time after the last event below `.terraform` before the folder is scanned again for its installed modules. */
const RESCAN_DEBOUNCE_MS = 300;
/** How often, and how many times, a new `.terraform` folder's module manifest is looked at (see `watchManifest`). */
const MANIFEST_POLL_MS = 1000;
const MANIFEST_POLLS = 120;
/** Files read concurrently during a scan; the server yields to the event loop after each batch. */
export const READ_BATCH = 32;

/** The state of one workspace folder (or of the files outside every folder, when `path` is undefined). */
export class Folder {
  readonly project: Project;
  settings: Iso27017Settings = normaliseSettings(undefined);
  excluded: (rel: string) => boolean = () => false;
  /** Incremented by every scan; an older scan that sees a newer number stops. */
  scanGen = 0;
  /** Findings currently published, by path. */
  readonly findings = new Map<string, Finding[]>();
  /** Findings silenced by suppression comments, by path (for `iso27017/listSuppressions`). */
  readonly suppressed = new Map<string, SuppressedFinding[]>();
  /** The date the engine judges suppression expiries with. */
  private day = today();
  /** Paths whose published diagnostics are not empty. */
  readonly published = new Set<string>();
  /**
   * The files each file was last analysed with (its module trees). An edit re-analyses these too, so that a
   * module that stopped being called by the edited root loses the findings that root gave it.
   */
  readonly groups = new Map<string, readonly string[]>();
  /** The folder's repository config (`.iso27017/config.json`), as last read; undefined outside every folder. */
  config: FolderConfig | undefined;
  /** The repository config's sidecar suppressions, applied by the engine after the comments. */
  sidecar: SidecarSuppressions | undefined;
  /** The config file's URI when its diagnostics were last published non-empty. */
  configPublished: string | undefined;

  constructor(
    readonly uri: string | undefined,
    readonly path: string | undefined,
    readonly name: string,
    rules: readonly Rule[],
    catalog: CatalogIndex,
  ) {
    this.project = new Project({ rules, controls: catalog.engineControls() });
  }

  /** True when the user excluded this path (relative to the folder). Files outside every folder are never excluded. */
  isExcluded(path: string): boolean {
    if (this.path === undefined || !isInside(path, this.path)) return false;
    const rel = relativeTo(path, this.path);
    if (rel.split('/').slice(0, -1).some(isSkippedDir)) return true;
    return this.excluded(rel);
  }

  applySettings(s: Iso27017Settings): void {
    this.settings = s;
    this.excluded = excludeMatcher(s.exclude);
    this.day = today();
    this.project.setSettings({
      rules: { ...s.rules },
      now: this.day,
      ...(s.suppressions ? { suppressions: s.suppressions } : {}),
      ...(this.sidecar ? { sidecar: this.sidecar } : {}),
    });
  }

  /** Before an analysis: a server running past midnight judges expiries with the new date. */
  refreshDay(): void {
    if (this.day !== today()) this.applySettings(this.settings);
  }
}

export interface WorkspaceOptions {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  logger: Logger;
  rules: readonly Rule[];
  catalog: CatalogIndex;
  /** The client answers `workspace/configuration`. */
  configurationSupport: boolean;
  /** Called whenever the findings published for a file are replaced (for `iso27017/findingsChanged`). */
  onFindingsChanged?: (uri: string, before: readonly Finding[], after: readonly Finding[]) => void;
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The folders a Terraform text calls as local modules (`source = "./x"` / `"../x"`), resolved against its folder. */
export function localModuleDirs(path: string, text: string | undefined): string[] {
  if (!text || !text.includes('source')) return [];
  const dir = dirOf(path);
  const out: string[] = [];
  for (const m of text.matchAll(/^[ \t]*source[ \t]*=[ \t]*"(\.\.?\/[^"]*)"/gm)) out.push(posix.normalize(`${dir}/${m[1]!}`).replace(/(.)\/+$/, '$1'));
  return out;
}

/** Module folders a file stopped calling between two versions of its text. */
function droppedModuleDirs(path: string, before: string | undefined, after: string | undefined): string[] {
  const now = new Set(localModuleDirs(path, after));
  return localModuleDirs(path, before).filter((d) => !now.has(d));
}

/** Counts files across the folders of one scan, for `$/progress`. */
class ScanProgress {
  private total = 0;
  private done = 0;
  private lastReport = 0;
  constructor(private readonly reporter: WorkDoneProgressServerReporter | undefined) {}

  add(n: number): void {
    this.total += n;
    this.report(true);
  }

  advance(n: number): void {
    this.done += n;
    this.report(false);
  }

  private report(force: boolean): void {
    const now = Date.now();
    if (!this.reporter || (!force && now - this.lastReport < 100)) return;
    this.lastReport = now;
    const pct = this.total === 0 ? 0 : Math.min(99, Math.floor((this.done / this.total) * 100));
    this.reporter.report(pct, `${this.done}/${this.total} files`);
  }

  end(message: string): void {
    // `done()` carries no message in this library version; a last report makes the counts visible.
    this.reporter?.report(100, message);
    this.reporter?.done();
  }
}

/** Files changed since the last analysis, per folder, with the module folders they stopped calling. */
class ChangeSet {
  readonly byFolder = new Map<Folder, { paths: Set<string>; dropped: Set<string> }>();

  add(folder: Folder, path: string, dropped: readonly string[] = []): void {
    let e = this.byFolder.get(folder);
    if (!e) this.byFolder.set(folder, (e = { paths: new Set(), dropped: new Set() }));
    e.paths.add(path);
    dropped.forEach((d) => e.dropped.add(d));
  }
}

export class Workspace {
  private folders: Folder[] = [];
  private readonly loose: Folder;
  /** Open documents by path → the client's URI. Open documents override the disk. */
  private readonly openPaths = new Map<string, string>();
  /** The document version last handed to the engine, by URI. */
  private readonly syncedVersion = new Map<string, number>();
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private scanning = 0;
  private lastAnalysisMs = 0;
  private disposed = false;
  private pushedSettings: unknown;
  /** Problems already logged, so that re-analysing at every keystroke does not repeat them. */
  private readonly logged = new Set<string>();
  private configQueue: Promise<void> = Promise.resolve();
  /** Called after a folder's repository config was (re-)read; see {@link onDidReadConfig}. */
  private readonly configListeners: Array<(folder: Folder) => void> = [];

  constructor(private readonly o: WorkspaceOptions) {
    this.loose = new Folder(undefined, undefined, '(no folder)', o.rules, o.catalog);
  }

  // ---- folders and settings ----

  /** Sets the initial workspace folders (from `initialize`). */
  setFolders(folders: readonly WorkspaceFolder[]): void {
    this.folders = [];
    for (const f of folders) this.addFolderState(f);
  }

  private addFolderState(f: WorkspaceFolder): Folder | undefined {
    const path = uriToPath(f.uri);
    if (path === undefined) {
      this.o.logger.warn(`Workspace folder ${f.uri} is not on the file system; it is not scanned.`);
      return undefined;
    }
    if (this.folders.some((x) => x.path === path)) return undefined;
    const folder = new Folder(f.uri, path, f.name, this.o.rules, this.o.catalog);
    this.folders.push(folder);
    return folder;
  }

  /** The folder holding a path: the deepest workspace folder that contains it, else the loose folder. */
  folderFor(path: string): Folder {
    let best: Folder | undefined;
    for (const f of this.folders) {
      if (f.path !== undefined && isInside(path, f.path) && (!best || f.path.length > best.path!.length)) best = f;
    }
    return best ?? this.loose;
  }

  private allFolders(): Folder[] {
    return [...this.folders, this.loose];
  }

  /** Every folder's state, the files outside every folder last (for queries that walk every held file). */
  folderStates(): readonly Folder[] {
    return this.allFolders();
  }

  /** Registers a listener called each time a workspace folder's repository config has been read (again). */
  onDidReadConfig(listener: (folder: Folder) => void): void {
    this.configListeners.push(listener);
  }

  /** Resolves once the configuration work queued so far (settings and repository configs) is done. */
  whenConfigured(): Promise<void> {
    return this.configQueue;
  }

  /** Runs configuration work one at a time, so that overlapping changes apply in order. */
  private enqueue(work: () => Promise<void>): Promise<void> {
    const next = this.configQueue.then(work).catch((e) => this.o.logger.error('settings', e));
    this.configQueue = next;
    return next;
  }

  /**
   * The folder's effective settings: its user settings merged over its repository config (docs/config.md).
   * Reads the config from disk, publishes its problems in the file, and keeps its sidecar suppressions.
   */
  private async pullSettings(folder: Folder): Promise<Iso27017Settings> {
    const user = await this.pullUserSettings(folder);
    if (folder.path === undefined) return user;
    try {
      const metas = [...this.o.rules.map((r) => r.meta), INVALID_SUPPRESSION_META];
      const config = await loadFolderConfig(folder.path, user, metas, today());
      folder.config = config;
      folder.sidecar = config.merged.sidecar;
      this.publishConfigProblems(folder);
      for (const l of this.configListeners) {
        try {
          l(folder);
        } catch (e) {
          this.o.logger.error('Config listener', e);
        }
      }
      if (config.loaded && config.loaded.parsed.problems.some((p) => p.severity === 'error')) {
        this.logOnce(`${config.file} has errors (see the Problems panel); the values with errors are ignored, the rest applies.`);
      }
      return config.merged.settings;
    } catch (e) {
      this.o.logger.error(`Reading the repository config of ${folder.path}`, e);
      return user;
    }
  }

  private publishConfigProblems(folder: Folder): void {
    const config = folder.config;
    const uri = config ? pathToUri(config.file) : undefined;
    const diagnostics = (config?.problems ?? []).map(configProblemToDiagnostic);
    if (folder.configPublished && folder.configPublished !== uri) {
      void this.o.connection.sendDiagnostics({ uri: folder.configPublished, diagnostics: [] }).catch(() => undefined);
      folder.configPublished = undefined;
    }
    if (!uri || (diagnostics.length === 0 && folder.configPublished === undefined)) return;
    folder.configPublished = diagnostics.length > 0 ? uri : undefined;
    void this.o.connection.sendDiagnostics({ uri, diagnostics }).catch((e) => this.o.logger.error(`Publishing ${config!.file}`, e));
  }

  /**
   * `workspace/didChangeWatchedFiles` for repository configs: a folder whose `.iso27017/config.json` was created,
   * changed or deleted re-reads its settings and is re-analysed (re-scanned when the excludes changed).
   */
  onConfigFilesChanged(events: readonly FileEvent[]): Promise<void> {
    const touched = this.folders.filter((f) => f.path !== undefined && events.some((e) => {
      const p = uriToPath(e.uri);
      return p !== undefined && touchesConfig(p, f.path!);
    }));
    if (touched.length === 0) return Promise.resolve();
    const work: Promise<void>[] = [];
    return this.enqueue(async () => {
      for (const f of touched) {
        const prev = f.settings;
        const next = await this.pullSettings(f);
        f.applySettings(next);
        if (!next.enable) {
          if (prev.enable) {
            f.scanGen++;
            this.clearFolder(f);
          }
          continue;
        }
        if (!prev.enable || !sameExclude(prev, next)) work.push(this.rescanFolder(f));
        // Sidecar entries or rule settings may have changed: analysing is cheap next to guessing.
        else this.analyzeFolder(f);
      }
      this.sendStatus();
    }).then(() => Promise.all(work).then(() => undefined));
  }

  private async pullUserSettings(folder: Folder): Promise<Iso27017Settings> {
    if (!this.o.configurationSupport) {
      const pushed = (this.pushedSettings as Record<string, unknown> | undefined)?.[CONFIGURATION_SECTION];
      return normaliseSettings(pushed);
    }
    try {
      const raw: unknown = await this.o.connection.workspace.getConfiguration(
        folder.uri ? { scopeUri: folder.uri, section: CONFIGURATION_SECTION } : { section: CONFIGURATION_SECTION },
      );
      return normaliseSettings(raw);
    } catch (e) {
      this.o.logger.error(`Reading the settings of ${folder.path ?? 'files outside the workspace'}`, e);
      return normaliseSettings(undefined);
    }
  }

  /** After `initialized`: reads the settings of every folder, then scans them all in the background. */
  start(): Promise<void> {
    let scan: Promise<void> = Promise.resolve();
    return this.enqueue(async () => {
      for (const f of this.allFolders()) f.applySettings(await this.pullSettings(f));
      this.sendStatus();
      scan = this.scanAll();
    }).then(() => scan);
  }

  /** `workspace/didChangeConfiguration`: re-pulls the settings and applies what changed. */
  onConfigurationChanged(pushed: unknown): Promise<void> {
    this.pushedSettings = pushed;
    const work: Promise<void>[] = [];
    return this.enqueue(async () => {
      for (const f of this.allFolders()) {
        const next = await this.pullSettings(f);
        const prev = f.settings;
        f.applySettings(next);
        if (!next.enable) {
          if (prev.enable) {
            f.scanGen++;
            this.clearFolder(f);
            this.o.logger.info(`Analysis disabled for ${f.path ?? 'files outside the workspace'}.`);
          }
          continue;
        }
        if (!prev.enable || !sameExclude(prev, next)) work.push(this.rescanFolder(f));
        else if (!sameRules(prev, next)) this.analyzeFolder(f);
      }
      this.sendStatus();
    }).then(() => Promise.all(work).then(() => undefined));
  }

  /** `workspace/didChangeWorkspaceFolders`. */
  onFoldersChanged(added: readonly WorkspaceFolder[], removed: readonly WorkspaceFolder[]): Promise<void> {
    const work: Promise<void>[] = [];
    return this.enqueue(async () => {
      for (const r of removed) {
        const path = uriToPath(r.uri);
        const f = this.folders.find((x) => x.path === path);
        if (!f) continue;
        f.scanGen++;
        this.clearFolder(f);
        if (f.configPublished) void this.o.connection.sendDiagnostics({ uri: f.configPublished, diagnostics: [] }).catch(() => undefined);
        this.folders = this.folders.filter((x) => x !== f);
        // Its open documents now belong to another folder (or to none).
        for (const [path, uri] of this.openPaths) if (f.path !== undefined && isInside(path, f.path)) this.schedule(uri, 0);
      }
      for (const a of added) {
        const f = this.addFolderState(a);
        if (!f) continue;
        f.applySettings(await this.pullSettings(f));
        // Open documents of the new folder were held by another project until now.
        for (const [path, uri] of this.openPaths) {
          if (this.folderFor(path) === f) this.schedule(uri, 0);
        }
        work.push(this.rescanFolder(f));
      }
      this.sendStatus();
    }).then(() => Promise.all(work).then(() => undefined));
  }

  // ---- scanning ----

  /** Scans every enabled workspace folder; resolves when all have been analysed. */
  async scanAll(): Promise<void> {
    const folders = this.folders.filter((f) => f.settings.enable);
    if (folders.length === 0) return;
    const progress = new ScanProgress(await this.createProgress(`Scanning ${folders.length === 1 ? folders[0]!.name : `${folders.length} folders`}`));
    const t0 = performance.now();
    await Promise.all(folders.map((f) => this.scanFolder(f, progress)));
    const files = this.countFiles();
    const findings = this.countFindings();
    progress.end(`${files} files, ${findings} findings`);
    this.o.logger.info(`Scanned ${folders.length} folder(s): ${files} files, ${findings} findings in ${Math.round(performance.now() - t0)} ms.`);
  }

  private async rescanFolder(f: Folder): Promise<void> {
    if (f.path === undefined) {
      this.syncOpenDocuments(f);
      this.analyzeFolder(f);
      return;
    }
    const progress = new ScanProgress(await this.createProgress(`Scanning ${f.name}`));
    const t0 = performance.now();
    await this.scanFolder(f, progress);
    progress.end(`${this.countFiles()} files, ${this.countFindings()} findings`);
    this.o.logger.info(`Scanned ${f.name} again: ${f.project.filePaths().length} files held, ${this.countFindings()} findings in ${Math.round(performance.now() - t0)} ms.`);
  }

  private async createProgress(title: string): Promise<WorkDoneProgressServerReporter | undefined> {
    try {
      const reporter = await this.o.connection.window.createWorkDoneProgress();
      reporter.begin(title, 0, 'Listing files…', false);
      return reporter;
    } catch {
      // The client refused the progress token: scan without progress.
      return undefined;
    }
  }

  private async scanFolder(folder: Folder, progress: ScanProgress): Promise<void> {
    const root = folder.path;
    if (root === undefined || !folder.settings.enable || this.disposed) return;
    const gen = ++folder.scanGen;
    const stale = (): boolean => folder.scanGen !== gen || this.disposed;
    const onSkip = (path: string, reason: string): void => this.logOnce(`Skipped ${path}: ${reason}.`);
    this.scanning++;
    this.sendStatus();
    try {
      // A workspace folder nested in this one is scanned by its own Project.
      const nested = this.folders
        .filter((o) => o !== folder && o.path !== undefined && o.path !== root && isInside(o.path, root))
        .map((o) => relativeTo(o.path!, root));
      const inNested = (rel: string): boolean => nested.some((n) => rel === n || rel.startsWith(`${n}/`));
      const paths = await walkFolder(root, { excluded: (rel) => folder.excluded(rel) || inNested(rel), cancelled: stale });
      if (stale()) return;
      progress.add(paths.length);
      const keep = new Set(paths);
      for (const p of folder.project.filePaths()) {
        if (keep.has(p)) continue;
        // Open documents stay unless the user excluded them; files gone from disk go.
        if (this.openPaths.has(p) && !folder.isExcluded(p)) continue;
        folder.project.deleteFile(p);
        folder.groups.delete(p);
      }
      for (let i = 0; i < paths.length; i += READ_BATCH) {
        const batch = paths.slice(i, i + READ_BATCH);
        const texts = await Promise.all(batch.map((p) => (this.openPaths.has(p) ? Promise.resolve(undefined) : readForAnalysis(p, onSkip))));
        if (stale()) return;
        batch.forEach((p, j) => {
          if (this.openPaths.has(p)) return;
          const text = texts[j];
          if (text === undefined) folder.project.deleteFile(p);
          else if (folder.project.text(p) !== text) folder.project.setFile(p, text);
        });
        progress.advance(batch.length);
        // Lets open-document requests (hover, code actions, edits) through between batches.
        await yieldToEventLoop();
        if (stale()) return;
      }
      this.syncOpenDocuments(folder);
      this.analyzeFolder(folder);
    } catch (e) {
      this.o.logger.error(`Scanning ${root}`, e);
    } finally {
      this.scanning--;
      this.sendStatus();
    }
  }

  // ---- open documents ----

  /** Hands the engine the current text of every open document of a folder (needed after a disabled period). */
  private syncOpenDocuments(folder: Folder): void {
    for (const [path, uri] of this.openPaths) {
      if (this.folderFor(path) !== folder || fromTerraformInit(path)) continue;
      const doc = this.o.documents.get(uri);
      if (!doc) continue;
      const text = doc.getText();
      if (folder.isExcluded(path) || !Project.isAnalysable(path, text)) {
        folder.project.deleteFile(path);
        continue;
      }
      if (folder.project.text(path) !== text) folder.project.setFile(path, text);
      this.syncedVersion.set(uri, doc.version);
    }
  }

  onDidOpen(uri: string): void {
    const path = uriToPath(uri);
    if (path === undefined) return;
    this.openPaths.set(path, uri);
    this.schedule(uri, 0);
  }

  onDidChange(uri: string): void {
    this.schedule(uri, DEBOUNCE_MS);
  }

  /** Reverts a closed document to its disk content (or drops it when it is not on disk). */
  async onDidClose(uri: string): Promise<void> {
    const path = uriToPath(uri);
    if (path === undefined) return;
    this.openPaths.delete(path);
    this.syncedVersion.delete(uri);
    this.pending.delete(uri);
    if (fromTerraformInit(path)) return;
    const folder = this.folderFor(path);
    if (folder.path === undefined) {
      // Files outside every folder are only analysed while open.
      const before = folder.project.text(path);
      if (folder.project.deleteFile(path)) this.reanalyse(folder, [path], droppedModuleDirs(path, before, undefined));
      this.publish(folder, path, [], [], true);
      return;
    }
    if (!folder.settings.enable) return;
    const text = folder.isExcluded(path) ? undefined : await readForAnalysis(path);
    if (this.openPaths.has(path) || this.disposed) return; // reopened meanwhile
    const before = folder.project.text(path);
    if (text === undefined) {
      const had = folder.project.deleteFile(path);
      this.publish(folder, path, [], [], true);
      if (had) this.reanalyse(folder, [path], droppedModuleDirs(path, before, undefined));
    } else {
      if (before === text) return;
      folder.project.setFile(path, text);
      this.reanalyse(folder, [path], droppedModuleDirs(path, before, text));
    }
    this.sendStatus();
  }

  private schedule(uri: string, delay: number): void {
    this.pending.add(uri);
    if (this.timer) clearTimeout(this.timer);
    // The newest edit wins: every edit restarts the wait.
    this.timer = setTimeout(() => {
      this.timer = undefined;
      try {
        this.flush();
      } catch (e) {
        this.o.logger.error('Analysing edited documents', e);
      }
    }, delay);
  }

  private flush(): void {
    if (this.disposed) return;
    const uris = [...this.pending];
    this.pending.clear();
    const changes = new ChangeSet();
    for (const uri of uris) {
      const doc = this.o.documents.get(uri);
      const path = uriToPath(uri);
      if (!doc || path === undefined || fromTerraformInit(path)) continue;
      const folder = this.folderFor(path);
      if (!folder.settings.enable) continue;
      const text = doc.getText();
      const before = folder.project.text(path);
      if (folder.isExcluded(path) || !Project.isAnalysable(path, text)) {
        if (folder.project.deleteFile(path)) changes.add(folder, path, droppedModuleDirs(path, before, undefined));
        continue;
      }
      folder.project.setFile(path, text);
      this.syncedVersion.set(uri, doc.version);
      changes.add(folder, path, droppedModuleDirs(path, before, text));
    }
    this.reanalyseChanges(changes);
  }

  // ---- watched files ----

  /**
   * `workspace/didChangeWatchedFiles`: created/changed files are re-read, deleted ones dropped. A module manifest
   * written or deleted (`terraform init`, `rm -rf .terraform`) has its folder scanned again, which reads the installed
   * modules it lists; the files below `.terraform` are otherwise ignored.
   */
  async onWatchedFilesChanged(events: readonly FileEvent[]): Promise<void> {
    const changes = new ChangeSet();
    const rescan = new Set<Folder>();
    const drop = (folder: Folder, p: string): void => {
      if (fromTerraformInit(p)) rescan.add(folder);
      const before = folder.project.text(p);
      if (!folder.project.deleteFile(p)) return;
      this.publish(folder, p, [], [], true);
      changes.add(folder, p, droppedModuleDirs(p, before, undefined));
    };
    for (const c of events) {
      const path = uriToPath(c.uri);
      if (path === undefined) continue;
      const folder = this.folderFor(path);
      if (folder.path === undefined || !folder.settings.enable) continue;
      // terraform init (or a clean-up) at work: its manifest, the installed modules' files, the .terraform folder.
      if (fromTerraformInit(path) || path.endsWith('/.terraform')) {
        rescan.add(folder);
        if (path.endsWith('/.terraform') && c.type === FileChangeType.Created) this.watchManifest(folder, `${path}/modules/modules.json`);
        if (c.type !== FileChangeType.Deleted) continue;
      }
      if (this.openPaths.has(path)) continue; // the editor's content wins until the document is closed
      if (c.type === FileChangeType.Deleted) {
        // A deleted folder arrives as one event: drop every file below it.
        for (const p of folder.project.filePaths()) if ((p === path || isInside(p, path)) && !this.openPaths.has(p)) drop(folder, p);
        continue;
      }
      if (folder.isExcluded(path) || !Project.mayBeAnalysable(path)) continue;
      const text = await readForAnalysis(path, (p, reason) => this.logOnce(`Skipped ${p}: ${reason}.`));
      if (this.openPaths.has(path) || this.disposed) continue;
      if (text === undefined) drop(folder, path);
      else {
        const before = folder.project.text(path);
        if (before === text) continue;
        folder.project.setFile(path, text);
        changes.add(folder, path, droppedModuleDirs(path, before, text));
      }
    }
    this.reanalyseChanges(changes);
    for (const folder of rescan) this.scheduleRescan(folder);
  }

  private readonly rescanTimers = new Map<Folder, NodeJS.Timeout>();
  private readonly manifestPolls = new Map<string, NodeJS.Timeout>();

  /**
   * After `terraform init` creates a `.terraform` folder, its module manifest is looked at once a second for two
   * minutes (downloads take a while): file watchers can miss writes into folders created a moment earlier, and the
   * manifest is written into such a folder. Each change of it leads to a scan of the folder.
   */
  private watchManifest(folder: Folder, manifest: string): void {
    if (this.manifestPolls.has(manifest)) return;
    let last = '';
    let left = MANIFEST_POLLS;
    const tick = async (): Promise<void> => {
      const st = await fsp.stat(manifest).catch(() => undefined);
      const now = st ? `${st.mtimeMs}:${st.size}` : '';
      if (now !== last) {
        last = now;
        if (now) this.scheduleRescan(folder);
      }
      if (--left <= 0 || this.disposed) {
        clearInterval(this.manifestPolls.get(manifest));
        this.manifestPolls.delete(manifest);
      }
    };
    this.manifestPolls.set(manifest, setInterval(() => void tick(), MANIFEST_POLL_MS));
  }

  /**
   * Scans a folder again for its installed Terraform modules once the files below `.terraform` have been quiet for
   * a moment: `terraform init` writes them in a burst, and a file watcher can miss some of the writes into folders it
   * has only just seen, so any of those events leads to one scan of what is on disk after the burst.
   */
  private scheduleRescan(folder: Folder): void {
    const pending = this.rescanTimers.get(folder);
    if (pending) clearTimeout(pending);
    const timer = setTimeout(() => {
      this.rescanTimers.delete(folder);
      if (this.disposed) return;
      this.o.logger.info(`Terraform's installed modules changed in ${folder.name}; scanning it again.`);
      void this.rescanFolder(folder).catch((e) => this.o.logger.error(`Scanning ${folder.name} again`, e));
    }, RESCAN_DEBOUNCE_MS);
    this.rescanTimers.set(folder, timer);
  }

  // ---- analysis and publishing ----

  private reanalyseChanges(changes: ChangeSet): void {
    for (const [folder, { paths, dropped }] of changes.byFolder) {
      try {
        this.reanalyse(folder, [...paths], [...dropped]);
      } catch (e) {
        this.o.logger.error(`Analysing ${[...paths].join(', ')}`, e);
      }
    }
    if (changes.byFolder.size > 0) this.sendStatus();
  }

  /** Analyses a whole folder and publishes every file; clears files that are no longer analysed. */
  analyzeFolder(folder: Folder): void {
    if (!folder.settings.enable || this.disposed) return;
    folder.refreshDay();
    const t0 = performance.now();
    const r = folder.project.analyzeAll();
    this.lastAnalysisMs = Math.round(performance.now() - t0);
    folder.groups.clear();
    this.publishResult(folder, r, new Set(r.files), true);
    this.sendStatus();
  }

  /**
   * Analyses what some files affect and publishes it. `analyzeFiles` evaluates every root module whose
   * tree contains the files, and every other root sharing a module with those, so each file it returns
   * has complete findings.
   */
  reanalyse(folder: Folder, paths: readonly string[], droppedModules: readonly string[] = []): void {
    if (!folder.settings.enable || this.disposed || paths.length === 0) return;
    folder.refreshDay();
    const t0 = performance.now();
    const input = new Set(paths);
    for (const p of paths) for (const q of folder.groups.get(p) ?? []) input.add(q);
    // A module folder that lost its caller is analysed too (as its own root, or under its other callers).
    const r = folder.project.analyzeFiles([...input], droppedModules);
    const complete = new Set(r.files);
    this.lastAnalysisMs = Math.round(performance.now() - t0);
    const group = [...complete];
    for (const f of complete) folder.groups.set(f, group);
    this.publishResult(folder, r, complete, false);
    // Files that left every analysed module (deleted, no module any more) keep no diagnostics.
    for (const p of input) if (!complete.has(p) && !folder.project.hasFile(p)) this.publish(folder, p, [], [], true);
    for (const p of input) if (!complete.has(p) && folder.project.hasFile(p) && folder.published.has(p)) this.publish(folder, p, [], []);
  }

  private publishResult(folder: Folder, r: AnalysisResult, complete: ReadonlySet<string>, clearOthers: boolean): void {
    const diags = new Map<string, Diagnostic[]>();
    const findings = new Map<string, Finding[]>();
    for (const p of complete) {
      diags.set(p, []);
      findings.set(p, []);
    }
    const uriFor = (p: string): string => this.uriFor(p);
    for (const f of r.findings) {
      if (!complete.has(f.file)) continue;
      findings.get(f.file)!.push(f);
      diags.get(f.file)!.push(findingToDiagnostic(f, uriFor));
    }
    for (const e of r.errors) {
      const d = fileErrorToDiagnostic(e);
      if (d && complete.has(e.file)) diags.get(e.file)!.push(d);
      else if (!d) this.logOnce(`${e.file || folder.path || 'workspace'}: ${e.message}`);
    }
    for (const p of complete) folder.suppressed.delete(p);
    for (const s of r.suppressed ?? []) if (complete.has(s.finding.file)) folder.suppressed.set(s.finding.file, [...(folder.suppressed.get(s.finding.file) ?? []), s]);
    for (const [p, list] of diags) this.publish(folder, p, list, findings.get(p) ?? []);
    if (clearOthers) {
      for (const p of [...folder.published]) if (!diags.has(p)) this.publish(folder, p, [], [], true);
      for (const p of [...folder.findings.keys()]) if (!diags.has(p)) folder.findings.delete(p);
      for (const p of [...folder.suppressed.keys()]) if (!diags.has(p)) folder.suppressed.delete(p);
    }
  }

  /**
   * Publishes the diagnostics of one file. An analysis of an open document that has changed since it was handed
   * to the engine is stale and dropped (`force` skips that check, for clearing).
   */
  private publish(folder: Folder, path: string, diagnostics: Diagnostic[], findings: Finding[], force = false): void {
    const uri = this.uriFor(path);
    const doc = this.o.documents.get(uri);
    if (!force && doc && this.syncedVersion.get(uri) !== doc.version) return;
    const before = folder.findings.get(path) ?? [];
    if (findings.length > 0) folder.findings.set(path, findings);
    else folder.findings.delete(path);
    this.o.onFindingsChanged?.(uri, before, findings);
    const had = folder.published.has(path);
    if (diagnostics.length > 0) folder.published.add(path);
    else folder.published.delete(path);
    // Clean files that never had diagnostics need no message, unless they are open (editors wait for one).
    if (diagnostics.length === 0 && !had && !doc && !force) return;
    void this.o.connection.sendDiagnostics(doc ? { uri, version: doc.version, diagnostics } : { uri, diagnostics }).catch((e) => this.o.logger.error(`Publishing ${path}`, e));
  }

  private clearFolder(folder: Folder): void {
    for (const p of [...folder.published]) this.publish(folder, p, [], [], true);
    folder.findings.clear();
    folder.suppressed.clear();
    folder.groups.clear();
  }

  /** The URI to publish for a path: the client's own when the document is open. */
  uriFor(path: string): string {
    return this.openPaths.get(path) ?? pathToUri(path);
  }

  private logOnce(message: string): void {
    if (this.logged.has(message)) return;
    if (this.logged.size > 1000) this.logged.clear();
    this.logged.add(message);
    this.o.logger.problem(message);
  }

  // ---- queries ----

  /** The findings currently published for a file. */
  findingsFor(path: string): Finding[] {
    return this.folderFor(path).findings.get(path) ?? [];
  }

  /** Every finding currently published, with the URI it was published under. */
  allFindings(): Array<{ uri: string; finding: Finding }> {
    const out: Array<{ uri: string; finding: Finding }> = [];
    for (const f of this.allFolders()) for (const [p, list] of f.findings) for (const x of list) out.push({ uri: this.uriFor(p), finding: x });
    return out;
  }

  /** Every finding currently silenced by a suppression comment, with the URI of its file. */
  allSuppressed(): Array<{ uri: string; suppressed: SuppressedFinding }> {
    const out: Array<{ uri: string; suppressed: SuppressedFinding }> = [];
    for (const f of this.allFolders()) for (const [p, list] of f.suppressed) for (const x of list) out.push({ uri: this.uriFor(p), suppressed: x });
    return out;
  }

  /**
   * True when the findings held for a document were computed from the text the client has now, so that their
   * fixes (offsets into that text) can be offered. Files that are not open are always current.
   */
  isCurrent(uri: string): boolean {
    const doc = this.o.documents.get(uri);
    return !doc || this.syncedVersion.get(uri) === doc.version;
  }

  /** The text the engine holds for a path (the open document's, else the disk's). */
  textOf(path: string): string | undefined {
    return this.folderFor(path).project.text(path);
  }

  private countFiles(): number {
    let n = 0;
    for (const f of this.allFolders()) if (f.settings.enable) n += f.project.filePaths().length;
    return n;
  }

  private countFindings(): number {
    let n = 0;
    for (const f of this.allFolders()) for (const list of f.findings.values()) n += list.length;
    return n;
  }

  status(): StatusParams {
    const s: StatusParams = {
      state: this.scanning > 0 ? 'scanning' : 'idle',
      files: this.countFiles(),
      findings: this.countFindings(),
      lastAnalysisMs: this.lastAnalysisMs,
      problems: this.o.logger.problems(),
      enabled: this.allFolders().some((f) => f.settings.enable),
    };
    const cat = this.o.catalog.catalog;
    if (cat) s.catalog = { controls: cat.controls.length, dataVersion: cat.dataVersion };
    return s;
  }

  sendStatus(): void {
    if (this.disposed) return;
    void this.o.connection.sendNotification(StatusNotification.type, this.status()).catch(() => undefined);
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const t of this.rescanTimers.values()) clearTimeout(t);
    this.rescanTimers.clear();
    for (const t of this.manifestPolls.values()) clearInterval(t);
    this.manifestPolls.clear();
    this.timer = undefined;
    this.pending.clear();
    for (const f of this.allFolders()) f.scanGen++;
  }
}

/**
 * True for the files `terraform init` wrote (its module manifest, the installed modules' code): read from disk by the
 * scan, never taken from an editor and never analysed as the user's own files.
 */
function fromTerraformInit(path: string): boolean {
  return isModuleManifest(path) || isInstalledModulePath(path);
}
