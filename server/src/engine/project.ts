// The engine's entry point: a set of files (no file system access), grouped into Terraform modules,
// evaluated per root module, checked by the rules. The server, the CLI and the tests all drive this.

import { ANALYSED_FORMATS, detectFormat, type FileFormat } from '../documents/detect';
import type { Attribute, Block, Body, HclFile, Span } from '../documents/terraform/ast';
import { HclSource, type OffsetEdit } from '../documents/terraform/edit';
import { Model, ResourceInstance, type InstalledModule, type ModuleSource } from '../documents/terraform/evaluator';
import type { TfResource } from '../documents/terraform/model';
import { parseHcl } from '../documents/terraform/parser';
import { TerraformFixer, type FixSpec } from './fixer';
import { LineMap } from './lines';
import { dirOf, isInstalledModulePath, isModuleManifest, joinPath, MODULE_MANIFEST, normalisePath } from './paths';
import { isTerraformRule, type ComposeRule, type DocumentReport, type DocumentRule, type DockerfileRule, type KubernetesRule, type Rule, type TerraformReport, type TerraformRule } from './rule';
import { parseCompose, type ComposeDoc } from '../documents/compose/model';
import { parseKubernetes, type KubernetesDoc } from '../documents/kubernetes/model';
import { parseDockerfile, type DockerfileDoc } from '../documents/dockerfile/model';
import { applySidecarSuppressions, applySuppressions, hclCommentSource, INVALID_SUPPRESSION_ID, suppressionComment, suppressionEdit, type CommentSource, type SidecarSuppressions, type SuppressionContext, type SuppressionPolicy } from './suppressions';
import type { ControlInfo, FileError, Finding, Fix, Position, RuleMeta, RuleSetting, Severity, SuppressedFinding } from './types';

/** Files larger than this (in bytes on disk, in characters in memory) are listed as errors instead of being parsed. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

export interface EngineSettings {
  /** Per-rule severity or `off`, by rule id (also `iso27017/invalid-suppression`). */
  rules?: Record<string, RuleSetting>;
  /** Today as `YYYY-MM-DD`, to judge suppression expiries; the engine has no clock (the server and CLI pass it). */
  now?: string;
  /** Governance of suppression comments. */
  suppressions?: SuppressionPolicy;
  /** Suppressions kept in the repository config, applied after the comments (`.iso27017/config.json`). */
  sidecar?: SidecarSuppressions;
}

export interface ProjectOptions {
  rules: readonly Rule[];
  controls: readonly ControlInfo[];
  settings?: EngineSettings;
  /**
   * Every rule id a suppression comment may name (default: the ids of `rules`). Pass the full registry when
   * only some rules run, so that comments naming the others are not reported as unknown.
   */
  knownRules?: ReadonlyArray<Pick<RuleMeta, 'id' | 'controls' | 'severity' | 'equivalents'>>;
}

export interface AnalysisResult {
  findings: Finding[];
  errors: FileError[];
  /** Every analysed file (so that callers can clear diagnostics of files that became clean). */
  files: string[];
  /** Findings silenced by a suppression comment, with the comment (same order as `findings`); absent when none. */
  suppressed?: SuppressedFinding[];
}

interface FileEntry {
  path: string;
  text: string;
  format: FileFormat | undefined;
  parsed?: HclFile;
  lines?: LineMap;
  /** Layout-aware source for fixes and suppressions, built on demand. */
  source?: HclSource;
  error?: string;
  /** Literal `source` values of the file's module blocks, computed once per version. */
  moduleSources?: string[];
  /** For a Dockerfile: its parsed form, built on demand. */
  docker?: DockerfileDoc;
  /** For Kubernetes manifests: their parsed form, built on demand. */
  k8s?: KubernetesDoc;
  /** For Docker Compose files: their parsed form, built on demand. */
  compose?: ComposeDoc;
  /** The file as suppression comments see it, built on demand. */
  commentSource?: CommentSource;
  /** For a module manifest: its installed modules by key (null when it could not be read), computed once per version. */
  manifest?: Map<string, InstalledModule> | null;
}

export { normalisePath };

function looksBinary(text: string): boolean {
  const n = Math.min(text.length, 8192);
  for (let i = 0; i < n; i++) if (text.charCodeAt(i) === 0) return true;
  return false;
}

export class Project {
  private readonly files = new Map<string, FileEntry>();
  /** Module directories and roots, kept until a file is added or removed or its module calls change. */
  private structure: Structure | undefined;
  private rules: readonly Rule[];
  private readonly controls: Map<string, ControlInfo>;
  private settings: EngineSettings;
  private readonly knownRules: ProjectOptions['knownRules'];

  constructor(opts: ProjectOptions) {
    this.rules = opts.rules;
    this.controls = new Map(opts.controls.map((c) => [c.id, c]));
    this.settings = opts.settings ?? {};
    this.knownRules = opts.knownRules;
  }

  setSettings(settings: EngineSettings): void {
    this.settings = settings;
  }

  setRules(rules: readonly Rule[]): void {
    this.rules = rules;
  }

