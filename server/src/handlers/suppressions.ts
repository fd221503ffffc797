// The suppression requests: the edit that suppresses a finding (applied by the client, after it asked the
// user for a reason), and the list of suppressions (silenced findings, and every comment with its verdict and
// expiry status) for the Suppressions view and reports; plus the tracker behind `iso27017/suppressionsChanged`.

import { LineMap } from '../engine/lines';
import { Project } from '../engine/project';
import { applySuppressions, INVALID_SUPPRESSION_ID, type SuppressionComment, type SuppressionContext } from '../engine/suppressions';
import type { Finding, RuleMeta, SuppressedFinding } from '../engine/types';
import { today as todayOnClock } from '../node/clock';
import {
  SUPPRESSION_EXPIRY_WARNING_DAYS,
  type ListSuppressionsParams,
  type ListSuppressionsResult,
  type SuppressedFindingInfo,
  type SuppressionCommentInfo,
  type SuppressionEditParams,
  type SuppressionEditResult,
  type SuppressionExpiryInfo,
  type SuppressionsChangedParams,
  type WireRange,
} from '../protocol';
import { rules as registry } from '../rules/index';
import { findingToInfo } from './diagnostics';
import { uriToPath } from './paths';
import type { Folder, Workspace } from './workspace';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function suppressionEditFor(ws: Workspace, params: SuppressionEditParams | undefined): SuppressionEditResult {
  if (!params || typeof params.uri !== 'string' || typeof params.ruleId !== 'string' || !params.range?.start) return { error: 'Invalid parameters.' };
  const reason = typeof params.reason === 'string' ? params.reason.trim() : '';
  if (!reason) return { error: 'A suppression needs a reason.' };
  if (params.until !== undefined && (typeof params.until !== 'string' || !DATE.test(params.until))) return { error: 'The expiry must be a date, YYYY-MM-DD.' };
  const path = uriToPath(params.uri);
  const project = path === undefined ? undefined : ws.folderFor(path).project;
  const text = path === undefined ? undefined : project?.text(path);
  if (!project || path === undefined || text === undefined || !Project.isAnalysable(path, text)) return { error: 'The file is not a Terraform file, Dockerfile or Kubernetes manifest the server holds.' };
  const e = project.suppressionEdit(path, params.range.start, params.ruleId, reason, params.until);
  if (!e) return { error: 'The suppression comment could not be written.' };
  const lines = new LineMap(text);
  return { edit: { changes: { [params.uri]: [{ range: lines.range(e.start, e.end), newText: e.newText }] } } };
}

function toInfo(ws: Workspace, uri: string, s: SuppressedFinding): SuppressedFindingInfo {
  const info = findingToInfo(s.finding, (p) => ws.uriFor(p));
  const sup = s.suppression;
  return {
    ...info,
    uri,
    suppression: {
      syntax: sup.syntax,
      scope: sup.scope,
      ids: [...sup.ids],
      ...(sup.reason ? { reason: sup.reason } : {}),
      ...(sup.expires ? { expires: sup.expires } : {}),
      uri: ws.uriFor(sup.file),
      range: sup.range,
      text: sup.text,
    },
  };
}

/** `today` is the date expiries are judged with (default: the server's clock). */
export function listSuppressions(ws: Workspace, params: ListSuppressionsParams | undefined, today = todayOnClock()): ListSuppressionsResult {
  const onlyPath = typeof params?.uri === 'string' ? (uriToPath(params.uri) ?? '') : undefined;
  const suppressed = ws
    .allSuppressed()
    .filter((x) => onlyPath === undefined || x.uri === params?.uri || x.suppressed.finding.file === onlyPath)
    .map((x) => toInfo(ws, x.uri, x.suppressed));
  suppressed.sort(compareByLocation);
  return { suppressed, comments: listSuppressionComments(ws, onlyPath, today), today };
}

// ---- every suppression comment, with its verdict ----

const DAY_MS = 86_400_000;

/** Days from `from` to `to` (both `YYYY-MM-DD`, calendar days, no time zones); undefined when either is not a date. */
export function daysBetween(from: string, to: string): number | undefined {
  const parse = (s: string): number | undefined => {
    if (!DATE.test(s)) return undefined;
    const t = Date.parse(`${s}T00:00:00Z`);
    return Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== s ? undefined : t;
  };
  const a = parse(from);
  const b = parse(to);
  return a === undefined || b === undefined ? undefined : Math.round((b - a) / DAY_MS);
}

/**
 * How an expiry stands on `today`: past the date it has expired (the engine's rule: the date itself is the
 * last day a suppression counts), within `warnDays` it expires soon.
 */
export function expiryStatus(expires: string, today: string, warnDays = SUPPRESSION_EXPIRY_WARNING_DAYS): SuppressionExpiryInfo {
  const daysLeft = daysBetween(today, expires);
  if (daysLeft === undefined) return { status: 'invalid' };
  return { status: daysLeft < 0 ? 'expired' : daysLeft <= warnDays ? 'soon' : 'ok', daysLeft };
}

const knownRules: ReadonlyMap<string, RuleMeta> = new Map(registry.map((r) => [r.meta.id, r.meta]));

