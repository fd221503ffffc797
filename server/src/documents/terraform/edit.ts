// Text edits on an HCL file that keep its layout: the syntax tree says where things are, the text says
// how the file is written (line endings, indentation unit, `=` alignment). Pure: text in, offset edits out.
//
// Every function either returns an edit that leaves the file valid HCL or `undefined` (half-typed input, an
// insertion point inside a block comment, …): a fix that cannot be made safely is not offered.

import type { Attribute, Block, BodyItem, Expr, HclFile, Span, TupleExpr } from './ast';

/** Replace `[start, end)` of the file text with `newText`. */
export interface OffsetEdit {
  start: number;
  end: number;
  newText: string;
}

/** Something to write into a body: an attribute (its value as HCL source) or a nested block. */
export type NewItem = { kind: 'attr'; name: string; value: string } | { kind: 'block'; type: string; labels?: string[]; items: NewItem[] };

/** HCL source builders for values, so that rules never hand-quote strings. */
export const hcl = {
  /** A quoted string with `"`, `\`, `${` and `%{` escaped. */
  str(s: string): string {
    return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t').replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{')}"`;
  },
  /** A one-line list of strings. */
  strList(items: readonly string[]): string {
    return `[${items.map((s) => hcl.str(s)).join(', ')}]`;
  },
  attr(name: string, value: string): NewItem {
    return { kind: 'attr', name, value };
  },
  block(type: string, items: NewItem[], labels?: string[]): NewItem {
    return labels ? { kind: 'block', type, labels, items } : { kind: 'block', type, items };
  },
};

const isSpace = (c: number): boolean => c === 32 || c === 9;

/** One file's text and syntax tree, with the layout facts edits need. Build once per file version. */
export class HclSource {
  /** The file's line break (`\r\n` when its first line break is one). */
  readonly eol: string;
  /** One level of indentation as the file writes it (two spaces when nothing tells). */
  readonly unit: string;

  constructor(
    readonly text: string,
    readonly ast: HclFile,
  ) {
    const nl = text.indexOf('\n');
    this.eol = nl > 0 && text.charCodeAt(nl - 1) === 13 ? '\r\n' : '\n';
    this.unit = this.detectUnit();
  }

  private detectUnit(): string {
    const visit = (items: readonly BodyItem[]): string | undefined => {
      for (const it of items) {
        if (it.kind !== 'block' || it.closeBrace < 0) continue;
        const first = it.body.items[0];
        if (first && this.startsLine(first.start) && this.lineOf(first.start) !== this.lineOf(it.start)) {
          const outer = this.indentAt(it.start);
          const inner = this.indentAt(first.start);
          if (inner.length > outer.length && inner.startsWith(outer)) return inner.slice(outer.length);
        }
        const deeper = visit(it.body.items);
        if (deeper) return deeper;
      }
      return undefined;
    };
    return visit(this.ast.body.items) ?? '  ';
  }

  // ---- layout helpers ----

  /** Offset of the start of the line holding `off`. */
  lineStart(off: number): number {
    let i = off;
    while (i > 0) {
      const c = this.text.charCodeAt(i - 1);
      if (c === 10 || c === 13) break;
      i--;
    }
    return i;
  }

  /** Offset of the end of the line holding `off`, before its line break. */
  lineEnd(off: number): number {
    let i = off;
    const n = this.text.length;
    while (i < n) {
      const c = this.text.charCodeAt(i);
      if (c === 10 || c === 13) break;
      i++;
    }
    return i;
  }

  /** Offset just after the line break that ends the line holding `off` (or the end of the text). */
  nextLineStart(off: number): number {
    const e = this.lineEnd(off);
    if (this.text.charCodeAt(e) === 13 && this.text.charCodeAt(e + 1) === 10) return e + 2;
    return e < this.text.length ? e + 1 : e;
  }

  private starts: number[] | undefined;