  /** Adds or replaces a file. Files of formats the engine does not analyse are kept but ignored. */
  setFile(path: string, text: string): void {
    const p = normalisePath(path);
    const entry: FileEntry = { path: p, text, format: detectFormat(p, text) };
    if (text.length > MAX_FILE_BYTES) entry.error = `File is too large to analyse (${(text.length / 1048576).toFixed(1)} million characters; the limit is ${MAX_FILE_BYTES / 1048576} million).`;
    else if (looksBinary(text)) entry.error = 'File looks binary (it contains NUL bytes); it was not analysed.';
    const old = this.files.get(p);
    this.files.set(p, entry);
    if (!old || old.format !== entry.format || isModuleManifest(p)) this.structure = undefined;
    // The module structure only changes when the file's local module calls change.
    else if (this.structure && !sameList(old.moduleSources ?? this.moduleSourcesOf(old), this.moduleSourcesOf(entry))) this.structure = undefined;
    else if (this.structure) this.structure.replace(old, entry);
  }

  deleteFile(path: string): boolean {
    this.structure = undefined;
    return this.files.delete(normalisePath(path));
  }

  hasFile(path: string): boolean {
    return this.files.has(normalisePath(path));
  }

  /** Paths of every file held. */
  filePaths(): string[] {
    return [...this.files.keys()];
  }

  /**
   * True when a file of this name may be analysed once its content is known: analysable by name, or a YAML/JSON file
   * whose content may make it a Kubernetes manifest. Walkers read these; {@link isProjectFile} decides on the text.
   */
  static mayBeAnalysable(path: string): boolean {
    return Project.isAnalysable(path) || (ANALYSED_FORMATS.has('kubernetes') && /\.(ya?ml|json)$/i.test(path) && !/(^|\/)(package(-lock)?|composer|tsconfig)\.json$/i.test(path));
  }

  /** True when the engine analyses files of this path's format. */
  static isAnalysable(path: string, text?: string): boolean {
    const f = detectFormat(path, text);
    return f !== undefined && ANALYSED_FORMATS.has(f);
  }

  /**
   * True for the files a project should be given: the analysable ones, and the module manifests of `terraform init`
   * (`.terraform/modules/modules.json`), which say where installed modules are.
   */
  static isProjectFile(path: string, text?: string): boolean {
    return isModuleManifest(path) || Project.isAnalysable(path, text);
  }

  private parsed(e: FileEntry): HclFile | undefined {
    if (e.error) return undefined;
    if (!e.parsed) {
      try {
        e.parsed = parseHcl(e.text);
      } catch (err) {
        // The parser is built never to throw; if it does, the file is listed instead of sinking its folder.
        e.error = `Internal parser error; the file was not analysed: ${(err as Error).message}`;
        return undefined;
      }
    }
    return e.parsed;
  }

  private lines(path: string): LineMap {
    const e = this.files.get(path);
    if (!e) return new LineMap('');
    e.lines ??= new LineMap(e.text);
    return e.lines;
  }

  /** The text of a held file (for fixes and suppressions). */
  text(path: string): string | undefined {
    return this.files.get(normalisePath(path))?.text;
  }

  /** The layout-aware source (text + syntax tree) of a held Terraform file, for fixes and suppression edits. */
  hclSource(path: string): HclSource | undefined {
    const e = this.files.get(normalisePath(path));
    if (!e || (e.format !== 'terraform' && e.format !== 'tfvars')) return undefined;
    const ast = this.parsed(e);
    if (!ast) return undefined;
    e.source ??= new HclSource(e.text, ast);
    return e.source;
  }

  /** A held Dockerfile, parsed (for rules, fixes and suppression edits). */
  dockerfile(path: string): DockerfileDoc | undefined {
    return this.document(path, 'dockerfile', 'docker', parseDockerfile);
  }

  /** A held Kubernetes manifest file, parsed (for rules, fixes and suppression edits). */
  kubernetes(path: string): KubernetesDoc | undefined {
    return this.document(path, 'kubernetes', 'k8s', parseKubernetes);
  }

  /** A held Docker Compose file, parsed (for rules, fixes and suppression edits). */
  compose(path: string): ComposeDoc | undefined {
    return this.document(path, 'compose', 'compose', parseCompose);
  }

  /** The parsed form of a held document of `format`, built once per version; a parser that throws marks the file. */
  private document<K extends 'docker' | 'k8s' | 'compose'>(path: string, format: FileFormat, slot: K, parse: (path: string, text: string, lines: LineMap) => NonNullable<FileEntry[K]>): FileEntry[K] | undefined {
    const e = this.files.get(normalisePath(path));
    if (!e || e.format !== format || e.error) return undefined;
    try {
      e[slot] ??= parse(e.path, e.text, this.lines(e.path));
    } catch (err) {
      e.error = `Internal parser error; the file was not analysed: ${(err as Error).message}`;
      return undefined;
    }
    return e[slot];
  }

