// Suppression comments with governance: our `iso27017:ignore` syntax (reason required, optional expiry), the
// rivals' comments honoured through each rule's `equivalents` (Checkov, tfsec, Trivy, KICS), and a policy that
// forbids suppressing chosen controls or severities. Pure: the date to compare expiries with is passed in.

import type { Block, BodyItem } from '../documents/terraform/ast';
import type { HclSource, OffsetEdit } from '../documents/terraform/edit';
import type { LineMap } from './lines';
import picomatch from 'picomatch';
import type { Finding, Range, RuleMeta, Severity, SuppressedFinding, Suppression, SuppressionSyntax } from './types';

/** Id of the meta rule that reports suppressions that do not count (no reason, unknown rule, expired, not allowed). */
export const INVALID_SUPPRESSION_ID = 'iso27017/invalid-suppression';

/**
 * Metadata of the meta rule. It names no control on purpose: a broken suppression comment is a defect of the
 * project's tooling, not evidence about a cloud control, and mapping it to one (CLD.12.1.5 was considered)
 * would count tooling noise as findings of that control in the catalog and in reports.
 */
export const INVALID_SUPPRESSION_META: RuleMeta = {
  id: INVALID_SUPPRESSION_ID,
  // Suppression comments are read in HCL files only, for now.
  platform: 'terraform',
  title: 'Suppression comments name known rules, give a reason and have not expired',
  severity: 'warning',
  controls: [],
  fixable: false,
  equivalents: {},
  messages: {
    missingReason: 'Suppression "{{comment}}" gives no reason; write "-- <why>" after the rule ids. It suppresses nothing.',
    unknownRule: 'Suppression "{{comment}}" names unknown rule id "{{id}}". It suppresses nothing.',
    noRule: 'Suppression "{{comment}}" names no rule id. It suppresses nothing.',
    badDate: 'Suppression "{{comment}}" has an invalid expiry "{{date}}"; write until=YYYY-MM-DD. It suppresses nothing.',
    expired: 'Suppression "{{comment}}" expired on {{date}}; the findings it covered are reported again.',
    notAllowed: 'Suppression "{{comment}}" is not allowed: the project forbids suppressing {{what}}. It suppresses nothing.',
    misplaced: 'Suppression "{{comment}}" must be at the top of the file, before the first block. It suppresses nothing.',
    detached: 'Suppression "{{comment}}" does not directly precede a block, attribute or line (a blank line follows it). It suppresses nothing.',
  },
  docs: {
    summary:
      'A suppression is an accepted exception to a control. Without a reason nobody can review it, with a misspelt rule id it silently does nothing, and an expired one should be looked at again. Such comments are reported, and they do not suppress.',
  },
};

/** The governance settings for suppressions. */
export interface SuppressionPolicy {
  /** Findings of rules mapped to these controls, or at these (effective) severities, cannot be suppressed. */
  forbid?: { controls?: string[]; severities?: Severity[] };
  /** Our `iso27017:ignore` comments must give a reason after `--` (default true). */
  requireReason?: boolean;
  /** Honour the comments of other tools (Checkov, tfsec, Trivy, KICS) through rule equivalents (default true). */
  honourOtherTools?: boolean;
}

/** What suppression checking needs to know besides the file. */
export interface SuppressionContext {
  /** Every known rule, by id (ids in comments are checked against these; equivalents come from here). */
  rules: ReadonlyMap<string, Pick<RuleMeta, 'id' | 'controls' | 'severity' | 'equivalents'>>;
  /** The effective severity of a rule (after the user's overrides). */
  severityOf(ruleId: string): Severity;
  /** Today, `YYYY-MM-DD`; without it expiries are not checked (the engine has no clock). */
  now?: string;
  policy?: SuppressionPolicy;
}

