// The fixer toolkit rules use to attach fixes to findings, and the pure helpers that pick and apply fixes
// (for fix-all in the editor, the CLI's `fix` and the fixture tests). No I/O: texts in, texts out.

import type { Attribute, Block, BodyItem, Expr, Span, TupleExpr } from '../documents/terraform/ast';
import { applyOffsetEdits, hcl, HclSource, type NewItem, type OffsetEdit } from '../documents/terraform/edit';
import { LineMap } from './lines';
import type { Fix, Finding, TextEdit } from './types';

export { hcl, type NewItem };

/** An offset edit in a named file: what the toolkit produces; the engine turns it into a {@link TextEdit}. */
export interface FileEdit extends OffsetEdit {
  file: string;
}

/** A fix as a rule builds it (offsets); see {@link Fix}. */
export interface FixSpec {
  title: string;
  edits: FileEdit[];
  isPreferred?: boolean;
  placeholder?: boolean;
}

/** Anything that has a block in a file: a resource or a nested block view. */
export interface BlockRef {
  readonly file: string;
  readonly block: Block;
}

/**
 * True for a value written out as a constant: a number, bool, null, a string without interpolation, or a
 * list/object of those. Fixes only overwrite such values: replacing a reference (`var.x`, `local.y`) with a
 * constant would silently change what other callers or environments pass in, so that is left to the user.
 */
export function isConstantExpr(e: Expr): boolean {
  switch (e.kind) {
    case 'literal':
      return true;
    case 'template':
    case 'heredoc':
      return e.parts.every((p) => p.kind === 'text');
    case 'tuple':
      return e.items.every(isConstantExpr);
    case 'object':
      return e.items.every((it) => it.keyName !== undefined && isConstantExpr(it.value));
    case 'unary':
      return e.op === '-' && e.operand.kind === 'literal';
    case 'paren':
      return isConstantExpr(e.expr);
    default:
      return false;
  }
}

/** The text marking a value the user must choose, e.g. `"REPLACE_ME: ARN of a customer-managed KMS key"`. */
export function placeholder(what: string): string {
  return hcl.str(`REPLACE_ME: ${what}`);
}

/**
 * Builds fixes on the syntax tree and text of the files the engine holds. Every method returns `undefined`
 * when the edit cannot be made safely (half-typed block, unknown file); {@link fix} then offers no fix.
 */
export class TerraformFixer {
  constructor(private readonly sourceOf: (file: string) => HclSource | undefined) {}

  /** The layout-aware source of a file. */
  source(file: string): HclSource | undefined {
    return this.sourceOf(file);
  }

  private at(file: string, e: OffsetEdit | undefined): FileEdit | undefined {
    return e ? { file, ...e } : undefined;
  }

  /**
   * Writes `name = value` directly in a block: replaces the value when the attribute is written as a constant,
   * else inserts it. A value written as a reference or expression is not overwritten (see {@link isConstantExpr}).
   */
  set(ref: BlockRef, name: string, value: string): FileEdit | undefined {
    const src = this.sourceOf(ref.file);
    if (!src) return undefined;
    const existing = ref.block.body.items.find((it): it is Attribute => it.kind === 'attribute' && it.name === name);
    if (existing) return isConstantExpr(existing.expr) ? this.at(ref.file, src.setValue(existing, value)) : undefined;
    return this.at(ref.file, src.insert(ref.block, [hcl.attr(name, value)]));
  }

  /** Replaces the value written at `span` (an attribute value or object item value), when it is a constant. */
  replaceValue(file: string, span: Span, value: string): FileEdit | undefined {
    const e = this.exprAt(file, span);
    return e && isConstantExpr(e) ? { file, start: e.start, end: e.end, newText: value } : undefined;
  }

  /** Writes several attributes in one edit (inserted together, aligned); attributes already written are replaced instead. */
  setAll(ref: BlockRef, attrs: ReadonlyArray<readonly [string, string]>): FileEdit[] | undefined {
    const src = this.sourceOf(ref.file);
    if (!src) return undefined;
    const out: FileEdit[] = [];
    const missing: NewItem[] = [];
    for (const [name, value] of attrs) {
      const existing = ref.block.body.items.find((it): it is Attribute => it.kind === 'attribute' && it.name === name);
      if (existing && !isConstantExpr(existing.expr)) return undefined;
      if (existing) out.push({ file: ref.file, ...src.setValue(existing, value) });
      else missing.push(hcl.attr(name, value));
    }
    if (missing.length > 0) {
      const e = src.insert(ref.block, missing);
      if (!e) return undefined;
      out.push({ file: ref.file, ...e });
    }
    return out;
  }