  /**
   * The edit that suppresses `ruleId` at `position` of a held file: a comment line above the Terraform resource, or
   * above the Dockerfile instruction, around that position. Undefined when the file is not one of those or the
   * reason is empty.
   */
  suppressionEdit(path: string, position: Position, ruleId: string, reason: string, until?: string): OffsetEdit | undefined {
    const e = this.files.get(normalisePath(path));
    if (!e) return undefined;
    const offset = this.lines(e.path).offset(position);
    if (e.format === 'terraform') {
      const src = this.hclSource(e.path);
      return src ? suppressionEdit(src, offset, ruleId, reason, until) : undefined;
    }
    const comment = suppressionComment(ruleId, reason, until);
    if (!comment) return undefined;
    // What the comment goes above: the Dockerfile instruction, or the Kubernetes container (its `- name:` line, the
    // comment at the dash's indentation) or object, around the position.
    let target: number | undefined;
    if (e.format === 'dockerfile') {
      const doc = this.dockerfile(e.path);
      target = doc && (doc.instructions.find((i) => i.start <= offset && offset <= i.end)?.start ?? offset);
    } else if (e.format === 'kubernetes') {
      const obj = this.kubernetes(e.path)?.objects.find((o) => o.span.start <= offset && offset <= o.span.end);
      target = obj?.containers.find((c) => c.node.range && c.node.range[0] <= offset && offset <= c.node.range[1])?.node.range?.[0] ?? obj?.span.start;
    } else if (e.format === 'compose') {
      target = this.compose(e.path)?.services.find((s) => s.span.start <= offset && offset <= s.span.end)?.span.start;
    }
    if (target === undefined) return undefined;
    const lines = this.lines(e.path);
    const lineStart = lines.offset({ line: lines.position(target).line, character: 0 });
    const indent = /^[ \t]*/.exec(e.text.slice(lineStart))![0];
    return { start: lineStart, end: lineStart, newText: `${indent}${comment}${e.text.includes('\r\n') ? '\r\n' : '\n'}` };
  }

  /** The comments of a held file, for suppressions (Terraform and Dockerfiles). */
  commentSource(path: string): CommentSource | undefined {
    const e = this.files.get(normalisePath(path));
    if (!e) return undefined;
    if (e.commentSource) return e.commentSource;
    if (e.format === 'terraform') {
      const src = this.hclSource(e.path);
      if (src) e.commentSource = hclCommentSource(src);
    } else if (e.format === 'dockerfile') {
      const doc = this.dockerfile(e.path);
      if (doc) e.commentSource = dockerfileCommentSource(doc);
    } else if (e.format === 'kubernetes') {
      const doc = this.kubernetes(e.path);
      if (doc) e.commentSource = kubernetesCommentSource(doc);
    } else if (e.format === 'compose') {
      const doc = this.compose(e.path);
      if (doc) e.commentSource = composeCommentSource(doc);
    }
    return e.commentSource;
  }

  // ---- modules ----

  private moduleDirs(): Map<string, { tf: FileEntry[]; tfvars: FileEntry[] }> {
    const dirs = new Map<string, { tf: FileEntry[]; tfvars: FileEntry[] }>();
    for (const e of this.files.values()) {
      if (e.format !== 'terraform' && e.format !== 'tfvars') continue;
      const d = dirOf(e.path);
      let m = dirs.get(d);
      if (!m) dirs.set(d, (m = { tf: [], tfvars: [] }));
      if (e.format === 'terraform') m.tf.push(e);
      else m.tfvars.push(e);
    }
    for (const m of dirs.values()) {
      m.tf.sort((a, b) => (a.path < b.path ? -1 : 1));
      m.tfvars.sort((a, b) => (a.path < b.path ? -1 : 1));
    }
    return dirs;
  }

  private source(dir: string, dirs: Map<string, { tf: FileEntry[]; tfvars: FileEntry[] }>): ModuleSource | undefined {
    const m = dirs.get(dir);
    if (!m || m.tf.length === 0) return undefined;
    const files = m.tf.flatMap((e) => {
      const ast = this.parsed(e);
      return ast ? [{ path: e.path, ast }] : [];
    });
    const tfvars = m.tfvars
      .filter((e) => /(^|\/)(terraform\.tfvars|[^/]*\.auto\.tfvars)$/.test(e.path))
      .sort((a, b) => (a.path.endsWith('/terraform.tfvars') ? -1 : b.path.endsWith('/terraform.tfvars') ? 1 : a.path < b.path ? -1 : 1))
      .flatMap((e) => {
        const ast = this.parsed(e);
        return ast ? [{ path: e.path, ast }] : [];
      });
    return { dir, files, tfvars };
  }

  /**
   * The directories a directory calls: its local module calls, and, for a root where `terraform init` ran, every
   * module its manifest lists. The calls inside installed modules are in that manifest too, so their files are
   * not read here.
   */
  private calledDirs(dir: string, dirs: Map<string, { tf: FileEntry[]; tfvars: FileEntry[] }>): string[] {
    if (isInstalledModulePath(dir)) return [];
    const out: string[] = [];
    for (const e of dirs.get(dir)?.tf ?? []) for (const src of this.moduleSourcesOf(e)) out.push(joinPath(dir, src));
    for (const m of this.manifest(dir)?.values() ?? []) out.push(m.dir);
    return out;
  }

  /** The installed modules `terraform init` recorded for a root module (by key), if its manifest is held. */
  private manifest(rootDir: string): Map<string, InstalledModule> | undefined {
    const e = this.files.get(joinPath(rootDir, MODULE_MANIFEST));
    if (!e) return undefined;
    if (e.manifest === undefined) e.manifest = parseModuleManifest(rootDir, e.text);
    return e.manifest ?? undefined;
  }