/** One suppression comment found in a file, before it is judged. */
interface Directive {
  syntax: SuppressionSyntax;
  scope: 'line' | 'block' | 'file';
  ids: string[];
  reason?: string;
  expires?: string;
  /** Comment span. */
  start: number;
  end: number;
  text: string;
  /** Covered lines (zero-based, inclusive); ignored for `file` scope. */
  fromLine: number;
  toLine: number;
  /** Problems found while parsing (message id + data), for our syntax and for rival expiry dates. */
  problem?: { messageId: string; data: Record<string, string> };
  /** Why a rival comment cannot be honoured (attribute filter, other workspace, bad date): it is skipped silently. */
  unsupported?: 'filter' | 'workspace' | 'date';
  /** Which rules the comment names. */
  matches(rule: Pick<RuleMeta, 'id' | 'equivalents'>): boolean;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function validDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i');
}

/**
 * What the suppression parser needs of a file, whatever its format: its comments, its lines and the items (blocks,
 * attributes, instructions) a comment can precede.
 */
export interface CommentSource {
  readonly text: string;
  /**
   * Comments; `text` without the comment marker. `covers` (zero-based lines) is the scope of a suppression that is
   * not a comment (a Kubernetes annotation, turned into the text of the equivalent comment): the whole object.
   */
  readonly comments: ReadonlyArray<{ start: number; end: number; text: string; block?: boolean; covers?: { fromLine: number; toLine: number } }>;
  readonly lineCount: number;
  lineOf(off: number): number;
  lineText(line: number): string;
  /** True when only blanks come before `off` on its line. */
  startsLine(off: number): boolean;
  /** The item that starts on a line: its last line, and whether it is a block (a resource, an instruction). */
  itemOnLine(line: number): { endLine: number; block: boolean } | undefined;
  /** The top-level item around an offset, which a `checkov:skip` comment inside it applies to. */
  enclosingTop(off: number): { start: number; end: number } | undefined;
  /** Where the first item starts: file-level comments come before it. */
  readonly firstItem: number;
}

/** A Terraform file as a {@link CommentSource}. */
export function hclCommentSource(src: HclSource): CommentSource {
  // For every line, the outermost block or attribute that starts on it.
  const byLine = new Map<number, BodyItem>();
  const visit = (items: readonly BodyItem[]): void => {
    for (const it of items) {
      const line = src.lineOf(it.start);
      if (!byLine.has(line)) byLine.set(line, it);
      if (it.kind === 'block') visit(it.body.items);
    }
  };
  visit(src.ast.body.items);
  return {
    text: src.text,
    comments: src.ast.comments,
    get lineCount() {
      return src.lineCount;
    },
    lineOf: (off) => src.lineOf(off),
    lineText: (line) => src.lineText(line),
    startsLine: (off) => src.startsLine(off),
    itemOnLine: (line) => {
      const it = byLine.get(line);
      return it ? { endLine: src.lineOf(it.end), block: it.kind === 'block' } : undefined;
    },
    enclosingTop: (off) => enclosingTopBlock(src, off),
    firstItem: src.ast.body.items[0]?.start ?? Number.POSITIVE_INFINITY,
  };
}

/** The top-level block that contains an offset. */
function enclosingTopBlock(src: HclSource, off: number): Block | undefined {
  for (const it of src.ast.body.items) if (it.kind === 'block' && it.start <= off && off <= it.end) return it;
  return undefined;
}