  /**
   * Writes a value at a dotted path of nested blocks (`point_in_time_recovery.enabled`): the first block of
   * each type is followed; the blocks that do not exist yet are added around the attribute.
   */
  setPath(ref: BlockRef, path: string, value: string): FileEdit | undefined {
    const steps = path.split('.');
    let block = ref.block;
    for (let i = 0; i < steps.length - 1; i++) {
      const step = steps[i]!;
      const next = block.body.items.find((it): it is Block => it.kind === 'block' && it.type === step);
      if (!next) {
        let item: NewItem = hcl.attr(steps[steps.length - 1]!, value);
        for (let k = steps.length - 2; k >= i; k--) item = hcl.block(steps[k]!, [item]);
        return this.insert({ file: ref.file, block }, [item]);
      }
      block = next;
    }
    return this.set({ file: ref.file, block }, steps[steps.length - 1]!, value);
  }

  /** Inserts attributes and/or nested blocks into a block (layout rules in {@link HclSource.insert}). */
  insert(ref: BlockRef, items: NewItem[]): FileEdit | undefined {
    const src = this.sourceOf(ref.file);
    return src ? this.at(ref.file, src.insert(ref.block, items)) : undefined;
  }

  /** Adds a top-level block (a companion resource) after `anchor`. */
  addAfter(anchor: BlockRef, item: NewItem): FileEdit | undefined {
    const src = this.sourceOf(anchor.file);
    return src ? this.at(anchor.file, src.insertAfter(anchor.block, item)) : undefined;
  }

  /** Replaces an attribute or nested block with a new item. */
  replaceItem(file: string, item: BodyItem, next: NewItem): FileEdit | undefined {
    const src = this.sourceOf(file);
    return src ? this.at(file, src.replaceItem(item, next)) : undefined;
  }

  /** Removes an attribute or nested block. */
  remove(file: string, item: BodyItem): FileEdit | undefined {
    const src = this.sourceOf(file);
    return src ? this.at(file, src.remove(item)) : undefined;
  }

  /** Removes one element of a tuple literal. */
  removeElement(file: string, tuple: TupleExpr, index: number): FileEdit | undefined {
    const src = this.sourceOf(file);
    return src ? this.at(file, src.removeElement(tuple, index)) : undefined;
  }

  /** Replaces a span of a file. */
  replace(file: string, span: Span, newText: string): FileEdit | undefined {
    return this.sourceOf(file) ? { file, start: span.start, end: span.end, newText } : undefined;
  }

  /** The expression written exactly at `span` (an attribute value, an object item's value, a list element). */
  exprAt(file: string, span: Span): Expr | undefined {
    return this.sourceOf(file)?.exprAt(span);
  }

  /** A fix from edits; `undefined` when any edit could not be made (so no half fix is ever offered). */
  fix(title: string, edits: ReadonlyArray<FileEdit | undefined> | FileEdit | undefined, opts: { isPreferred?: boolean; placeholder?: boolean } = {}): FixSpec | undefined {
    const list = Array.isArray(edits) ? edits : [edits];
    if (list.length === 0 || list.some((e) => e === undefined)) return undefined;
    const spec: FixSpec = { title, edits: list as FileEdit[] };
    if (opts.isPreferred !== undefined) spec.isPreferred = opts.isPreferred;
    if (opts.placeholder) spec.placeholder = true;
    return spec;
  }
}

// ---------------------------------------------------------------------------------------------
// Choosing and applying fixes

function overlaps(a: TextEdit, b: TextEdit, lines: LineMap): boolean {
  if (a.file !== b.file) return false;
  const as = lines.offset(a.range.start);
  const ae = lines.offset(a.range.end);
  const bs = lines.offset(b.range.start);
  const be = lines.offset(b.range.end);
  if (as === bs && ae === be && a.newText === b.newText) return false; // the same edit twice
  if (as === ae && bs === be) return false; // two insertions at one point both apply, in order
  if (as === ae) return bs < as && as < be;
  if (bs === be) return as < bs && bs < ae;
  return as < be && bs < ae;
}