  private moduleSourcesOf(e: FileEntry): string[] {
    if (!e.moduleSources) {
      e.moduleSources = [];
      if (e.format !== 'terraform') return e.moduleSources;
      for (const it of this.parsed(e)?.body.items ?? []) {
        if (it.kind !== 'block' || it.type !== 'module') continue;
        const src = moduleSourceLiteral(it);
        if (src && (src.startsWith('./') || src.startsWith('../'))) e.moduleSources.push(src);
      }
    }
    return e.moduleSources;
  }

  /**
   * Root modules: directories with `.tf` files that no other directory calls as a local module.
   * A directory only reachable through a cycle is treated as a root too.
   */
  private roots(dirs: Map<string, { tf: FileEntry[]; tfvars: FileEntry[] }>): { roots: string[]; tree: Map<string, Set<string>> } {
    const calls = new Map<string, string[]>();
    const called = new Set<string>();
    for (const d of dirs.keys()) {
      const c = this.calledDirs(d, dirs).filter((x) => x !== d && dirs.has(x));
      calls.set(d, c);
      c.forEach((x) => called.add(x));
    }
    // Installed modules are third-party code: evaluated for their callers, never as roots of their own.
    const rootable = (d: string): boolean => (dirs.get(d)?.tf.length ?? 0) > 0 && !isInstalledModulePath(d);
    const roots = [...dirs.keys()].filter((d) => !called.has(d) && rootable(d)).sort();
    const tree = new Map<string, Set<string>>();
    const reach = (root: string): Set<string> => {
      const seen = new Set<string>([root]);
      const stack = [root];
      while (stack.length) for (const c of calls.get(stack.pop()!) ?? []) if (!seen.has(c)) (seen.add(c), stack.push(c));
      return seen;
    };
    const covered = new Set<string>();
    for (const r of roots) {
      const s = reach(r);
      tree.set(r, s);
      s.forEach((x) => covered.add(x));
    }
    for (const d of [...dirs.keys()].sort()) {
      if (covered.has(d) || !rootable(d)) continue;
      const s = reach(d);
      roots.push(d);
      tree.set(d, s);
      s.forEach((x) => covered.add(x));
    }
    return { roots, tree };
  }

  // ---- analysis ----

  /** Analyses every file held. */
  analyzeAll(): AnalysisResult {
    return this.analyze(undefined);
  }

  /**
   * Analyses what the given files affect: the root modules whose module tree contains their
   * directories, and those of `moduleDirs` (e.g. a module folder that has just lost its caller, which is now a root
   * of its own or only under its other callers). Findings are returned for every file of those trees.
   */
  analyzeFiles(paths: readonly string[], moduleDirs: readonly string[] = []): AnalysisResult {
    return this.analyze(new Set([...paths.map((p) => dirOf(normalisePath(p))), ...moduleDirs.map((d) => normalisePath(d))]));
  }

  private analyze(onlyDirs: Set<string> | undefined): AnalysisResult {
    if (!this.structure) {
      const d = this.moduleDirs();
      this.structure = new Structure(d, this.roots(d));
    }
    const { dirs } = this.structure;
    const { roots, tree } = this.structure.roots;
    const findings: Finding[] = [];
    const errors: FileError[] = [];
    const files = new Set<string>();
    const seen = new Set<string>();
    const analysedDirs = new Set<string>();
    const selected = onlyDirs ? this.affectedRoots(roots, tree, onlyDirs) : new Set(roots);
    for (const root of roots) {
      if (!selected.has(root)) continue;
      const members = tree.get(root)!;
      members.forEach((d) => analysedDirs.add(d));
      const src = this.source(root, dirs);
      if (!src) continue;
      const manifestPath = joinPath(root, MODULE_MANIFEST);
      if (this.files.has(manifestPath) && this.manifest(root) === undefined) {
        // Listed as analysed so that an editor shows the problem on the file (it is cleared by the next full analysis).
        files.add(manifestPath);
        errors.push({
          file: manifestPath,
          range: this.lines(manifestPath).range(0, 0),
          message: `Terraform's module manifest could not be read (not JSON with a "Modules" list; was terraform init interrupted?), so the modules it installed for ${root} are not evaluated. Run terraform init again.`,
        });
      }
      const model = new Model(
        (d) => this.source(d, dirs),
        (rootDir, key) => this.manifest(rootDir)?.get(key),
      );
      try {
        model.addRoot(src);
      } catch (e) {
        errors.push({ file: src.files[0]?.path ?? root, message: `Internal error while evaluating module ${root}: ${(e as Error).message}` });
        continue;
      }
      this.runRules(model, findings, errors, seen);
    }
    const terraformFiles: string[] = [];
    for (const d of analysedDirs) {
      const m = dirs.get(d);
      // Installed modules' files are not the user's: their findings are reported on the calls (see toFinding).
      if (!m || isInstalledModulePath(d)) continue;
      for (const e of m.tf) terraformFiles.push(e.path);
      for (const e of [...m.tf, ...m.tfvars]) {
        files.add(e.path);
        if (e.error) errors.push({ file: e.path, message: e.error });
        else {
          const ast = this.parsed(e);
          if (ast && ast.errors.length > 0) {
            const first = ast.errors[0]!;
            const more = ast.errors.length > 1 ? ` (and ${ast.errors.length - 1} more syntax error${ast.errors.length > 2 ? 's' : ''})` : '';
            errors.push({ file: e.path, message: `Syntax error: ${first.message}${more}. Complete blocks were still analysed.`, range: this.lines(e.path).range(first.start, first.end) });
          }
        }
      }
    }
    // Dockerfiles: each on its own, when it is in one of the folders asked for (or always, for a full analysis).
    const documentFiles: string[] = [];
    for (const e of this.files.values()) {
      if ((e.format !== 'dockerfile' && e.format !== 'kubernetes' && e.format !== 'compose') || (onlyDirs && !onlyDirs.has(dirOf(e.path)))) continue;
      files.add(e.path);
      const doc = e.format === 'dockerfile' ? this.dockerfile(e.path) : e.format === 'kubernetes' ? this.kubernetes(e.path) : this.compose(e.path);
      if (!doc) {
        if (e.error) errors.push({ file: e.path, message: e.error });
        continue;
      }
      documentFiles.push(e.path);
      if ('errors' in doc && doc.errors.length > 0) {
        const first = doc.errors[0]!;
        const more = doc.errors.length > 1 ? ` (and ${doc.errors.length - 1} more syntax error${doc.errors.length > 2 ? 's' : ''})` : '';
        errors.push({ file: e.path, message: `Syntax error: ${first.message}${more}. Complete objects were still analysed.`, range: this.lines(e.path).range(first.offset, first.offset) });
      }
      this.runDocumentRules(e.format, doc, findings, errors);
    }
    const { kept, suppressed } = this.suppress(findings, [...terraformFiles, ...documentFiles]);
    const order = (a: Finding, b: Finding): number =>
      a.file < b.file ? -1 : a.file > b.file ? 1 : a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
    kept.sort(order);
    suppressed.sort((a, b) => order(a.finding, b.finding));
    const result: AnalysisResult = { findings: kept, errors, files: [...files].sort() };
    if (suppressed.length > 0) result.suppressed = suppressed;
    return result;
  }