  /** Zero-based line number of an offset (counting LF, CRLF and CR). */
  lineOf(off: number): number {
    if (!this.starts) {
      const starts = [0];
      const t = this.text;
      for (let i = 0; i < t.length; i++) {
        const c = t.charCodeAt(i);
        if (c === 10 || (c === 13 && t.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
      }
      this.starts = starts;
    }
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= off) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Number of lines of the text. */
  get lineCount(): number {
    this.lineOf(0);
    return this.starts!.length;
  }

  /** Offset of the first character of a line. */
  offsetOfLine(line: number): number {
    this.lineOf(0);
    const s = this.starts!;
    return s[Math.max(0, Math.min(line, s.length - 1))]!;
  }

  /** The text of one line, without its line break. */
  lineText(line: number): string {
    const s = this.offsetOfLine(line);
    return this.text.slice(s, this.lineEnd(s));
  }

  /** The whitespace that starts the line holding `off`. */
  indentAt(off: number): string {
    const s = this.lineStart(off);
    let i = s;
    while (i < this.text.length && isSpace(this.text.charCodeAt(i))) i++;
    return this.text.slice(s, i);
  }

  /** True when only spaces and tabs precede `off` on its line. */
  startsLine(off: number): boolean {
    for (let i = this.lineStart(off); i < off; i++) if (!isSpace(this.text.charCodeAt(i))) return false;
    return true;
  }

  /** True when `off` lies strictly inside a comment (an insertion there would be swallowed by it). */
  insideComment(off: number): boolean {
    return this.ast.comments.some((c) => c.start < off && off < c.end);
  }

  /** The end of a line comment starting at `off` (after spaces), else `off`. */
  private skipTrailingComment(off: number): number {
    let i = off;
    while (i < this.text.length && isSpace(this.text.charCodeAt(i))) i++;
    const c = this.ast.comments.find((x) => x.start === i);
    if (c && this.lineOf(c.end) === this.lineOf(c.start)) return c.end;
    return off;
  }

  // ---- rendering ----

  /**
   * Renders items as lines at `indent`, `terraform fmt` style: consecutive attributes align their `=`.
   * `alignFirst` is the name width of an existing attribute group that the first run of attributes
   * continues; it is used when every name of that run fits.
   */
  render(items: readonly NewItem[], indent: string, alignFirst = 0): string[] {
    const lines: string[] = [];
    let i = 0;
    let first = true;
    while (i < items.length) {
      const it = items[i]!;
      if (it.kind === 'block') {
        const head = `${indent}${it.type}${(it.labels ?? []).map((l) => ` ${hcl.str(l)}`).join('')} {`;
        if (it.items.length === 0) lines.push(`${head}}`);
        else lines.push(head, ...this.render(it.items, indent + this.unit), `${indent}}`);
        i++;
        first = false;
        continue;
      }
      let j = i;
      while (j < items.length && items[j]!.kind === 'attr') j++;
      const run = items.slice(i, j) as Array<{ kind: 'attr'; name: string; value: string }>;
      let width = Math.max(...run.map((a) => a.name.length));
      if (first && alignFirst >= width) width = alignFirst;
      for (const a of run) lines.push(`${indent}${a.name.padEnd(width)} = ${a.value}`);
      i = j;
      first = false;
    }
    return lines;
  }

  /** The name width of the aligned group of one-line attributes that ends with `anchor`, or 0 when it is not aligned. */
  private groupWidth(items: readonly BodyItem[], anchor: number): number {
    const eqCols: number[] = [];
    for (let k = anchor; k >= 0; k--) {
      const it = items[k]!;
      if (it.kind !== 'attribute' || this.lineOf(it.start) !== this.lineOf(it.end)) break;
      if (k < anchor) {
        // As in `terraform fmt`, a line without `=` (blank or a comment) between two attributes ends the group;
        // a comment at the end of the attribute's own line does not.
        const between = this.text.slice(it.end, items[k + 1]!.start).replace(/\r\n?/g, '\n');
        if (between.split('\n').length > 2) break;
      }
      const eq = this.text.indexOf('=', it.nameSpan.end);
      if (eq < 0 || eq > it.expr.start) return 0;
      eqCols.push(eq - it.nameSpan.start);
    }
    if (eqCols.length === 0 || eqCols.some((c) => c !== eqCols[0])) return 0;
    return eqCols[0]! - 1;
  }

  // ---- edits ----

  replace(span: Span, newText: string): OffsetEdit {
    return { start: span.start, end: span.end, newText };
  }

  /** Replaces an attribute's value. */
  setValue(attr: Attribute, value: string): OffsetEdit {
    return { start: attr.expr.start, end: attr.expr.end, newText: value };
  }

  /**
   * Inserts items into a block: attributes after its last attribute (or first in the body), blocks after its
   * last item. One-line blocks (`a { b = 1 }`, `a {}`) are expanded onto several lines. Mixed lists are
   * inserted at the attribute position.
   */
  insert(block: Block, items: readonly NewItem[]): OffsetEdit | undefined {
    if (items.length === 0 || block.openBrace < 0 || block.closeBrace < 0) return undefined;
    const eol = this.eol;
    const blockIndent = this.indentAt(block.start);
    const body = block.body.items;
    if (this.lineOf(block.openBrace) === this.lineOf(block.closeBrace)) {
      // One-line block: `{ … }` becomes a multi-line body. Its text is rewritten anyway, so its attributes (values
      // verbatim) are aligned with the new ones; nested blocks are kept verbatim.
      const inner = blockIndent + this.unit;
      if (this.ast.comments.some((c) => c.start > block.openBrace && c.end < block.closeBrace)) return undefined;
      const existing: NewItem[] = [];
      const verbatim: string[] = [];
      for (const it of body) {
        if (it.kind === 'attribute') existing.push(hcl.attr(it.name, this.text.slice(it.expr.start, it.expr.end)));
        else verbatim.push(`${inner}${this.text.slice(it.start, it.end)}`);
      }
      const attrsFirst = items.filter((it) => it.kind === 'attr');
      const blocksAfter = items.filter((it) => it.kind === 'block');
      const lines = [...this.render([...existing, ...attrsFirst], inner), ...verbatim, ...this.render(blocksAfter, inner)];
      return { start: block.openBrace, end: block.closeBrace + 1, newText: `{${eol}${lines.join(eol)}${eol}${blockIndent}}` };
    }
    const firstLined = body.find((it) => this.startsLine(it.start) && this.lineOf(it.start) !== this.lineOf(block.openBrace));
    const inner = firstLined ? this.indentAt(firstLined.start) : blockIndent + this.unit;
    const onlyBlocks = items.every((it) => it.kind === 'block');
    // Blocks go after the last item; attributes after the last attribute (or first in the body).
    let anchorIndex = body.length - 1;
    if (!onlyBlocks) while (anchorIndex >= 0 && body[anchorIndex]!.kind !== 'attribute') anchorIndex--;
    const anchorEnd = anchorIndex >= 0 ? body[anchorIndex]!.end : block.openBrace + 1;
    const width = anchorIndex >= 0 && !onlyBlocks ? this.groupWidth(body, anchorIndex) : 0;
    const lines = this.render(items, inner, width);
    let at = this.skipTrailingComment(anchorEnd);
    const lineEnd = this.lineEnd(at);
    if (block.closeBrace >= anchorEnd && block.closeBrace < lineEnd) {
      // `x = 1 }`: the closing brace shares the anchor's line; put the new lines before it.
      return { start: block.closeBrace, end: block.closeBrace, newText: `${eol}${lines.join(eol)}${eol}${blockIndent}` };
    }
    at = lineEnd;
    if (this.insideComment(at)) return undefined;
    return { start: at, end: at, newText: `${eol}${lines.join(eol)}` };
  }

  /** Inserts a new top-level block (e.g. a companion resource) after `anchor`, separated by a blank line. */
  insertAfter(anchor: Block, item: NewItem): OffsetEdit | undefined {
    if (anchor.closeBrace < 0) return undefined;
    const at = this.lineEnd(this.skipTrailingComment(anchor.end));
    if (this.insideComment(at)) return undefined;
    const lines = this.render([item], this.indentAt(anchor.start));
    return { start: at, end: at, newText: `${this.eol}${this.eol}${lines.join(this.eol)}` };
  }

  /** Replaces a body item (attribute or block) with a new one, written at the item's indentation. */
  replaceItem(item: BodyItem, next: NewItem): OffsetEdit {
    const indent = this.indentAt(item.start);
    const lines = this.render([next], indent);
    // The first line starts where the item starts, after the indentation already in the text.
    return { start: item.start, end: item.end, newText: lines.join(this.eol).slice(indent.length) };
  }

  /** Removes a body item; when it sits alone on its lines, the whole lines go (with a trailing comment). */
  remove(item: BodyItem): OffsetEdit {
    const alone = this.startsLine(item.start);
    let end = this.skipTrailingComment(item.end);
    let k = end;
    while (k < this.text.length && isSpace(this.text.charCodeAt(k))) k++;
    const atEol = k >= this.text.length || this.text.charCodeAt(k) === 10 || this.text.charCodeAt(k) === 13;
    if (alone && atEol) return { start: this.lineStart(item.start), end: this.nextLineStart(k), newText: '' };
    end = k;
    return { start: item.start, end, newText: '' };
  }

  /** Removes one element of a tuple (`[a, b]`), with its separator; the last element leaves `[]`. */
  removeElement(tuple: TupleExpr, index: number): OffsetEdit | undefined {
    const item = tuple.items[index];
    if (!item) return undefined;
    if (tuple.items.length === 1) return { start: tuple.start, end: tuple.end, newText: '[]' };
    const next = tuple.items[index + 1];
    if (next) {
      if (this.ast.comments.some((c) => c.start >= item.end && c.end <= next.start)) return undefined;
      return { start: item.start, end: next.start, newText: '' };
    }
    const prev = tuple.items[index - 1]!;
    if (this.ast.comments.some((c) => c.start >= prev.end && c.end <= item.start)) return undefined;
    return { start: prev.end, end: item.end, newText: '' };
  }

  /** The expression node whose span is exactly `span` (or the value of the attribute / object item that has it). */
  exprAt(span: Span): Expr | undefined {
    let found: Expr | undefined;
    const visitExpr = (e: Expr): void => {
      if (found || e.end < span.start || e.start > span.end) return;
      if (e.start === span.start && e.end === span.end) {
        found = e;
        return;
      }
      switch (e.kind) {
        case 'tuple':
          e.items.forEach(visitExpr);
          break;
        case 'object':
          for (const it of e.items) {
            if (it.start === span.start && it.end === span.end) found = it.value;
            else (visitExpr(it.key), visitExpr(it.value));
          }
          break;
        case 'paren':
          visitExpr(e.expr);
          break;
        case 'call':
          e.args.forEach(visitExpr);
          break;
        case 'conditional':
          visitExpr(e.condition), visitExpr(e.then), visitExpr(e.else);
          break;
        default:
          break;
      }
    };
    const visitItems = (items: readonly BodyItem[]): void => {
      for (const it of items) {
        if (found || it.end < span.start || it.start > span.end) continue;
        if (it.kind === 'attribute') {
          if (it.start === span.start && it.end === span.end) found = it.expr;
          else visitExpr(it.expr);
        } else visitItems(it.body.items);
      }
    };
    visitItems(this.ast.body.items);
    return found;
  }
}

/** Applies non-overlapping offset edits to a text (edits are sorted here; equal insertion points keep their order). */
export function applyOffsetEdits(text: string, edits: readonly OffsetEdit[]): string {
  const sorted = edits.map((e, i) => ({ e, i })).sort((a, b) => a.e.start - b.e.start || a.e.end - b.e.end || a.i - b.i);
  let out = '';
  let pos = 0;
  for (const { e } of sorted) {
    if (e.start < pos) throw new Error(`overlapping edits at ${e.start}`);
    out += text.slice(pos, e.start) + e.newText;
    pos = e.end;
  }
  return out + text.slice(pos);
}