/**
 * The suppression comments of one held file with the engine's verdicts. The file's findings before suppression
 * are the published ones (minus the meta rule's) plus the suppressed ones, so judging them again with the
 * folder's settings gives what the analysis decided.
 */
export function suppressionCommentsOf(folder: Folder, path: string, today: string): SuppressionComment[] {
  if (!folder.settings.enable) return [];
  const src = folder.project.commentSource(path);
  if (!src || src.comments.length === 0) return [];
  const settings = folder.settings;
  const findings = [...(folder.findings.get(path) ?? []).filter((f) => f.ruleId !== INVALID_SUPPRESSION_ID), ...(folder.suppressed.get(path) ?? []).map((s) => s.finding)];
  const ctx: SuppressionContext = {
    rules: knownRules,
    severityOf: (id) => {
      const s = settings.rules[id];
      return s && s !== 'off' ? s : (knownRules.get(id)?.severity ?? 'warning');
    },
    now: today,
    ...(settings.suppressions ? { policy: settings.suppressions } : {}),
  };
  const order = (a: Finding, b: Finding): number => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
  return applySuppressions(path, src, new LineMap(src.text), findings, ctx, 'off').comments.map((c) => ({ ...c, suppressed: [...c.suppressed].sort(order) }));
}

/** One comment as the protocol carries it. */
export function commentToInfo(c: SuppressionComment, uriFor: (path: string) => string, today: string): SuppressionCommentInfo {
  const info: SuppressionCommentInfo = {
    syntax: c.syntax,
    scope: c.scope,
    ids: [...c.ids],
    uri: uriFor(c.file),
    range: c.range,
    text: c.text,
    status: c.status,
    rules: [...c.rules],
    findings: c.suppressed.map((f) => findingToInfo(f, uriFor)),
  };
  if (c.reason) info.reason = c.reason;
  if (c.expires) {
    info.expires = c.expires;
    info.expiry = expiryStatus(c.expires, today);
  }
  if (c.problem) info.problem = { ...c.problem };
  return info;
}

/** Every suppression comment (and suppression annotation) of the held files of enabled folders (or of one file), sorted. */
export function listSuppressionComments(ws: Workspace, onlyPath: string | undefined, today: string): SuppressionCommentInfo[] {
  const out: SuppressionCommentInfo[] = [];
  const uriFor = (p: string): string => ws.uriFor(p);
  for (const folder of ws.folderStates()) {
    if (!folder.settings.enable) continue;
    for (const path of onlyPath === undefined ? folder.project.filePaths() : folder.project.hasFile(onlyPath) && ws.folderFor(onlyPath) === folder ? [onlyPath] : []) {
      for (const c of suppressionCommentsOf(folder, path, today)) out.push(commentToInfo(c, uriFor, today));
    }
  }
  return out.sort(compareByLocation);
}

function compareByLocation(a: { uri: string; range: WireRange }, b: { uri: string; range: WireRange }): number {
  return (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}

/** A string that is equal for two comment lists exactly when the Suppressions view would show them the same way. */
export function commentsFingerprint(list: readonly SuppressionCommentInfo[]): string {
  return JSON.stringify(list);
}

/**
 * Notices when what `iso27017/listSuppressions` answers for a file changed, after each analysis that published
 * it, and tells the client once per event-loop turn (`iso27017/suppressionsChanged`). Editing a reason or adding
 * a comment that silences nothing changes no finding, so `iso27017/findingsChanged` alone would miss it.
 */
export class SuppressionsChangeTracker {
  private readonly last = new Map<string, string>();
  private readonly pending = new Set<string>();
  private scheduled = false;
  private disposed = false;

  constructor(
    private readonly ws: () => Workspace | undefined,
    private readonly send: (params: SuppressionsChangedParams) => void,
    private readonly today: () => string = todayOnClock,
    private readonly defer: (fn: () => void) => void = (fn) => void setImmediate(fn),
  ) {}

  /** Records that `uri` was analysed (or cleared); its comments are compared after the current turn. */
  note(uri: string): void {
    if (this.disposed) return;
    this.pending.add(uri);
    if (this.scheduled) return;
    this.scheduled = true;
    this.defer(() => this.flush());
  }

  /** Compares the pending files now and sends one notification for those that changed. */
  flush(): void {
    this.scheduled = false;
    const ws = this.ws();
    if (this.disposed || !ws || this.pending.size === 0) return;
    const day = this.today();
    const changed: string[] = [];
    for (const uri of this.pending) {
      const path = uriToPath(uri);
      const folder = path === undefined ? undefined : ws.folderFor(path);
      const list = folder && path !== undefined && folder.project.hasFile(path) ? suppressionCommentsOf(folder, path, day).map((c) => commentToInfo(c, (p) => ws.uriFor(p), day)) : [];
      const fp = list.length > 0 ? commentsFingerprint(list) : '';
      if ((this.last.get(uri) ?? '') === fp) continue;
      if (fp) this.last.set(uri, fp);
      else this.last.delete(uri);
      changed.push(uri);
    }
    this.pending.clear();
    if (changed.length > 0) this.send({ uris: changed.sort() });
  }

  dispose(): void {
    this.disposed = true;
    this.pending.clear();
    this.last.clear();
  }
}