  /** Applies the suppression comments of every analysed Terraform file, and reports the invalid ones. */
  private suppress(findings: Finding[], files: string[]): { kept: Finding[]; suppressed: SuppressedFinding[] } {
    const byFile = new Map<string, Finding[]>();
    for (const f of findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
    const known = this.knownRules ?? this.rules.map((r) => r.meta);
    const ctx: SuppressionContext = {
      rules: new Map(known.map((r) => [r.id, r])),
      severityOf: (id) => {
        const s = this.settings.rules?.[id];
        return s && s !== 'off' ? s : (ctx.rules.get(id)?.severity ?? 'warning');
      },
      ...(this.settings.now ? { now: this.settings.now } : {}),
      ...(this.settings.suppressions ? { policy: this.settings.suppressions } : {}),
    };
    const invalidSetting = this.settings.rules?.[INVALID_SUPPRESSION_ID];
    const kept: Finding[] = [];
    const suppressed: SuppressedFinding[] = [];
    const done = new Set<string>();
    for (const file of files) {
      done.add(file);
      const list = byFile.get(file) ?? [];
      const src = this.commentSource(file);
      // Comments can only matter in files that have some.
      if (!src || src.comments.length === 0) {
        kept.push(...list);
        continue;
      }
      const r = applySuppressions(file, src, this.lines(file), list, ctx, invalidSetting ?? 'warning');
      kept.push(...r.kept, ...r.invalid);
      suppressed.push(...r.suppressed);
    }
    for (const [file, list] of byFile) if (!done.has(file)) kept.push(...list);
    if (this.settings.sidecar && this.settings.sidecar.entries.length > 0) {
      const side = applySidecarSuppressions(kept, this.settings.sidecar, ctx);
      suppressed.push(...side.suppressed);
      return { kept: side.kept, suppressed };
    }
    return { kept, suppressed };
  }

  /**
   * The roots to evaluate for an edit in `dirs`: every root whose tree contains one of them, and, so that
   * the findings of a module shared by several roots are complete, every other root sharing a module with
   * those (to a fixed point).
   */
  private affectedRoots(roots: string[], tree: Map<string, Set<string>>, dirs: Set<string>): Set<string> {
    const selected = new Set<string>();
    const touched = new Set(dirs);
    let grew = true;
    while (grew) {
      grew = false;
      for (const r of roots) {
        if (selected.has(r)) continue;
        const members = tree.get(r)!;
        if (![...members].some((d) => touched.has(d))) continue;
        selected.add(r);
        members.forEach((d) => touched.add(d));
        grew = true;
      }
    }
    return selected;
  }

  private runRules(model: Model, findings: Finding[], errors: FileError[], seen: Set<string>): void {
    const fixer = new TerraformFixer((file) => this.hclSource(file));
    for (const rule of this.rules) {
      if (!isTerraformRule(rule)) continue;
      const setting = this.settings.rules?.[rule.meta.id];
      if (setting === 'off') continue;
      const severity: Severity = setting ?? rule.meta.severity;
      const report = (r: TerraformReport): void => {
        const f = this.toFinding(rule, severity, r);
        if (!f) return;
        // Instances of one resource (count/for_each) that fail the same way are reported once; a module
        // called from two places keeps one finding per caller, since the message names the address.
        const key = `${f.ruleId}|${f.file}|${f.range.start.line}:${f.range.start.character}|${f.range.end.line}:${f.range.end.character}|${f.message}`;
        if (seen.has(key)) return;
        seen.add(key);
        findings.push(f);
      };
      try {
        rule.check({ model, report, fixer });
      } catch (e) {
        errors.push({ file: model.roots[0]?.source.files[0]?.path ?? '', message: `Rule ${rule.meta.id} failed: ${(e as Error).message}` });
      }
    }
  }

  /**
   * The finding of a report; undefined for one in an installed module's code that no module call of the user's code
   * leads to. A finding in installed code is moved to the call that brings it in (the user cannot fix the module's
   * code, which `terraform init` rewrites): it names the module's source and points at the resource as related
   * information, without fixes.
   */
  private toFinding(rule: TerraformRule, severity: Severity, r: TerraformReport): Finding | undefined {
    const f = this.findingAt(rule, severity, r);
    if (!isInstalledModulePath(f.file)) return f;
    const site = installedCallSite(r.resource, { file: r.file ?? r.resource.file, span: r.span ?? r.resource.headerSpan }, (file) => {
      const e = this.files.get(file);
      return e ? this.parsed(e) : undefined;
    });
    if (!site) return undefined;
    const from = site.installed ? ` (in the installed module ${site.installed.source.replace(/^registry\.terraform\.io\//, '')}${site.installed.version ? ` ${site.installed.version}` : ''})` : '';
    const at = f.message.lastIndexOf(' (ISO 27017 ');
    return {
      ...f,
      message: at >= 0 ? `${f.message.slice(0, at)}${from}${f.message.slice(at)}` : `${f.message}${from}`,
      file: site.file,
      range: this.lines(site.file).range(site.span.start, site.span.end),
      related: [{ file: f.file, range: f.range, message: `${r.resource.address}, in the installed module's code` }, ...f.related],
      fixable: false,
      fixes: [],
    };
  }

  /** A rule's message with its placeholders filled, followed by the controls it evidences. */
  private message(rule: Rule, messageId: string, data: Record<string, string | number>): string {
    const template = rule.meta.messages[messageId] ?? messageId;
    const text = template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_m, k: string) => String(data[k] ?? `{{${k}}}`));
    const controls = rule.meta.controls.map((id) => {
      const c = this.controls.get(id);
      return c ? `${c.id} ${c.title}` : id;
    });
    return `${text} (ISO 27017 ${controls.join('; ')})`;
  }

  private findingAt(rule: Rule, severity: Severity, r: TerraformReport): Finding {
    const res = r.resource;
    const file = r.file ?? res.file;
    const span: Span = r.span ?? res.headerSpan;
    const fixes = this.toFixes(rule, r.fix);
    return {
      ruleId: rule.meta.id,
      messageId: r.messageId,
      severity,
      message: this.message(rule, r.messageId, { name: res.address, type: res.type, ...(r.data ?? {}) }),
      file,
      range: this.lines(file).range(span.start, span.end),
      resource: { type: res.mode === 'data' ? `data.${res.type}` : res.type, name: res.name, address: res.address },
      controls: [...rule.meta.controls],
      equivalents: rule.meta.equivalents,
      fixable: fixes.length > 0,
      related: (r.related ?? []).map((x) => ({ file: x.file, range: this.lines(x.file).range(x.span.start, x.span.end), message: x.message })),
      fixes,
    };
  }

  /** Runs the rules of a document's platform (Dockerfile, Kubernetes) on it. */
  private runDocumentRules(platform: 'dockerfile' | 'kubernetes' | 'compose', doc: DockerfileDoc | KubernetesDoc | ComposeDoc, findings: Finding[], errors: FileError[]): void {
    for (const rule of this.rules) {
      if (rule.meta.platform !== platform) continue;
      const setting = this.settings.rules?.[rule.meta.id];
      if (setting === 'off') continue;
      const severity: Severity = setting ?? rule.meta.severity;
      const report = (r: DocumentReport): void => {
        findings.push(this.documentFinding(rule as DocumentRule, severity, doc.path, r));
      };
      try {
        if (platform === 'dockerfile') (rule as DockerfileRule).check({ doc: doc as DockerfileDoc, report });
        else if (platform === 'kubernetes') (rule as KubernetesRule).check({ doc: doc as KubernetesDoc, report });
        else (rule as ComposeRule).check({ doc: doc as ComposeDoc, report });
      } catch (e) {
        errors.push({ file: doc.path, message: `Rule ${rule.meta.id} failed: ${(e as Error).message}` });
      }
    }
  }

  private documentFinding(rule: DocumentRule, severity: Severity, file: string, r: DocumentReport): Finding {
    const lines = this.lines(file);
    const fixes = this.toFixes(rule, r.fix);
    const f: Finding = {
      ruleId: rule.meta.id,
      messageId: r.messageId,
      severity,
      message: this.message(rule, r.messageId, { name: r.subject?.name ?? '', type: r.subject?.type ?? '', ...(r.data ?? {}) }),
      file,
      range: lines.range(r.span.start, r.span.end),
      controls: [...rule.meta.controls],
      equivalents: rule.meta.equivalents,
      fixable: fixes.length > 0,
      related: (r.related ?? []).map((x) => ({ file, range: lines.range(x.span.start, x.span.end), message: x.message })),
      fixes,
    };
    if (r.subject) f.resource = { ...r.subject };
    return f;
  }

  /** Fix specs (offsets) → fixes (LSP ranges); the preferred one first. A rule that is not fixable offers none. */
  private toFixes(rule: Rule, spec: TerraformReport['fix']): Fix[] {
    if (!spec || !rule.meta.fixable) return [];
    const specs = (Array.isArray(spec) ? spec : [spec]).filter((x): x is FixSpec => x !== undefined && x.edits.length > 0);
    const fixes = specs.map((x): Fix => {
      const fix: Fix = {
        title: x.title,
        edits: x.edits.map((e) => ({ file: e.file, range: this.lines(e.file).range(e.start, e.end), newText: e.newText })),
      };
      if (x.placeholder) fix.placeholder = true;
      return fix;
    });
    const preferred = specs.findIndex((x) => x.isPreferred === true);
    const first = preferred >= 0 ? preferred : specs.findIndex((x) => x.isPreferred !== false);
    if (first >= 0) {
      const [p] = fixes.splice(first, 1);
      p!.isPreferred = true;
      fixes.unshift(p!);
    }
    return fixes;
  }
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