const COMMENT_LINE = /^\s*(#|\/\/|\/\*)/;

/**
 * The lines a comment on its own line covers: the block or attribute on the next line that is not a comment
 * (several suppression comments may stack), or that line alone. Undefined when a blank line comes first.
 */
function targetOf(src: CommentSource, commentEnd: number): [number, number, boolean] | undefined {
  let line = src.lineOf(commentEnd) + 1;
  while (line < src.lineCount) {
    const t = src.lineText(line);
    if (t.trim() === '') return undefined;
    if (!COMMENT_LINE.test(t)) break;
    line++;
  }
  if (line >= src.lineCount) return undefined;
  const item = src.itemOnLine(line);
  return item ? [line, item.endLine, item.block] : [line, line, false];
}

/** Parses every suppression comment of a file. */
export function parseDirectives(src: CommentSource): Directive[] {
  const out: Directive[] = [];
  const firstItem = src.firstItem;
  for (const c of src.comments) {
    if (c.block) continue;
    const text = c.text.trim();
    const trailing = !src.startsLine(c.start);
    const line = src.lineOf(c.start);
    const base = { start: c.start, end: c.end, text };
    /** Scope of a comment that targets what follows it (or its own line when trailing). */
    const follow = (): { scope: 'line' | 'block'; fromLine: number; toLine: number } | undefined => {
      if (c.covers) return { scope: 'block', ...c.covers };
      if (trailing) return { scope: 'line', fromLine: line, toLine: line };
      const t = targetOf(src, c.end);
      return t ? { scope: t[2] ? 'block' : 'line', fromLine: t[0], toLine: t[1] } : undefined;
    };

    // Ours: iso27017:ignore[-file] <id>[,<id>…] [until=YYYY-MM-DD] -- <reason>
    const ours = /^iso27017:ignore(-file)?(?=\s|$)(.*)$/.exec(text);
    if (ours) {
      const fileLevel = ours[1] !== undefined;
      const rest = ours[2]!;
      const sep = rest.search(/(^|\s)--(\s|$)/);
      const head = sep >= 0 ? rest.slice(0, sep) : rest;
      const reason = sep >= 0 ? rest.slice(sep).replace(/^\s*--/, '').trim() : '';
      const tokens = head.replace(/\s*,\s*/g, ',').trim().split(/\s+/).filter(Boolean);
      const ids: string[] = [];
      let expires: string | undefined;
      let problem: Directive['problem'];
      for (const tok of tokens) {
        const until = /^until=(.*)$/.exec(tok);
        if (until) {
          expires = until[1]!;
          if (!validDate(expires)) problem ??= { messageId: 'badDate', data: { date: expires } };
        } else ids.push(...tok.split(',').filter(Boolean));
      }
      if (ids.length === 0) problem ??= { messageId: 'noRule', data: {} };
      const d: Directive = {
        ...base,
        syntax: 'iso27017',
        scope: 'file',
        ids,
        fromLine: 0,
        toLine: 0,
        matches: (r) => ids.includes(r.id),
      };
      if (reason) d.reason = reason;
      if (expires !== undefined) d.expires = expires;
      if (fileLevel) {
        if (c.start > firstItem) problem ??= { messageId: 'misplaced', data: {} };
      } else {
        const f = follow();
        if (f) Object.assign(d, f);
        else problem ??= { messageId: 'detached', data: {} };
      }
      if (problem) d.problem = problem;
      out.push(d);
      continue;
    }

    // Checkov: checkov:skip=<ID>[:<reason>], anywhere inside the resource it applies to.
    const ck = /^checkov:skip=\s*([A-Za-z0-9_]+)\s*(?::(.*))?$/.exec(text);
    if (ck) {
      const block = src.enclosingTop(c.start);
      if (!block) continue;
      const id = ck[1]!;
      const d: Directive = {
        ...base,
        syntax: 'checkov',
        scope: 'block',
        ids: [id],
        fromLine: src.lineOf(block.start),
        toLine: src.lineOf(block.end),
        matches: (r) => (r.equivalents.checkov ?? []).includes(id),
      };
      if (ck[2]?.trim()) d.reason = ck[2].trim();
      out.push(d);
      continue;
    }

    // tfsec / Trivy: several `tfsec:ignore:<id>[:exp:YYYY-MM-DD][:ws:<workspace>]` per comment.
    const rivals = [...text.matchAll(/(?:^|[\s#])(tfsec|trivy):ignore:([^\s#]+)/g)];
    if (rivals.length > 0) {
      const f = follow();
      if (!f) continue;
      for (const m of rivals) {
        const parts = m[2]!.split(':');
        const id = parts[0]!;
        const d: Directive = {
          ...base,
          syntax: m[1] as 'tfsec' | 'trivy',
          ...f,
          ids: [id],
          matches: () => false,
        };
        for (let i = 1; i + 1 < parts.length; i += 2) {
          if (parts[i] === 'exp') {
            d.expires = parts[i + 1]!;
            if (!validDate(d.expires)) d.unsupported ??= 'date';
          } else if (parts[i] === 'ws' && parts[i + 1] !== '*' && parts[i + 1] !== 'default') d.unsupported ??= 'workspace';
        }
        // Attribute filters (`id[from_port=22]`) cannot be judged on our findings: such a comment is not honoured.
        if (id.includes('[')) d.unsupported = 'filter';
        const re = globToRegExp(id);
        d.matches = (r) => (r.equivalents.trivy ?? []).some((x) => re.test(x));
        out.push(d);
      }
      continue;
    }

    // KICS: kics-scan ignore-line | ignore-block | ignore | disable=<uuid>,…
    const kics = /^kics-scan\s+(ignore-line|ignore-block|ignore|disable=([\w,-]+))\s*$/.exec(text);
    if (kics) {
      const cmd = kics[1]!;
      const hasKics = (r: Pick<RuleMeta, 'equivalents'>): boolean => (r.equivalents.kics ?? []).length > 0;
      if (cmd === 'ignore-line') {
        if (trailing) continue;
        out.push({ ...base, syntax: 'kics', scope: 'line', ids: [], fromLine: line + 1, toLine: line + 1, matches: hasKics });
      } else if (cmd === 'ignore-block') {
        const f = trailing ? undefined : follow();
        if (f) out.push({ ...base, syntax: 'kics', ...f, ids: [], matches: hasKics });
      } else if (c.start < firstItem) {
        const uuids = kics[2] ? kics[2].split(',').filter(Boolean) : [];
        out.push({
          ...base,
          syntax: 'kics',
          scope: 'file',
          ids: uuids,
          fromLine: 0,
          toLine: 0,
          matches: uuids.length > 0 ? (r) => (r.equivalents.kics ?? []).some((x) => uuids.includes(x)) : hasKics,
        });
      }
    }
  }
  return out;
}

/**
 * Why a suppression comment of another tool counts for nothing here although nothing is wrong with it: the
 * codes of {@link SuppressionComment.problem} when its status is `ignored`, with their message templates.
 */
export const IGNORED_SUPPRESSION_MESSAGES: Readonly<Record<'otherToolsOff' | 'filter' | 'workspace' | 'date' | 'noEquivalent', string>> = {
  otherToolsOff: 'Comments of other tools are not honoured in this project; "{{comment}}" suppresses nothing.',
  filter: 'The attribute filter of "{{comment}}" cannot be judged on iso27017 findings; it suppresses nothing here.',
  workspace: '"{{comment}}" applies to another Terraform workspace only; it suppresses nothing here.',
  date: '"{{comment}}" has an invalid expiry date; it suppresses nothing here.',
  noEquivalent: 'No iso27017 rule is the same check as {{ids}}; "{{comment}}" only matters to {{tool}}.',
};

/** One suppression comment of a file with the engine's verdict on it, for views and reports. */
export interface SuppressionComment extends Suppression {
  /**
   * `valid`: it counts (whether or not it silences a finding right now); `invalid`: it names no known rule, gives
   * no reason, has expired, is misplaced or is forbidden by the policy, and suppresses nothing (ours are reported
   * as {@link INVALID_SUPPRESSION_ID}); `ignored`: another tool's comment that the engine does not honour here.
   */
  status: 'valid' | 'invalid' | 'ignored';
  /**
   * Why it is not valid: a messageId of {@link INVALID_SUPPRESSION_META} (`invalid`) or a key of
   * {@link IGNORED_SUPPRESSION_MESSAGES} (`ignored`), with the rendered message.
   */
  problem?: { code: string; message: string };
  /**
   * Ids of the rules the comment applies to: the ids it names (ours, known or not), the rules whose equivalents
   * it names (other tools), or, for KICS comments without ids, the rules of the findings it silenced.
   */
  rules: string[];
  /** The findings it silenced, in the order of the findings given. */
  suppressed: Finding[];
}

/** The result of judging one file's suppressions against its findings. */
export interface FileSuppressions {
  kept: Finding[];
  suppressed: SuppressedFinding[];
  /** Findings of the meta rule about suppressions that do not count. */
  invalid: Finding[];
  /** Every suppression comment of the file, in source order, with its verdict (also when the meta rule is off). */
  comments: SuppressionComment[];
}

function forbiddenWhat(rule: Pick<RuleMeta, 'id' | 'controls'>, severity: Severity, policy: SuppressionPolicy | undefined): string | undefined {
  const controls = (policy?.forbid?.controls ?? []).filter((c) => rule.controls.includes(c));
  if (controls.length > 0) return `findings of control ${controls.join(', ')} (${rule.id})`;
  if ((policy?.forbid?.severities ?? []).includes(severity)) return `${severity} findings (${rule.id})`;
  return undefined;
}

function render(template: string, data: Record<string, string>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_m, k: string) => data[k] ?? '');
}

const TOOL_NAME: Record<SuppressionSyntax, string> = { iso27017: 'iso27017', checkov: 'Checkov', tfsec: 'tfsec', trivy: 'Trivy', kics: 'KICS' };

/**
 * Splits one file's findings into kept and suppressed, and reports the suppression comments that do not count.
 * `invalidSeverity` is the meta rule's effective severity, or `off` to report nothing.
 */
export function applySuppressions(
  file: string,
  src: CommentSource,
  lines: LineMap,
  findings: readonly Finding[],
  ctx: SuppressionContext,
  invalidSeverity: Severity | 'off' = 'warning',
): FileSuppressions {
  const directives = parseDirectives(src);
  const result: FileSuppressions = { kept: [], suppressed: [], invalid: [], comments: [] };
  if (directives.length === 0) {
    result.kept = [...findings];
    return result;
  }
  const requireReason = ctx.policy?.requireReason ?? true;
  const honourOthers = ctx.policy?.honourOtherTools ?? true;
  const expired = (d: Directive): boolean => d.expires !== undefined && ctx.now !== undefined && validDate(d.expires) && ctx.now > d.expires;
  const shortText = (d: Directive): string => (d.text.length > 80 ? `${d.text.slice(0, 77)}…` : d.text);

  const comments = new Map<Directive, SuppressionComment>();
  for (const d of directives) {
    const c: SuppressionComment = { syntax: d.syntax, scope: d.scope, ids: [...d.ids], file, range: lines.range(d.start, d.end), text: d.text, status: 'valid', rules: [], suppressed: [] };
    if (d.reason) c.reason = d.reason;
    if (d.expires) c.expires = d.expires;
    comments.set(d, c);
    result.comments.push(c);
  }
  /** Records the first reason why a comment does not count. */
  const judge = (d: Directive, status: 'invalid' | 'ignored', code: string, template: string, data: Record<string, string> = {}): void => {
    const c = comments.get(d)!;
    if (c.status !== 'valid') return;
    c.status = status;
    c.problem = { code, message: render(template, { comment: shortText(d), ...data }) };
  };

  const reported = new Set<Directive>();
  const report = (d: Directive, messageId: string, data: Record<string, string> = {}): void => {
    const template = INVALID_SUPPRESSION_META.messages[messageId] ?? messageId;
    judge(d, 'invalid', messageId, template, data);
    if (reported.has(d) || invalidSeverity === 'off') return;
    reported.add(d);
    result.invalid.push({
      ruleId: INVALID_SUPPRESSION_ID,
      messageId,
      severity: invalidSeverity,
      message: render(template, { comment: shortText(d), ...data }),
      file,
      range: lines.range(d.start, d.end),
      controls: [],
      equivalents: {},
      fixable: false,
      related: [],
      fixes: [],
    });
  };

  // Our own comments are judged up front, whether or not they match a finding; so are the rivals' dates.
  const valid = new Set<Directive>();
  for (const d of directives) {
    const c = comments.get(d)!;
    if (d.syntax !== 'iso27017') {
      if (d.ids.length > 0) c.rules = [...ctx.rules.values()].filter((r) => d.matches(r)).map((r) => r.id);
      if (!honourOthers) judge(d, 'ignored', 'otherToolsOff', IGNORED_SUPPRESSION_MESSAGES.otherToolsOff);
      else if (d.unsupported) judge(d, 'ignored', d.unsupported, IGNORED_SUPPRESSION_MESSAGES[d.unsupported]);
      else {
        valid.add(d);
        // Reported only when it meets a finding (below); the verdict says so now.
        if (expired(d)) judge(d, 'invalid', 'expired', INVALID_SUPPRESSION_META.messages.expired!, { date: d.expires! });
        else if (d.ids.length > 0 && c.rules.length === 0) {
          judge(d, 'ignored', 'noEquivalent', IGNORED_SUPPRESSION_MESSAGES.noEquivalent, { ids: d.ids.join(', '), tool: TOOL_NAME[d.syntax] });
        }
      }
      continue;
    }
    c.rules = [...d.ids];
    if (d.problem) {
      report(d, d.problem.messageId, d.problem.data);
      continue;
    }
    const unknown = d.ids.find((id) => !ctx.rules.has(id));
    if (unknown) {
      report(d, 'unknownRule', { id: unknown });
      continue;
    }
    if (!d.reason && requireReason) {
      report(d, 'missingReason');
      continue;
    }
    const forbidden = d.ids.map((id) => forbiddenWhat(ctx.rules.get(id)!, ctx.severityOf(id), ctx.policy)).find((x) => x !== undefined);
    if (forbidden) {
      report(d, 'notAllowed', { what: forbidden });
      continue;
    }
    if (expired(d)) {
      report(d, 'expired', { date: d.expires! });
      continue;
    }
    valid.add(d);
  }

  // Ours first, then the rivals, each in source order.
  const ordered = [...valid].sort((a, b) => (a.syntax === 'iso27017' ? 0 : 1) - (b.syntax === 'iso27017' ? 0 : 1) || a.start - b.start);
  for (const f of findings) {
    const rule = ctx.rules.get(f.ruleId);
    const line = f.range.start.line;
    let by: Directive | undefined;
    if (rule) {
      for (const d of ordered) {
        if (d.scope !== 'file' && (line < d.fromLine || line > d.toLine)) continue;
        if (!d.matches(rule)) continue;
        if (d.syntax !== 'iso27017') {
          // A rival comment is judged when it meets one of our findings.
          if (expired(d)) {
            report(d, 'expired', { date: d.expires! });
            continue;
          }
          const forbidden = forbiddenWhat(rule, f.severity, ctx.policy);
          if (forbidden) {
            report(d, 'notAllowed', { what: forbidden });
            continue;
          }
        } else if (forbiddenWhat(rule, f.severity, ctx.policy)) continue;
        by = d;
        break;
      }
    }
    if (!by) {
      result.kept.push(f);
      continue;
    }
    const s: Suppression = { syntax: by.syntax, scope: by.scope, ids: [...by.ids], file, range: lines.range(by.start, by.end), text: by.text };
    if (by.reason) s.reason = by.reason;
    if (by.expires) s.expires = by.expires;
    result.suppressed.push({ finding: f, suppression: s });
    const c = comments.get(by)!;
    c.suppressed.push(f);
    if (by.ids.length === 0 && !c.rules.includes(f.ruleId)) c.rules.push(f.ruleId);
  }
  return result;
}

/**
 * The edit that suppresses `ruleId` for the resource around `offset`: a comment line above the resource's
 * header (or above the line, outside any block). Undefined when the reason is empty.
 */
export function suppressionEdit(src: HclSource, offset: number, ruleId: string, reason: string, until?: string): OffsetEdit | undefined {
  const comment = suppressionComment(ruleId, reason, until);
  if (!comment) return undefined;
  const block = enclosingTopBlock(src, offset);
  const at = src.lineStart(block ? block.start : offset);
  const indent = src.indentAt(at);
  return { start: at, end: at, newText: `${indent}${comment}${src.eol}` };
}

/** The text of a suppression comment (`# iso27017:ignore <rule> [until=…] -- <reason>`); undefined when invalid. */
export function suppressionComment(ruleId: string, reason: string, until?: string): string | undefined {
  const why = reason.replace(/[\r\n]+/g, ' ').trim();
  if (!why || !/^[\w./-]+$/.test(ruleId)) return undefined;
  if (until !== undefined && !validDate(until)) return undefined;
  return `# iso27017:ignore ${ruleId}${until ? ` until=${until}` : ''} -- ${why}`;
}

// ---- Sidecar suppressions: kept in the repository config (`.iso27017/config.json`) rather than in comments ----

/** One sidecar suppression: findings of `rule` in files matching `path` are accepted, with a reason. */
export interface SidecarEntry {
  rule: string;
  /** A glob relative to {@link SidecarSuppressions.root}; a glob without `/` matches at any depth. */
  path: string;
  reason: string;
  /** `YYYY-MM-DD`: the last day the entry counts. */
  until?: string;
  /** Where the entry is written in {@link SidecarSuppressions.file}. */
  range: Range;
}

/** The sidecar suppressions of one config file. */
export interface SidecarSuppressions {
  /** The folder the globs are relative to (the folder holding `.iso27017/`). */
  root: string;
  /** The config file, which suppressed findings point at. */
  file: string;
  entries: SidecarEntry[];
}

/** Why a sidecar entry does not suppress a finding it matches, or undefined when it does. */
export function sidecarVerdict(entry: SidecarEntry, finding: Finding, ctx: SuppressionContext): 'unknownRule' | 'expired' | 'notAllowed' | undefined {
  const rule = ctx.rules.get(entry.rule);
  if (!rule) return 'unknownRule';
  if (entry.until !== undefined && ctx.now !== undefined && ctx.now > entry.until) return 'expired';
  if (forbiddenWhat(rule, finding.severity, ctx.policy)) return 'notAllowed';
  return undefined;
}

/** A matcher for a sidecar glob on paths relative to the root (a glob without `/` also matches at any depth, as in `.gitignore`). */
export function sidecarMatcher(glob: string): (relPath: string) => boolean {
  const clean = glob.replace(/^\.\//, '').replace(/\/+$/, '');
  const globs = clean.includes('/') ? [clean, `${clean}/**`] : [clean, `**/${clean}`, `${clean}/**`, `**/${clean}/**`];
  return picomatch(globs, { dot: true });
}

/**
 * Applies sidecar suppressions, after the comments: a finding that an entry matches (same rule, path glob) is
 * suppressed unless the entry has expired or the policy forbids suppressing it. Additive: it never brings back
 * a finding a comment silenced.
 */
export function applySidecarSuppressions(findings: readonly Finding[], sidecar: SidecarSuppressions, ctx: SuppressionContext): { kept: Finding[]; suppressed: SuppressedFinding[] } {
  const kept: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  const matchers = sidecar.entries.map((e) => sidecarMatcher(e.path));
  const root = sidecar.root.replace(/\/+$/, '');
  for (const f of findings) {
    const inside = root === '' || root === '/' ? f.file.startsWith('/') : f.file.startsWith(`${root}/`);
    const rel = inside ? f.file.slice(root === '/' ? 1 : root.length + 1) : undefined;
    const i = rel === undefined ? -1 : sidecar.entries.findIndex((e, j) => e.rule === f.ruleId && matchers[j]!(rel) && sidecarVerdict(e, f, ctx) === undefined);
    if (i < 0) {
      kept.push(f);
      continue;
    }
    const e = sidecar.entries[i]!;
    const s: Suppression = { syntax: 'iso27017', scope: 'file', ids: [e.rule], reason: e.reason, file: sidecar.file, range: e.range, text: `sidecar: ${e.rule} in ${e.path} -- ${e.reason}` };
    if (e.until) s.expires = e.until;
    suppressed.push({ finding: f, suppression: s });
  }
  return { kept, suppressed };
}