function sameEdit(a: TextEdit, b: TextEdit): boolean {
  return a.file === b.file && a.newText === b.newText && a.range.start.line === b.range.start.line && a.range.start.character === b.range.start.character && a.range.end.line === b.range.end.line && a.range.end.character === b.range.end.character;
}

/**
 * Picks fixes that can be applied together: in order, each fix whose edits overlap an already chosen one is
 * skipped (a later pass over the fixed text offers it again). Identical edits of two fixes count once.
 * `texts` gives the current text of each file the edits touch; fixes for files without text are skipped.
 */
export function selectFixes(fixes: readonly Fix[], texts: (file: string) => string | undefined): { chosen: Fix[]; edits: TextEdit[] } {
  const maps = new Map<string, LineMap>();
  const mapOf = (file: string): LineMap | undefined => {
    let m = maps.get(file);
    if (!m) {
      const t = texts(file);
      if (t === undefined) return undefined;
      maps.set(file, (m = new LineMap(t)));
    }
    return m;
  };
  const chosen: Fix[] = [];
  const edits: TextEdit[] = [];
  for (const f of fixes) {
    if (f.edits.some((e) => !mapOf(e.file))) continue;
    const fresh = f.edits.filter((e) => !edits.some((x) => sameEdit(x, e)));
    if (fresh.some((e) => edits.some((x) => overlaps(e, x, mapOf(e.file)!)))) continue;
    // Edits of one fix must not overlap each other either.
    if (fresh.some((e, i) => fresh.some((x, j) => i < j && overlaps(e, x, mapOf(e.file)!)))) continue;
    chosen.push(f);
    edits.push(...fresh);
  }
  return { chosen, edits };
}

/** Applies non-overlapping edits of one file to its text. */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = new LineMap(text);
  return applyOffsetEdits(
    text,
    edits.map((e) => ({ start: lines.offset(e.range.start), end: lines.offset(e.range.end), newText: e.newText })),
  );
}

/** Which fixes a fix-all pass applies. */
export interface FixFilter {
  /** Only findings of these rules. */
  rules?: ReadonlySet<string>;
  /** Also fixes that write placeholders (default false: those need the user's choice). */
  placeholders?: boolean;
  /** Only findings in these files. */
  files?: ReadonlySet<string>;
}

/** The fixes of some findings that a filter lets through: per finding, its preferred fix (else its first). */
export function fixesToApply(findings: readonly Finding[], filter: FixFilter = {}): Fix[] {
  const out: Fix[] = [];
  for (const f of findings) {
    if (filter.rules && !filter.rules.has(f.ruleId)) continue;
    if (filter.files && !filter.files.has(f.file)) continue;
    const candidates = f.fixes.filter((x) => filter.placeholders || !x.placeholder);
    const pick = candidates.find((x) => x.isPreferred) ?? candidates[0];
    if (pick) out.push(pick);
  }
  return out;
}

/** What a project needs to offer for {@link fixAll}: analyse, read and replace texts. */
export interface Fixable {
  analyzeAll(): { findings: Finding[] };
  text(path: string): string | undefined;
  setFile(path: string, text: string): void;
}

/**
 * Applies fixes until none is left (at most `maxPasses` passes): each pass analyses, applies every fix that
 * does not overlap another, and feeds the new texts back. Returns the changed files with their new text.
 */
export function fixAll(project: Fixable, filter: FixFilter = {}, maxPasses = 10): { files: Map<string, string>; applied: number; passes: number } {
  const original = new Map<string, string>();
  let applied = 0;
  let passes = 0;
  for (; passes < maxPasses; passes++) {
    const { findings } = project.analyzeAll();
    const { chosen, edits } = selectFixes(fixesToApply(findings, filter), (f) => project.text(f));
    if (chosen.length === 0) break;
    const byFile = new Map<string, TextEdit[]>();
    for (const e of edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
    let changed = false;
    for (const [file, list] of byFile) {
      const before = project.text(file)!;
      const after = applyTextEdits(before, list);
      if (after === before) continue;
      if (!original.has(file)) original.set(file, before);
      project.setFile(file, after);
      changed = true;
    }
    applied += chosen.length;
    if (!changed) break;
  }
  const files = new Map<string, string>();
  for (const [file, before] of original) {
    const now = project.text(file)!;
    if (now !== before) files.set(file, now);
  }
  return { files, applied, passes };
}