type DirFiles = Map<string, { tf: FileEntry[]; tfvars: FileEntry[] }>;

/** The cached module layout of the project. */
class Structure {
  constructor(
    readonly dirs: DirFiles,
    readonly roots: { roots: string[]; tree: Map<string, Set<string>> },
  ) {}

  /** Swaps a file's entry for its new version, in place. */
  replace(old: FileEntry, next: FileEntry): void {
    const m = this.dirs.get(dirOf(old.path));
    if (!m) return;
    for (const list of [m.tf, m.tfvars]) {
      const i = list.indexOf(old);
      if (i >= 0) list[i] = next;
    }
  }
}

/**
 * A document (Dockerfile, manifest, Compose file) as a {@link CommentSource}: its comments, and the items a comment
 * can precede, as spans (each covers its lines). `enclosingTop` is what a `checkov:skip` comment inside applies to.
 */
function documentCommentSource(
  doc: { text: string; lines: LineMap },
  comments: CommentSource['comments'],
  items: readonly Span[],
  enclosingTop: (off: number) => { start: number; end: number } | undefined,
  /** Text that may come before a comment on its line and still leave it a comment of its own (`- ` in YAML lists). */
  lead = /^\s*$/,
): CommentSource {
  const lines = doc.lines;
  const lineOf = (off: number): number => lines.position(off).line;
  const byLine = new Map<number, { endLine: number; block: boolean }>();
  // A later item starting on the same line wins (a container on its object's line, in a one-line manifest).
  for (const it of items) byLine.set(lineOf(it.start), { endLine: lineOf(it.end), block: true });
  return {
    text: doc.text,
    comments,
    lineCount: lines.lineCount,
    lineOf,
    lineText: (line) => lines.lineText(line),
    startsLine: (off) => lead.test(doc.text.slice(lines.offset({ line: lineOf(off), character: 0 }), off)),
    itemOnLine: (line) => byLine.get(line),
    enclosingTop,
    firstItem: items.reduce((min, it) => Math.min(min, it.start), Number.POSITIVE_INFINITY),
  };
}

