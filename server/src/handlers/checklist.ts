// The shared-responsibility checklist of each workspace folder (`.iso27017/checklist.json`, or the folder's
// `checklist.path` of its repository config): read from the open document or the disk, diagnostics in the file,
// the iso27017/*Checklist* requests, and edits that go through the editor (`workspace/applyEdit`). The checklist
// semantics live in server/src/checklist/; this is the I/O.

import { promises as fsp } from 'node:fs';
import {
  CreateFile,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  type Disposable,
  FileChangeType,
  TextDocumentEdit,
  TextDocumentSyncKind,
  TextEdit,
  type ClientCapabilities,
  type Connection,
  type FileEvent,
  type TextDocuments,
  type WorkspaceEdit,
  type WorkspaceFolder,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { SERVICE_MODELS, type ServiceModel } from '../catalog/catalog';
import {
  buildSoa,
  CHECKLIST_PATH,
  createChecklist,
  detectServices,
  evidenceFor,
  type EvidenceReport,
  type ParsedChecklist,
  parseChecklist,
  renderSoa,
  resourceTypeCollector,
  SOA_FORMATS,
} from '../checklist/index';
import { Project } from '../engine/project';
import type { Rule } from '../engine/rule';
import type { Finding, RuleMeta } from '../engine/types';
import { today as localToday } from '../node/clock';
import {
  ChecklistChangedNotification,
  type CreateChecklistParams,
  type CreateChecklistResult,
  type GetChecklistParams,
  type GetChecklistResult,
  type RenderSoaParams,
  type RenderSoaResult,
  type SetChecklistItemParams,
  type SetChecklistItemResult,
} from '../protocol';
import type { CatalogIndex } from './catalog';
import { applyItemChanges, checklistDiagnostics, evidenceFingerprint, firstError, folderInfo, problemInfo } from './checklistModel';
import type { Logger } from './log';
import { isInside, pathToUri, uriToPath } from './paths';
import { readForAnalysis, walkFolder } from './scan';
import type { Workspace } from './workspace';

/** The glob the server asks the client to watch for checklist files. */
export const CHECKLIST_GLOB = `**/${CHECKLIST_PATH}`;

/** Checklist files larger than this are not read (a checklist of the whole catalog is about 10 KB). */
export const MAX_CHECKLIST_BYTES = 4 * 1024 * 1024;

/** One workspace folder and its checklist. */
interface ChecklistFolder {
  readonly uri: string;
  readonly path: string;
  readonly name: string;
  /** The checklist file's path relative to the folder (the repository config's `checklist.path`). */
  rel: string;
  /** The checklist file's path. */
  file: string;
  loaded: boolean;
  /** Undefined when there is no file. */
  text: string | undefined;
  fromEditor: boolean;
  parsed: ParsedChecklist | undefined;
  evidence: EvidenceReport | undefined;
  evidenceKey: string;
  /** Incremented by every read; an older read that sees a newer number is dropped. */
  gen: number;
  loading: Promise<void> | undefined;
  /** The URI the diagnostics were last published under with a non-empty list. */
  publishedUri: string | undefined;
}

export interface ChecklistManagerOptions {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  logger: Logger;
  catalog: CatalogIndex;
  rules: readonly Rule[];
  workspace: Workspace;
  capabilities: ClientCapabilities;
  /** `YYYY-MM-DD`; default: today in the local time zone. */
  today?: () => string;
}

type ErrnoError = Error & { code?: string };

export class ChecklistManager {
  private folders: ChecklistFolder[] = [];
  private readonly notifyPending = new Set<string>();
  private notifyScheduled = false;
  private disposed = false;
  /** Edits and creations run one at a time, so that each is computed on the text the previous one left. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly today: () => string;
  /**
   * For checklist files outside `.iso27017/checklist.json`: the globs, the file watcher registered for them and the
   * document synchronisation registered for them (the client's static selector only names the default path).
   */
  private extraWatch: { globs: string; registrations: Array<Promise<Disposable | undefined>> } | undefined;

  constructor(private readonly o: ChecklistManagerOptions) {
    this.today = o.today ?? (() => localToday());
    o.documents.onDidOpen((e) => this.onDocument(e.document));
    o.documents.onDidChangeContent((e) => this.onDocument(e.document));
    o.documents.onDidClose((e) => this.onClosing(e.document.uri));
    // The repository config names where the checklist is (`checklist.path`); follow it when it is (re-)read.
    o.workspace.onDidReadConfig((wsFolder) => {
      if (wsFolder.path === undefined || this.disposed) return;
      const f = this.folders.find((x) => x.path === wsFolder.path);
      if (f) this.moveTo(f, wsFolder.config?.merged.checklistPath ?? CHECKLIST_PATH);
    });
  }

  // ---- folders ----

  setFolders(folders: readonly WorkspaceFolder[]): void {
    this.folders = [];
    for (const f of folders) this.addFolder(f);
  }

  private addFolder(f: WorkspaceFolder): ChecklistFolder | undefined {
    const path = uriToPath(f.uri);
    if (path === undefined || this.folders.some((x) => x.path === path)) return undefined;
    const wsFolder = this.o.workspace.folderFor(path);
    const rel = (wsFolder.path === path ? wsFolder.config?.merged.checklistPath : undefined) ?? CHECKLIST_PATH;
    const folder: ChecklistFolder = {
      uri: f.uri,
      path,
      name: f.name,
      rel,
      file: fileIn(path, rel),
      loaded: false,
      text: undefined,
      fromEditor: false,
      parsed: undefined,
      evidence: undefined,
      evidenceKey: '',
      gen: 0,
      loading: undefined,
      publishedUri: undefined,
    };
    this.folders.push(folder);
    return folder;
  }

  /**
   * The folder's repository config names `rel` as its checklist: when that is another file, the diagnostics of the
   * old one are cleared, the new one is read and the client is told (`iso27017/checklistChanged`).
   */
  private moveTo(f: ChecklistFolder, rel: string): void {
    const file = fileIn(f.path, rel);
    if (file === f.file) return;
    this.o.logger.info(`The checklist of ${f.name} is now ${rel} (the repository config's checklist.path).`);
    f.rel = rel;
    f.file = file;
    f.gen++;
    f.loading = undefined;
    const wasLoaded = f.loaded;
    f.loaded = false;
    if (f.publishedUri) {
      const old = f.publishedUri;
      f.publishedUri = undefined;
      void this.o.connection.sendDiagnostics({ uri: old, diagnostics: [] }).catch(() => undefined);
    }
    this.updateWatchers();
    if (!wasLoaded) {
      // Read at the next need; the client may have shown the old file (e.g. before it was closed): tell it.
      this.queueNotify(f.uri);
      return;
    }
    // The folder was read before: read the new file now, and tell the client even when both are missing (the URI moved).
    void this.ensureLoaded(f)
      .then(() => {
        if (!this.folders.includes(f) || f.file !== file) return;
        this.publish(f);
        this.queueNotify(f.uri);
      })
      .catch((e) => this.o.logger.error(`Reading ${file}`, e));
  }

  /**
   * Checklist files other than `.iso27017/checklist.json` (which the server watches from the start, and which the
   * client's document selector names) are watched by one more registration, and their open documents synchronised by
   * dynamic registrations of didOpen/didChange/didClose, so that unsaved edits count there too. All are replaced
   * whenever the set of such paths changes.
   */
  private updateWatchers(): void {
    const caps = this.o.capabilities;
    const watch = caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    const sync = caps.textDocument?.synchronization?.dynamicRegistration === true;
    if (!watch && !sync) return;
    const globs = [...new Set(this.folders.filter((f) => f.rel !== CHECKLIST_PATH).map((f) => `**/${f.rel}`))].sort();
    const key = globs.join('\n');
    if ((this.extraWatch?.globs ?? '') === key) return;
    const previous = this.extraWatch?.registrations ?? [];
    const register = (what: string, run: () => Promise<Disposable>): Promise<Disposable | undefined> =>
      run().catch((e) => {
        this.o.logger.error(`Registering ${what} for the checklist files`, e);
        return undefined;
      });
    const client = this.o.connection.client;
    const documentSelector = globs.map((pattern) => ({ scheme: 'file', pattern }));
    this.extraWatch =
      globs.length === 0
        ? undefined
        : {
            globs: key,
            registrations: [
              ...(watch
                ? [register('the file watcher', () => client.register(DidChangeWatchedFilesNotification.type, { watchers: globs.map((globPattern) => ({ globPattern })) }))]
                : []),
              ...(sync
                ? [
                    register('didOpen', () => client.register(DidOpenTextDocumentNotification.type, { documentSelector })),
                    register('didChange', () => client.register(DidChangeTextDocumentNotification.type, { documentSelector, syncKind: TextDocumentSyncKind.Incremental })),
                    register('didClose', () => client.register(DidCloseTextDocumentNotification.type, { documentSelector })),
                  ]
                : []),
            ],
          };
    for (const r of previous) void r.then((d) => d?.dispose());
  }

  /** `workspace/didChangeWorkspaceFolders`. */
  async onFoldersChanged(added: readonly WorkspaceFolder[], removed: readonly WorkspaceFolder[]): Promise<void> {
    for (const r of removed) {
      const path = uriToPath(r.uri);
      const f = this.folders.find((x) => x.path === path);
      if (!f) continue;
      f.gen++;
      this.folders = this.folders.filter((x) => x !== f);
      if (f.publishedUri) void this.o.connection.sendDiagnostics({ uri: f.publishedUri, diagnostics: [] }).catch(() => undefined);
      this.queueNotify(f.uri);
    }
    if (removed.length > 0) this.updateWatchers();
    const fresh = added.map((a) => this.addFolder(a)).filter((f): f is ChecklistFolder => f !== undefined);
    // Their repository configs (read by the workspace) say where their checklists are.
    await this.o.workspace.whenConfigured();
    await Promise.all(fresh.filter((f) => this.folders.includes(f)).map((f) => this.ensureLoaded(f)));
  }

  /** After `initialized`: reads every folder's checklist (where its repository config says) and publishes its diagnostics. */
  async start(): Promise<void> {
    await this.o.workspace.whenConfigured();
    await Promise.all(this.folders.map((f) => this.ensureLoaded(f)));
  }

  private folderOfFile(path: string): ChecklistFolder | undefined {
    return this.folders.find((f) => f.file === path);
  }

  /** The folder a request names (by URI), or the only folder when it names none. */
  private resolve(folderUri: string | undefined): ChecklistFolder | string {
    if (folderUri === undefined) {
      if (this.folders.length === 1) return this.folders[0]!;
      return this.folders.length === 0 ? 'No workspace folder is open; open a folder first.' : 'Several workspace folders are open; say which one (folder).';
    }
    const path = uriToPath(folderUri);
    const f = this.folders.find((x) => x.path === path);
    return f ?? `${folderUri} is not a workspace folder.`;
  }

  // ---- reading ----

  private openDocument(f: ChecklistFolder): TextDocument | undefined {
    for (const d of this.o.documents.all()) if (uriToPath(d.uri) === f.file) return d;
    return undefined;
  }

  /** Reads the checklist unless it is current; a read overtaken by a newer event (a close, a change) is read again. */
  private async ensureLoaded(f: ChecklistFolder): Promise<void> {
    for (let i = 0; i < 5 && !f.loaded && !this.disposed; i++) await (f.loading ?? this.load(f));
  }

  /** Reads the checklist (the open document wins over the disk), then publishes and notifies when it changed. */
  private load(f: ChecklistFolder): Promise<void> {
    const gen = ++f.gen;
    const doc = this.openDocument(f);
    if (doc) {
      this.setText(f, doc.getText(), true);
      return Promise.resolve();
    }
    const p = this.readDisk(f.file).then((text) => {
      if (gen !== f.gen || this.disposed) return;
      this.setText(f, text, false);
    });
    f.loading = p.finally(() => {
      if (f.gen === gen) f.loading = undefined;
    });
    return f.loading;
  }

  private async readDisk(path: string): Promise<string | undefined> {
    try {
      const st = await fsp.stat(path);
      if (!st.isFile()) return undefined;
      if (st.size > MAX_CHECKLIST_BYTES) {
        this.o.logger.problem(`${path} is larger than ${MAX_CHECKLIST_BYTES / 1048576} MB; it is not read.`);
        return undefined;
      }
      return await fsp.readFile(path, 'utf8');
    } catch (e) {
      const code = (e as ErrnoError).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') this.o.logger.error(`Reading ${path}`, e);
      return undefined;
    }
  }

  /** Takes a new text (undefined: no file); when it differs, re-reads it, publishes diagnostics and tells the client. */
  private setText(f: ChecklistFolder, text: string | undefined, fromEditor: boolean): void {
    const same = f.loaded && f.text === text && f.fromEditor === fromEditor;
    f.loaded = true;
    f.fromEditor = fromEditor;
    if (same) return;
    f.text = text;
    f.parsed = text === undefined ? undefined : parseChecklist(text, this.o.catalog.catalog ? { catalog: this.o.catalog.catalog } : {});
    this.computeEvidence(f);
    this.publish(f);
    this.queueNotify(f.uri);
  }

  private onDocument(doc: TextDocument): void {
    const path = uriToPath(doc.uri);
    const f = path === undefined ? undefined : this.folderOfFile(path);
    if (!f) return;
    f.gen++;
    f.loading = undefined;
    this.setText(f, doc.getText(), true);
  }

  /** The document was closed: from now on the disk's content counts (read again at the next need). */
  private onClosing(uri: string): void {
    const path = uriToPath(uri);
    const f = path === undefined ? undefined : this.folderOfFile(path);
    if (!f) return;
    f.gen++;
    f.loading = undefined;
    f.loaded = false;
    // The workspace clears the closed document's diagnostics; they are published anew in onDidClose.
    if (f.publishedUri === uri) f.publishedUri = undefined;
  }

  /** After the workspace has handled the close (and cleared the file's diagnostics): reads the disk, publishes again. */
  async onDidClose(uri: string): Promise<void> {
    const path = uriToPath(uri);
    const f = path === undefined ? undefined : this.folderOfFile(path);
    if (!f || this.openDocument(f)) return;
    await this.ensureLoaded(f);
    this.publish(f, true);
  }

  /** `workspace/didChangeWatchedFiles`: a checklist created, changed or deleted on disk (or its folder deleted). */
  async onWatchedFilesChanged(events: readonly FileEvent[]): Promise<void> {
    const touched = new Set<ChecklistFolder>();
    for (const e of events) {
      const path = uriToPath(e.uri);
      if (path === undefined) continue;
      for (const f of this.folders) {
        if (path === f.file || (e.type === FileChangeType.Deleted && isInside(f.file, path))) touched.add(f);
      }
    }
    await Promise.all(
      [...touched].map((f) => {
        // The editor's content wins until the document is closed.
        if (this.openDocument(f)) return Promise.resolve();
        return this.load(f);
      }),
    );
  }

  // ---- evidence and diagnostics ----

  /** The rules and open findings that evidence the controls of a folder. */
  private analysisOf(f: ChecklistFolder): { rules: RuleMeta[]; findings: Finding[] } | undefined {
    const wsFolder = this.o.workspace.folderFor(f.path);
    if (wsFolder.path !== f.path || !wsFolder.settings.enable) return undefined;
    const off = wsFolder.settings.rules;
    const rules = this.o.rules.map((r) => r.meta).filter((m) => off[m.id] !== 'off');
    const findings: Finding[] = [];
    for (const { finding } of this.o.workspace.allFindings()) {
      // A finding belongs to the deepest folder holding it.
      if (this.o.workspace.folderFor(finding.file) === wsFolder) findings.push(finding);
    }
    return { rules, findings };
  }

  private computeEvidence(f: ChecklistFolder): void {
    const parsed = f.parsed;
    const a = parsed?.valid && parsed.checklist ? this.analysisOf(f) : undefined;
    f.evidence = parsed?.valid && parsed.checklist ? evidenceFor(parsed, this.o.catalog.catalog ?? { controls: [] }, a?.rules ?? [], a?.findings ?? []) : undefined;
    f.evidenceKey = evidenceFingerprint(f.evidence);
  }

  /** After an analysis changed the published findings: refreshes evidence and conflicts where they changed. */
  onFindingsChanged(): void {
    if (this.disposed) return;
    for (const f of this.folders) {
      if (!f.loaded || !f.parsed?.valid) continue;
      const before = f.evidenceKey;
      this.computeEvidence(f);
      if (f.evidenceKey === before) continue;
      this.publish(f);
      this.queueNotify(f.uri);
    }
  }

  private publish(f: ChecklistFolder, force = false): void {
    if (this.disposed) return;
    const doc = this.openDocument(f);
    const uri = doc?.uri ?? pathToUri(f.file);
    const uriFor = (p: string): string => this.o.workspace.uriFor(p);
    const diagnostics = checklistDiagnostics(f.parsed, f.evidence, uriFor);
    if (f.publishedUri && f.publishedUri !== uri) void this.o.connection.sendDiagnostics({ uri: f.publishedUri, diagnostics: [] }).catch(() => undefined);
    // Nothing to say about a clean closed file that never had diagnostics.
    if (diagnostics.length === 0 && f.publishedUri === undefined && !doc && !force) return;
    f.publishedUri = diagnostics.length > 0 ? uri : undefined;
    void this.o.connection
      .sendDiagnostics(doc ? { uri, version: doc.version, diagnostics } : { uri, diagnostics })
      .catch((e) => this.o.logger.error(`Publishing ${f.file}`, e));
  }

  private queueNotify(folderUri: string): void {
    if (this.disposed) return;
    this.notifyPending.add(folderUri);
    if (this.notifyScheduled) return;
    this.notifyScheduled = true;
    setImmediate(() => {
      this.notifyScheduled = false;
      if (this.disposed || this.notifyPending.size === 0) return;
      const folders = [...this.notifyPending].sort();
      this.notifyPending.clear();
      void this.o.connection.sendNotification(ChecklistChangedNotification.type, { folders }).catch(() => undefined);
    });
  }

  // ---- requests ----

  /** `iso27017/getChecklist`. */
  async getChecklist(params: GetChecklistParams | undefined): Promise<GetChecklistResult> {
    await this.o.workspace.whenConfigured();
    let list = this.folders;
    if (params?.folder !== undefined) {
      const path = uriToPath(params.folder);
      list = list.filter((f) => f.path === path);
    }
    await Promise.all(list.map((f) => this.ensureLoaded(f)));
    const cat = this.o.catalog.catalog;
    const ruleTitles = new Map(this.o.rules.map((r) => [r.meta.id, r.meta.title]));
    const result: GetChecklistResult = {
      loaded: cat !== undefined,
      folders: list.map((f) =>
        folderInfo({
          folder: f.uri,
          name: f.name,
          uri: this.openDocument(f)?.uri ?? pathToUri(f.file),
          fromEditor: f.fromEditor,
          parsed: f.parsed,
          catalog: cat,
          evidence: f.evidence,
          ruleTitles,
          uriFor: (p) => this.o.workspace.uriFor(p),
        }),
      ),
    };
    if (cat) result.dataVersion = cat.dataVersion;
    return result;
  }

  private serialise<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private get canApplyEdits(): boolean {
    return this.o.capabilities.workspace?.applyEdit === true;
  }

  private get documentChanges(): boolean {
    return this.o.capabilities.workspace?.workspaceEdit?.documentChanges === true;
  }

  /** `iso27017/setChecklistItem`. */
  setItem(params: SetChecklistItemParams): Promise<SetChecklistItemResult> {
    return this.serialise(() => this.doSetItem(params));
  }

  private async doSetItem(params: SetChecklistItemParams): Promise<SetChecklistItemResult> {
    const refuse = (error: string): SetChecklistItemResult => ({ applied: false, changed: false, error });
    const f = this.resolve(params.folder);
    if (typeof f === 'string') return refuse(f);
    if (typeof params.controlId !== 'string') return refuse('Say which control to change (controlId).');
    await this.o.workspace.whenConfigured();
    await this.ensureLoaded(f);
    if (f.text === undefined) return refuse(`There is no checklist in ${f.name} (${f.rel}); create one first with "ISO 27017: Create Checklist".`);
    const { folder: _folder, controlId, ...changes } = params;
    const r = applyItemChanges(f.text, controlId, changes, { catalog: this.o.catalog.catalog, today: this.today() });
    if (!r.ok) {
      const result = refuse(r.reason);
      if (r.problems.length > 0) result.problems = r.problems.map(problemInfo);
      return result;
    }
    if (r.edits.length === 0) return { applied: true, changed: false };
    if (!this.canApplyEdits) return refuse('This editor cannot apply edits for the server (workspace/applyEdit); edit the checklist by hand.');

    const doc = this.openDocument(f);
    const uri = doc?.uri ?? pathToUri(f.file);
    const edits = r.edits.map((e) => TextEdit.replace(e.range, e.newText));
    // Versioned against the open document: the editor refuses an edit computed on an older text.
    const edit: WorkspaceEdit = this.documentChanges ? { documentChanges: [TextDocumentEdit.create({ uri, version: doc ? doc.version : null }, edits)] } : { changes: { [uri]: edits } };
    const res = await this.o.connection.workspace.applyEdit({ label: `ISO 27017: ${describeChanges(controlId, changes)}`, edit });
    if (!res.applied) return refuse(`The editor did not apply the change${res.failureReason ? `: ${res.failureReason}` : ' (the file may have changed meanwhile); try again'}.`);
    // A client that does not sync the file tells us nothing until it is saved: keep the next edit on the new text.
    if (!this.openDocument(f)) {
      f.gen++;
      f.loading = undefined;
      this.setText(f, r.text, false);
    }
    return { applied: true, changed: true };
  }

  /** The resource types declared by a folder's Terraform (open documents win over the disk), and the files read. */
  private async resourceTypes(f: ChecklistFolder): Promise<{ types: Map<string, number>; files: number }> {
    const wsFolder = this.o.workspace.folderFor(f.path);
    const excluded = wsFolder.path === f.path ? (rel: string): boolean => wsFolder.excluded(rel) : (): boolean => false;
    const paths = await walkFolder(f.path, { excluded });
    const collector = resourceTypeCollector();
    const project = new Project({ rules: collector.rules, controls: [], knownRules: this.o.rules.map((r) => r.meta) });
    let files = 0;
    for (const p of paths) {
      const text = this.o.workspace.textOf(p) ?? (await readForAnalysis(p));
      if (text === undefined) continue;
      project.setFile(p, text);
      files++;
    }
    project.analyzeAll();
    return { types: collector.types, files };
  }

  /** `iso27017/createChecklist`. */
  createChecklist(params: CreateChecklistParams): Promise<CreateChecklistResult> {
    return this.serialise(() => this.doCreate(params));
  }

  private async doCreate(params: CreateChecklistParams): Promise<CreateChecklistResult> {
    const f = this.resolve(params.folder);
    if (typeof f === 'string') return createChecklistFailure(params.folder ?? '', f);
    const empty = createChecklistFailure(f.uri, '');
    await this.o.workspace.whenConfigured();
    const catalog = this.o.catalog.catalog;
    const uri = this.openDocument(f)?.uri ?? pathToUri(f.file);
    if (!catalog) return { ...empty, uri, error: 'The control catalog is not loaded, so no checklist can be made; see the ISO 27017 output.' };

    const { types, files } = await this.resourceTypes(f);
    const detected = detectServices(types);
    const notes: string[] = [];
    const badProvider = (params.providers ?? []).find((p) => !/^[a-z][a-z0-9-]*$/.test(p));
    if (badProvider !== undefined) return { ...empty, uri, error: `"${badProvider}" is not a provider name (lowercase, such as aws, azure, gcp).` };
    const badModel = (params.models ?? []).find((m) => !(SERVICE_MODELS as readonly string[]).includes(m));
    if (badModel !== undefined) return { ...empty, uri, error: `"${badModel}" is not a service model (IaaS, PaaS or SaaS).` };
    const providers = [...new Set(params.providers ?? detected.providers)].sort();
    let models: ServiceModel[] = SERVICE_MODELS.filter((m) => (params.models ?? detected.models).includes(m));
    for (const m of detected.models.filter((x) => params.models && !params.models.includes(x))) {
      notes.push(`The code uses ${m} services (${detected.services.filter((s) => s.model === m).map((s) => s.name).join(', ')}), but ${m} was left out.`);
    }
    if (models.length === 0) {
      models = [...SERVICE_MODELS];
      notes.push('No service model was detected or chosen, so the defaults assume IaaS, PaaS and SaaS (the most customer-heavy split).');
    }
    // Services of providers left out are left out too.
    const services = detected.services.filter((s) => providers.includes(s.provider));
    const { text } = createChecklist({ catalog, providers, models, services, today: this.today() });
    const exists = this.openDocument(f) !== undefined || (await this.readDisk(f.file)) !== undefined;
    const result: CreateChecklistResult = {
      folder: f.uri,
      uri,
      exists,
      detected: { ...detected, files, resources: [...types.values()].reduce((a, b) => a + b, 0) },
      providers,
      models,
      text,
      notes,
      created: false,
    };
    if (!params.create) return result;
    if (exists) return { ...result, error: `${f.rel} already exists in ${f.name}; it was not changed.` };
    const ops = this.o.capabilities.workspace?.workspaceEdit?.resourceOperations ?? [];
    if (!this.canApplyEdits || !this.documentChanges || !ops.includes('create')) {
      return { ...result, error: 'This editor cannot create files for the server (workspace/applyEdit with CreateFile); run `iso27017 checklist init` instead.' };
    }
    const edit: WorkspaceEdit = {
      documentChanges: [
        // Fails rather than touch a file created meanwhile.
        CreateFile.create(uri, { overwrite: false, ignoreIfExists: false }),
        TextDocumentEdit.create({ uri, version: null }, [TextEdit.insert({ line: 0, character: 0 }, text)]),
      ],
    };
    const res = await this.o.connection.workspace.applyEdit({ label: 'ISO 27017: create the checklist', edit });
    if (!res.applied) return { ...result, error: `The editor did not create ${f.rel}${res.failureReason ? `: ${res.failureReason}` : ''}.` };
    if (!this.openDocument(f)) {
      f.gen++;
      f.loading = undefined;
      this.setText(f, text, false);
    }
    return { ...result, created: true };
  }

  /** `iso27017/renderSoa`. */
  async renderSoa(params: RenderSoaParams): Promise<RenderSoaResult> {
    const f = this.resolve(params.folder);
    if (typeof f === 'string') return { error: f };
    if (!(SOA_FORMATS as readonly string[]).includes(params.format)) return { error: `The format must be one of ${SOA_FORMATS.join(', ')}.` };
    const catalog = this.o.catalog.catalog;
    if (!catalog) return { error: 'The control catalog is not loaded; see the ISO 27017 output.' };
    await this.o.workspace.whenConfigured();
    await this.ensureLoaded(f);
    const parsed = f.parsed;
    if (parsed && (!parsed.valid || !parsed.checklist)) return { error: `The checklist has errors; fix them first. ${firstError(parsed.problems) ?? ''}`.trim() };
    const checklist = parsed?.checklist;
    const analysis = this.analysisOf(f);
    let models: ServiceModel[] = [];
    let notice: string | undefined;
    let detected: ReturnType<typeof detectServices> | undefined;
    if (!checklist) {
      detected = detectServices((await this.resourceTypes(f)).types);
      models = detected.models.length > 0 ? detected.models : [...SERVICE_MODELS];
      notice = `No checklist at ${f.rel}: responsibilities are the catalog defaults for ${models.join(', ')}${detected.models.length > 0 ? ' (detected from the Terraform)' : ' (no cloud service detected)'}, every control is shown as applicable and to do. Create a checklist to record decisions.`;
    }
    const data = buildSoa({
      catalog,
      ...(checklist ? { checklist, checklistPath: f.rel } : {}),
      models,
      ...(detected ? { providers: detected.providers, services: detected.services } : {}),
      ...(analysis ? { rules: analysis.rules, findings: analysis.findings } : {}),
      root: f.path,
      folder: f.name,
      today: this.today(),
      ...(notice ? { notice } : {}),
    });
    return { text: renderSoa(data, params.format), source: checklist ? 'checklist' : 'defaults', controls: data.summary.controls };
  }

  dispose(): void {
    this.disposed = true;
    for (const f of this.folders) f.gen++;
  }
}

/** The checklist file `rel` (relative, forward slashes) of the folder `root`. */
function fileIn(root: string, rel: string): string {
  return root === '/' ? `/${rel}` : `${root.replace(/\/+$/, '')}/${rel}`;
}

/** The answer to `iso27017/createChecklist` when there is nothing to propose. */
export function createChecklistFailure(folder: string, error: string): CreateChecklistResult {
  return {
    folder,
    uri: '',
    exists: false,
    detected: { providers: [], models: [], services: [], unmapped: [], files: 0, resources: 0 },
    providers: [],
    models: [],
    text: '',
    notes: [],
    created: false,
    error,
  };
}

/** A label for the editor's undo stack, e.g. `control 12.3.1: status done`. */
export function describeChanges(controlId: string, changes: Omit<SetChecklistItemParams, 'folder' | 'controlId'>): string {
  const parts: string[] = [];
  if (changes.status !== undefined) parts.push(`status ${changes.status}`);
  if (changes.responsibility !== undefined) parts.push(`responsibility ${changes.responsibility}`);
  if (changes.applicable !== undefined) parts.push(changes.applicable ? 'applicable' : 'not applicable');
  if (changes.owner !== undefined) parts.push(changes.owner ? `owner ${changes.owner}` : 'no owner');
  if (changes.note !== undefined) parts.push('note');
  if (changes.evidence !== undefined) parts.push('evidence');
  if (changes.removeEvidence !== undefined) parts.push('evidence removed');
  if (changes.reviewed !== undefined) parts.push('reviewed');
  if (parts.length === 0) parts.push('edit');
  return `control ${controlId}: ${parts.join(', ')}`;
}