/**
 * A Dockerfile as a {@link CommentSource}: a comment precedes an instruction (its lines, continuations included); a
 * `checkov:skip` comment applies to the whole file, as Checkov reports Dockerfile checks on the file.
 */
function dockerfileCommentSource(doc: DockerfileDoc): CommentSource {
  return documentCommentSource(doc, doc.comments, doc.instructions, () => ({ start: 0, end: doc.text.length }));
}

/** A Compose file as a {@link CommentSource}: a comment precedes a service (all its lines), else the line after it. */
function composeCommentSource(doc: ComposeDoc): CommentSource {
  const services = doc.services.map((s) => s.span);
  return documentCommentSource(doc, doc.comments, services, (off) => services.find((s) => s.start <= off && off <= s.end));
}

/**
 * Kubernetes manifests as a {@link CommentSource}: a comment precedes an object (all its lines) or a container (its
 * list item), else the line after it. Annotations count as the equivalent comments on the whole object:
 * `iso27017.io/ignore: "<rule>[,<rule>] [until=YYYY-MM-DD] -- <reason>"` and Checkov's `checkov.io/skip<N>: <ID>=<reason>`.
 */
function kubernetesCommentSource(doc: KubernetesDoc): CommentSource {
  const lineOf = (off: number): number => doc.lines.position(off).line;
  const items: Span[] = [];
  for (const o of doc.objects) {
    items.push(o.span);
    for (const c of o.containers) if (c.node.range) items.push({ start: c.node.range[0], end: c.node.range[1] });
  }
  const comments: Array<CommentSource['comments'][number]> = [...doc.comments];
  for (const o of doc.objects) {
    const covers = { fromLine: lineOf(o.span.start), toLine: lineOf(o.span.end) };
    for (const [key, a] of o.annotations) {
      if (key === 'iso27017.io/ignore') comments.push({ start: a.span.start, end: a.span.end, text: `iso27017:ignore ${a.value}`, covers });
      const ck = /^checkov\.io\/skip\d*$/.exec(key) && /^\s*([A-Za-z0-9_]+)\s*(?:=\s*(.*))?$/.exec(a.value);
      if (ck) comments.push({ start: a.span.start, end: a.span.end, text: `checkov:skip=${ck[1]}${ck[2] ? `:${ck[2]}` : ''}`, covers });
    }
  }
  comments.sort((a, b) => a.start - b.start);
  const enclosingTop = (off: number): Span | undefined => doc.objects.find((x) => x.span.start <= off && off <= x.span.end)?.span;
  return documentCommentSource(doc, comments, items, enclosingTop, /^\s*(-\s*)?$/);
}

/**
 * For a resource in installed module code: where in the user's code to report what was found at `at`, and the
 * installed module that brings it in. That is the module call in the user's code that leads to the resource (the
 * first call, going up, whose block is not itself in installed code): the input of that call that sets the value, when
 * the value found comes from one variable passed down from there (`acl = var.acl` in the module,
 * `acl = "public-read"` in the call), else the call's header.
 */
function installedCallSite(
  res: TfResource,
  at: { file: string; span: Span },
  astOf: (file: string) => HclFile | undefined,
): { file: string; span: Span; installed: InstalledModule | undefined } | undefined {
  let m = res instanceof ResourceInstance ? res.moduleInstance : undefined;
  let installed: InstalledModule | undefined;
  let traced: { file: string; span: Span } | undefined = at;
  while (m?.callSite) {
    if (m.installed) installed = m.installed;
    const { file, block } = m.callSite;
    // Follow the value up one call: the only variable its attribute reads, as an input of this call.
    const ast: HclFile | undefined = traced ? astOf(traced.file) : undefined;
    const name: string | undefined = ast && traced ? soleVariable(ast.body, traced.span) : undefined;
    const input: Attribute | undefined = name === undefined ? undefined : block.body.items.find((i): i is Attribute => i.kind === 'attribute' && i.name === name);
    traced = input ? { file, span: { start: input.expr.start, end: input.expr.end } } : undefined;
    if (!isInstalledModulePath(file)) {
      if (traced) return { ...traced, installed };
      const last = block.labels[block.labels.length - 1];
      return { file, span: { start: block.start, end: last ? last.end : block.typeSpan.end }, installed };
    }
    m = m.parent;
  }
  return undefined;
}

/** The one input variable (`var.<name>`) read by the innermost attribute around `span`, if exactly one is. */
function soleVariable(body: Body, span: Span): string | undefined {
  for (const it of body.items) {
    if (it.start > span.start || span.end > it.end) continue;
    if (it.kind === 'block') return soleVariable(it.body, span);
    const names = new Set<string>();
    collectVariables(it.expr, names);
    return names.size === 1 ? [...names][0] : undefined;
  }
  return undefined;
}

/** Adds the names of the `var.<name>` references in an expression (any depth) to `out`. */
function collectVariables(node: unknown, out: Set<string>): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const n of node) collectVariables(n, out);
    return;
  }
  const n = node as { kind?: string; object?: { kind?: string; name?: string }; name?: string };
  if (n.kind === 'getattr' && n.object?.kind === 'variable' && n.object.name === 'var' && typeof n.name === 'string') {
    out.add(n.name);
    return;
  }
  for (const v of Object.values(node)) if (v !== null && typeof v === 'object') collectVariables(v, out);
}

/**
 * Reads `terraform init`'s module manifest: `{"Modules": [{"Key": "vpc", "Source": "…", "Version": "…", "Dir":
 * ".terraform/modules/vpc"}, …]}`, `Dir` relative to the root module. Null when it is not such a document.
 */
export function parseModuleManifest(rootDir: string, text: string): Map<string, InstalledModule> | null {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return null;
  }
  const list = (doc as { Modules?: unknown } | null)?.Modules;
  if (!Array.isArray(list)) return null;
  const out = new Map<string, InstalledModule>();
  for (const m of list as Array<Record<string, unknown>>) {
    if (!m || typeof m.Key !== 'string' || m.Key === '' || typeof m.Dir !== 'string' || m.Dir === '') continue;
    const dir = normalisePath(m.Dir);
    const entry: InstalledModule = {
      dir: /^(\/|[A-Za-z]:\/)/.test(dir) ? dir : joinPath(rootDir, dir),
      source: typeof m.Source === 'string' ? m.Source : '',
    };
    if (typeof m.Version === 'string' && m.Version !== '') entry.version = m.Version;
    out.set(m.Key, entry);
  }
  return out;
}

function moduleSourceLiteral(b: Block): string | undefined {
  for (const it of b.body.items) {
    if (it.kind === 'attribute' && it.name === 'source' && it.expr.kind === 'template' && it.expr.parts.length === 1 && it.expr.parts[0]!.kind === 'text') {
      return it.expr.parts[0]!.value;
    }
  }
  return undefined;
}
