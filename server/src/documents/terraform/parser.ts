// A hand-written HCL2 (native syntax) lexer and recursive-descent parser with source ranges and
// error recovery, built for editors: it never throws, always returns a tree, and keeps everything it
// could make sense of in a half-typed file.
//
// Design notes:
// - One token of lookahead (`t`, `ts`, `te`), scanned on demand from `pos` with charCode tests.
//   Newline tokens are always produced; `nlSkip` drops them inside `()`, `[]`, `${}` and for
//   expressions, like HCL's "include newlines" stack.
// - Quoted strings and heredocs are scanned character by character by the parser itself; `${ … }`
//   and `%{ … }` sequences re-enter the token scanner at the right offset.
// - Expression errors throw an `Abort` (not an Error: no stack capture) that is caught at the
//   nearest recovery point: a body attribute, an object item or a template sequence. Recovery either
//   skips to the end of the line or, when the error is on a later line than the item started (an
//   unclosed `(`/`[` swallowed the following lines), rewinds to the start of that line.
// - Nesting is limited (MAX_DEPTH) so that hostile input cannot overflow the stack.

import type {
  Attribute,
  BinaryOp,
  Block,
  Body,
  BodyItem,
  Comment,
  Expr,
  HclFile,
  HeredocExpr,
  InvalidExpr,
  Label,
  ObjectItem,
  ParseError,
  SplatExpr,
  TemplateExpr,
  TemplatePart,
} from './ast';
import {
  CHAR_CLASS,
  hexValue,
  identStartLength,
  isSpaceCode,
  lineAt,
  lineStarts,
  nonAsciiIdStart,
  scanIdentEnd,
  trimEndSpace,
  trimStartSpace,
} from './lexer';

/** Maximum nesting of blocks, and separately of expressions (brackets, templates, prefix operators). */
export const MAX_DEPTH = 200;
/** Maximum length of a binary-operator chain or of a traversal (`a.b[0].c…`), which nest the tree too. */
const MAX_CHAIN = 1000;

// Token kinds.
const EOF: number = 0;
const NL: number = 1;
const IDENT: number = 2;
const NUMBER: number = 3;
const OQUOTE: number = 4;
const HEREDOC: number = 5;
const LBRACE: number = 6;
const RBRACE: number = 7;
const LBRACK: number = 8;
const RBRACK: number = 9;
const LPAREN: number = 10;
const RPAREN: number = 11;
const COMMA: number = 12;
const DOT: number = 13;
const ELLIPSIS: number = 14;
const EQ: number = 15;
const ARROW: number = 16;
const COLON: number = 17;
const DCOLON: number = 18;
const QUESTION: number = 19;
const PLUS: number = 20;
const MINUS: number = 21;
const STAR: number = 22;
const SLASH: number = 23;
const PERCENT: number = 24;
const EQEQ: number = 25;
const NEQ: number = 26;
const LT: number = 27;
const GT: number = 28;
const LE: number = 29;
const GE: number = 30;
const AND: number = 31;
const OR: number = 32;
const BANG: number = 33;
const TILDE: number = 34;
const INVALID: number = 35;
const TOKEN_COUNT: number = 36;

/** Binary operator precedence by token kind (0 = not a binary operator). */
const PREC = new Uint8Array(TOKEN_COUNT);
const OPS: BinaryOp[] = new Array<BinaryOp>(TOKEN_COUNT).fill('+');
(
  [
    [OR, 1, '||'],
    [AND, 2, '&&'],
    [EQEQ, 3, '=='],
    [NEQ, 3, '!='],
    [LT, 4, '<'],
    [GT, 4, '>'],
    [LE, 4, '<='],
    [GE, 4, '>='],
    [PLUS, 5, '+'],
    [MINUS, 5, '-'],
    [STAR, 6, '*'],
    [SLASH, 6, '/'],
    [PERCENT, 6, '%'],
  ] as Array<[number, number, BinaryOp]>
).forEach(([t, p, op]) => {
  PREC[t] = p;
  OPS[t] = op;
});

/** Block types that only appear at the top level of a Terraform file (used to recover from a missing `}`). */
const TOP_LEVEL_BLOCKS = new Set([
  'resource',
  'data',
  'module',
  'variable',
  'output',
  'locals',
  'provider',
  'terraform',
  'moved',
  'import',
  'check',
  'removed',
  'ephemeral',
]);

/** A parse failure travelling to the nearest recovery point. */
class Abort {
  constructor(
    readonly start: number,
    readonly end: number,
    readonly message: string,
    /** Nesting limit hit: recover coarsely, at the body level. */
    readonly deep: boolean,
    /** Template nesting when thrown. */
    readonly tpl: number,
  ) {}
}

const DIR_IF = 1;
const DIR_ELSE = 2;
const DIR_FOR = 3;

class Parser {
  private readonly s: string;
  private readonly n: number;
  /** Scanner position: end of the current token. */
  private pos = 0;
  /** Current token kind, start and end. */
  private t = EOF;
  private ts = 0;
  private te = 0;
  /** End of the last consumed non-newline token. */
  private pe = 0;
  /** Start of the first token on the current token's line. */
  private lineFirst = 0;
  private pendingNl = true;
  /** True where newlines are insignificant (inside `()`, `[]`, `${}`, for expressions). */
  private nlSkip = false;
  /** Expression nesting depth. */
  private depth = 0;
  private blockDepth = 0;
  /** Template nesting depth. */
  private tpl = 0;
  /** Offsets of the currently open brackets (`(`, `[`, `{`, `${`, `%{`) inside expressions. */
  private readonly brk: number[] = [];
  /** Heredoc header of the current HEREDOC token. */
  private hdIndent = false;
  private hdMarkStart = 0;
  private hdMarkEnd = 0;
  private hdBody = 0;
  /** Set when a `~}` strip marker asks to trim the next literal. */
  private stripNext = false;
  /** Set by a body attribute whose value had to be recovered (the body loop then skips its newline check). */
  private recovered = false;
  /** Second-pass recovery: a top-level block keyword at column 0 closes all open blocks. */
  private readonly topLevelHeuristic: boolean;
  private unwinding = false;
  /**
   * Backward moves of the scanner (recovery rewinds) never go before this offset, which is raised to
   * the furthest scanned offset at each rewind: every character is scanned at most twice, so that
   * recovery stays linear even on adversarial nesting.
   */
  private floor = 0;
  /** Set once blocks were nested beyond MAX_DEPTH: the enclosing unclosed blocks are not reported one by one. */
  private blocksTooDeep = false;
  unclosedAtEof = false;
  private readonly comments: Comment[] = [];
  private errors: ParseError[] = [];
  private starts: number[] | undefined;

  constructor(text: string, topLevelHeuristic: boolean) {
    this.s = text;
    this.n = text.length;
    this.topLevelHeuristic = topLevelHeuristic;
    if (this.n > 0 && text.charCodeAt(0) === 0xfeff) this.pos = 1;
  }

  parseFile(): HclFile {
    this.t = NL;
    this.next();
    const items: BodyItem[] = [];
    this.parseBodyItems(items, null, false);
    const body: Body = { start: 0, end: this.n, items };
    const errors = this.errors;
    for (let i = 1; i < errors.length; i++) {
      if (errors[i].start < errors[i - 1].start) {
        errors.sort((a, b) => a.start - b.start);
        break;
      }
    }
    return { body, errors, comments: this.comments };
  }

  // ---------------------------------------------------------------------------------------------
  // Scanner

  /** Consumes the current token and scans the next one (skipping newlines where insignificant). */
  private next(): void {
    if (this.t !== NL) this.pe = this.te;
    this.scan();
    if (this.nlSkip) while (this.t === NL) this.scan();
  }

  private tok(t: number, start: number, end: number): void {
    if (this.pendingNl) {
      this.lineFirst = start;
      this.pendingNl = false;
    }
    this.t = t;
    this.ts = start;
    this.te = end;
    this.pos = end;
  }

  private scan(): void {
    const s = this.s;
    const n = this.n;
    let p = this.pos;
    for (;;) {
      if (p >= n) {
        this.tok(EOF, n, n);
        return;
      }
      const c = s.charCodeAt(p);
      switch (c) {
        case 32: // space
        case 9: // tab
        case 13: // \r
          p++;
          continue;
        case 10: // \n
          this.t = NL;
          this.ts = p;
          this.te = this.pos = p + 1;
          this.pendingNl = true;
          return;
        case 35: // #
          p = this.lineComment(p, p + 1);
          continue;
        case 47: {
          // /
          const d = s.charCodeAt(p + 1);
          if (d === 47) {
            p = this.lineComment(p, p + 2);
            continue;
          }
          if (d === 42) {
            p = this.blockComment(p);
            continue;
          }
          return this.tok(SLASH, p, p + 1);
        }
        case 34: // "
          return this.tok(OQUOTE, p, p + 1);
        case 123:
          return this.tok(LBRACE, p, p + 1);
        case 125:
          return this.tok(RBRACE, p, p + 1);
        case 91:
          return this.tok(LBRACK, p, p + 1);
        case 93:
          return this.tok(RBRACK, p, p + 1);
        case 40:
          return this.tok(LPAREN, p, p + 1);
        case 41:
          return this.tok(RPAREN, p, p + 1);
        case 44:
          return this.tok(COMMA, p, p + 1);
        case 63:
          return this.tok(QUESTION, p, p + 1);
        case 126:
          return this.tok(TILDE, p, p + 1);
        case 43:
          return this.tok(PLUS, p, p + 1);
        case 45:
          return this.tok(MINUS, p, p + 1);
        case 42:
          return this.tok(STAR, p, p + 1);
        case 37:
          return this.tok(PERCENT, p, p + 1);
        case 46: // .
          if (s.charCodeAt(p + 1) === 46 && s.charCodeAt(p + 2) === 46) return this.tok(ELLIPSIS, p, p + 3);
          return this.tok(DOT, p, p + 1);
        case 61: {
          // =
          const d = s.charCodeAt(p + 1);
          if (d === 61) return this.tok(EQEQ, p, p + 2);
          if (d === 62) return this.tok(ARROW, p, p + 2);
          return this.tok(EQ, p, p + 1);
        }
        case 33: // !
          if (s.charCodeAt(p + 1) === 61) return this.tok(NEQ, p, p + 2);
          return this.tok(BANG, p, p + 1);
        case 60: {
          // <
          const d = s.charCodeAt(p + 1);
          if (d === 61) return this.tok(LE, p, p + 2);
          if (d === 60) return this.heredocHeader(p);
          return this.tok(LT, p, p + 1);
        }
        case 62:
          if (s.charCodeAt(p + 1) === 61) return this.tok(GE, p, p + 2);
          return this.tok(GT, p, p + 1);
        case 38:
          if (s.charCodeAt(p + 1) === 38) return this.tok(AND, p, p + 2);
          return this.tok(INVALID, p, p + 1);
        case 124:
          if (s.charCodeAt(p + 1) === 124) return this.tok(OR, p, p + 2);
          return this.tok(INVALID, p, p + 1);
        case 58:
          if (s.charCodeAt(p + 1) === 58) return this.tok(DCOLON, p, p + 2);
          return this.tok(COLON, p, p + 1);
        default:
          break;
      }
      if (c < 128) {
        const cls = CHAR_CLASS[c];
        if (cls & 4) return this.tok(NUMBER, p, this.scanNumber(p));
        if (cls & 1) {
          let q = p + 1;
          while (q < n) {
            const d = s.charCodeAt(q);
            if (d < 128 && CHAR_CLASS[d] & 2) q++;
            else break;
          }
          if (q < n && s.charCodeAt(q) >= 128) q = scanIdentEnd(s, p, n);
          return this.tok(IDENT, p, q);
        }
        return this.tok(INVALID, p, p + 1);
      }
      if (nonAsciiIdStart(s, p) > 0) return this.tok(IDENT, p, scanIdentEnd(s, p, n));
      const hi = c >= 0xd800 && c <= 0xdbff && p + 1 < n;
      return this.tok(INVALID, p, p + (hi ? 2 : 1));
    }
  }

  private scanNumber(p: number): number {
    const s = this.s;
    const n = this.n;
    let q = p + 1;
    while (q < n && isDigit(s.charCodeAt(q))) q++;
    if (s.charCodeAt(q) === 46 && isDigit(s.charCodeAt(q + 1))) {
      q += 2;
      while (q < n && isDigit(s.charCodeAt(q))) q++;
    }
    const e = s.charCodeAt(q);
    if (e === 101 || e === 69) {
      let r = q + 1;
      const sign = s.charCodeAt(r);
      if (sign === 43 || sign === 45) r++;
      if (isDigit(s.charCodeAt(r))) {
        r++;
        while (r < n && isDigit(s.charCodeAt(r))) r++;
        q = r;
      }
    }
    return q;
  }

  private lineComment(start: number, textStart: number): number {
    const s = this.s;
    let e = s.indexOf('\n', textStart);
    if (e < 0) e = this.n;
    let end = e;
    if (end > textStart && s.charCodeAt(end - 1) === 13) end--;
    this.comments.push({ start, end, text: s.slice(textStart, end), block: false });
    return e;
  }

  private blockComment(start: number): number {
    const s = this.s;
    const e = s.indexOf('*/', start + 2);
    if (e < 0) {
      this.error(start, this.n, 'Unterminated comment: expected "*/" to close "/*"');
      this.comments.push({ start, end: this.n, text: s.slice(start + 2), block: true });
      return this.n;
    }
    this.comments.push({ start, end: e + 2, text: s.slice(start + 2, e), block: true });
    return e + 2;
  }

  /** `<<EOF` / `<<-EOF` followed by a newline; anything else after `<<` is an invalid token. */
  private heredocHeader(p: number): void {
    const s = this.s;
    let q = p + 2;
    let indent = false;
    if (s.charCodeAt(q) === 45) {
      indent = true;
      q++;
    }
    if (identStartLength(s, q) > 0) {
      const r = scanIdentEnd(s, q, this.n);
      const c = s.charCodeAt(r);
      const body = c === 10 ? r + 1 : c === 13 && s.charCodeAt(r + 1) === 10 ? r + 2 : -1;
      if (body >= 0) {
        this.hdIndent = indent;
        this.hdMarkStart = q;
        this.hdMarkEnd = r;
        this.hdBody = body;
        return this.tok(HEREDOC, p, r);
      }
    }
    return this.tok(INVALID, p, p + 2);
  }

  /** Moves the scanner back to `p` (a token start at the beginning of a line), forgetting what was found after it. */
  private rewind(p: number): void {
    if (this.pos > this.floor) this.floor = this.pos;
    const cs = this.comments;
    while (cs.length > 0 && cs[cs.length - 1].start >= p) cs.pop();
    for (let i = 0; i < this.errors.length; i++) {
      if (this.errors[i].start >= p) {
        this.errors = this.errors.filter((e) => e.start < p);
        break;
      }
    }
    this.pe = this.trimBack(p);
    this.pos = p;
    this.pendingNl = true;
    this.scan();
    if (this.nlSkip) while (this.t === NL) this.scan();
  }

  /** Offset just after the last non-whitespace character before `p`. */
  private trimBack(p: number): number {
    const s = this.s;
    while (p > 0) {
      const c = s.charCodeAt(p - 1);
      if (c === 32 || c === 9 || c === 10 || c === 13) p--;
      else break;
    }
    return p;
  }

  // ---------------------------------------------------------------------------------------------
  // Errors

  private error(start: number, end: number, message: string): void {
    const errs = this.errors;
    const last = errs.length > 0 ? errs[errs.length - 1] : undefined;
    if (last !== undefined && last.start === start && last.message === message) return;
    errs.push({ start, end, message });
  }

  private line(pos: number): number {
    if (this.starts === undefined) this.starts = lineStarts(this.s);
    return lineAt(this.starts, pos);
  }

  private describe(): string {
    switch (this.t) {
      case EOF:
        return 'end of file';
      case NL:
        return 'end of line';
      case OQUOTE:
        return 'a string';
      case HEREDOC:
        return 'a heredoc';
      case NUMBER:
        return `number ${this.s.slice(this.ts, this.te)}`;
      case INVALID: {
        const ch = this.s.slice(this.ts, this.te);
        return ch === '<<' ? '"<<" (a heredoc needs a marker and a newline: <<EOF)' : `invalid character ${JSON.stringify(ch)}`;
      }
      default: {
        const len = this.te - this.ts;
        const text = len > 40 ? this.s.slice(this.ts, this.ts + 40) + '…' : this.s.slice(this.ts, this.te);
        return `"${text}"`;
      }
    }
  }

  private fail(message: string): never {
    const t = this.t;
    throw new Abort(this.ts, t === NL || t === EOF ? this.ts : this.te, message, false, this.tpl);
  }

  private failDeep(chain = false): never {
    throw new Abort(
      this.ts,
      this.t === NL || this.t === EOF ? this.ts : this.te,
      chain
        ? `Expression too long (more than ${MAX_CHAIN} chained operators or attribute/index steps)`
        : `Expression nested too deeply (more than ${MAX_DEPTH} levels)`,
      true,
      this.tpl,
    );
  }

  private unclosedMessage(open: number): string {
    const s = this.s;
    const c = s.charCodeAt(open);
    let opener: string;
    let closer: string;
    if (c === 40) {
      opener = '(';
      closer = ')';
    } else if (c === 91) {
      opener = '[';
      closer = ']';
    } else if (c === 123) {
      opener = '{';
      closer = '}';
    } else {
      opener = s.slice(open, open + 2); // ${ or %{
      closer = '}';
    }
    return `Expected "${closer}" to close "${opener}" opened at line ${this.line(open)}`;
  }

  private openerLength(open: number): number {
    const c = this.s.charCodeAt(open);
    return c === 36 || c === 37 ? 2 : 1;
  }

  // ---------------------------------------------------------------------------------------------
  // Bodies and blocks

  private parseBodyItems(items: BodyItem[], block: Block | null, oneLine: boolean): void {
    const top = block === null;
    let stray = false;
    for (;;) {
      const t = this.t;
      if (t === NL) {
        this.next();
        continue;
      }
      if (t === EOF) break;
      if (t === RBRACE) {
        if (!top) break;
        if (!stray) this.error(this.ts, this.te, 'Unexpected "}": there is no open block to close');
        stray = true;
        this.next();
        continue;
      }
      if (t !== IDENT) {
        if (!stray) {
          const msg =
            t === OQUOTE
              ? 'Unexpected string: argument names must not be quoted, and a block starts with its type'
              : `Unexpected ${this.describe()}; expected an argument or block`;
          this.error(this.ts, this.te, msg);
        }
        stray = true;
        this.skipRest(0, false);
        continue;
      }
      if (this.topLevelHeuristic && !top && this.atTopLevelHeader()) {
        this.unwinding = true;
        break;
      }
      const item = this.parseItem();
      if (this.unwinding) {
        if (item !== null) items.push(item);
        if (!top) break;
        this.unwinding = false;
        continue;
      }
      if (item === null) {
        stray = true;
        continue;
      }
      items.push(item);
      stray = false;
      if (this.recovered) {
        this.recovered = false;
        oneLine = false;
        continue;
      }
      const t2 = this.t;
      if (oneLine) {
        oneLine = false;
        if (item.kind === 'block') {
          this.error(
            item.typeSpan.start,
            item.typeSpan.end,
            'A single-line block can contain only one argument: put the nested block on its own line',
          );
        }
        if (t2 === RBRACE) continue;
        if (t2 === NL || t2 === EOF) {
          this.error(
            item.start,
            item.end,
            'A block whose first argument is on the same line as "{" must also be closed on that line; put the argument on its own line',
          );
          continue;
        }
        this.error(this.ts, this.te, `A single-line block can contain only one argument; found ${this.describe()}`);
        this.skipRest(0, false);
        continue;
      }
      if (t2 === NL || t2 === EOF) continue;
      if (item.kind === 'attribute') {
        if (t2 === RBRACE && !top) {
          this.error(this.ts, this.te, 'Missing newline after argument: the closing "}" must be on its own line');
        } else {
          this.error(this.ts, this.te, `Missing newline after argument; found ${this.describe()}`);
          if (t2 !== RBRACE) this.skipRest(0, false);
        }
      } else {
        this.error(this.ts, this.te, `Missing newline after block; found ${this.describe()}`);
      }
    }
    this.checkDuplicates(items);
  }

  /** True when the current identifier starts a line and looks like `resource "…"` / `locals {`. */
  private atTopLevelHeader(): boolean {
    const s = this.s;
    const ts = this.ts;
    if (!(ts === 0 || s.charCodeAt(ts - 1) === 10 || (ts === 1 && s.charCodeAt(0) === 0xfeff))) return false;
    if (!TOP_LEVEL_BLOCKS.has(s.slice(ts, this.te))) return false;
    let q = this.te;
    while (q < this.n && (s.charCodeAt(q) === 32 || s.charCodeAt(q) === 9)) q++;
    const c = s.charCodeAt(q);
    return c === 34 || c === 123 || identStartLength(s, q) > 0;
  }

  private checkDuplicates(items: BodyItem[]): void {
    let count = 0;
    for (let i = 0; i < items.length; i++) if (items[i].kind === 'attribute') count++;
    if (count < 2) return;
    if (count <= 12) {
      for (let i = 0; i < items.length; i++) {
        const a = items[i];
        if (a.kind !== 'attribute') continue;
        for (let j = 0; j < i; j++) {
          const b = items[j];
          if (b.kind === 'attribute' && b.name === a.name) {
            this.duplicate(a, b);
            break;
          }
        }
      }
      return;
    }
    const seen = new Map<string, Attribute>();
    for (const a of items) {
      if (a.kind !== 'attribute') continue;
      const b = seen.get(a.name);
      if (b !== undefined) this.duplicate(a, b);
      else seen.set(a.name, a);
    }
  }

  private duplicate(a: Attribute, first: Attribute): void {
    this.error(
      a.nameSpan.start,
      a.nameSpan.end,
      `Argument "${a.name}" was already set at line ${this.line(first.nameSpan.start)}; each argument may be set only once`,
    );
  }

  /** An attribute or block starting at the current identifier; null when it was only a stray word. */
  private parseItem(): BodyItem | null {
    const start = this.ts;
    const nameEnd = this.te;
    const name = this.s.slice(start, nameEnd);
    this.next();
    if (this.t === EQ) return this.parseAttribute(name, start, nameEnd);
    return this.parseBlock(name, start, nameEnd);
  }

  private parseAttribute(name: string, start: number, nameEnd: number): Attribute {
    this.next(); // =
    const exprStart = this.ts;
    const base = this.brk.length;
    const depth = this.depth;
    const tpl = this.tpl;
    let expr: Expr;
    try {
      expr = this.parseExpr();
    } catch (e) {
      if (!(e instanceof Abort)) throw e;
      expr = this.recoverItem(e, start, exprStart, base, depth, tpl, false);
      this.recovered = true;
    }
    return { kind: 'attribute', name, nameSpan: { start, end: nameEnd }, expr, start, end: expr.end };
  }

  private parseBlock(type: string, start: number, typeEnd: number): Block | null {
    const labels: Label[] = [];
    for (;;) {
      if (this.t === IDENT) {
        labels.push({ value: this.s.slice(this.ts, this.te), quoted: false, start: this.ts, end: this.te });
        this.next();
      } else if (this.t === OQUOTE) {
        const label = this.parseLabelSafely();
        if (label === null) break;
        labels.push(label);
      } else break;
    }
    const body: Body = { start: 0, end: 0, items: [] };
    const block: Block = {
      kind: 'block',
      type,
      typeSpan: { start, end: typeEnd },
      labels,
      body,
      openBrace: -1,
      closeBrace: -1,
      start,
      end: this.pe,
    };
    if (this.t !== LBRACE) {
      const t = this.t;
      const at = t === NL || t === EOF ? this.pe : this.ts;
      const atEnd = t === NL || t === EOF ? this.pe : this.te;
      if (labels.length === 0) {
        this.error(
          start,
          typeEnd,
          t === NL || t === EOF
            ? `Expected "=" to set argument "${type}", or "{" to open block "${type}"`
            : `Expected "=" or "{" after "${type}", found ${this.describe()}`,
        );
        if (t !== RBRACE) this.skipRest(0, false);
        return null;
      }
      this.error(at, atEnd, `Expected "{" to open block "${type}"${t === NL || t === EOF ? '' : `, found ${this.describe()}`}`);
      body.start = body.end = block.end;
      if (t !== RBRACE) this.skipRest(0, false);
      return block;
    }
    const open = this.ts;
    block.openBrace = open;
    body.start = open + 1;
    this.next();
    if (this.blockDepth >= MAX_DEPTH) {
      this.error(start, open + 1, `Blocks nested too deeply (more than ${MAX_DEPTH} levels)`);
      this.blocksTooDeep = true;
      this.skipBalancedBlock();
    } else if (this.t !== RBRACE) {
      this.blockDepth++;
      this.parseBodyItems(body.items, block, this.t !== NL && this.t !== EOF);
      this.blockDepth--;
    }
    if (this.t === RBRACE && !this.unwinding) {
      block.closeBrace = this.ts;
      body.end = this.ts;
      block.end = this.te;
      this.next();
    } else {
      const end = this.unwinding ? this.pe : this.n;
      if (!this.unwinding) this.unclosedAtEof = true;
      if (!this.blocksTooDeep) {
        this.error(start, open + 1, `Expected "}" to close block "${type}" opened at line ${this.line(open)}`);
      }
      body.end = block.end = Math.max(end, open + 1);
    }
    return block;
  }

  /** A quoted label; null when a nesting limit inside it stopped the line (then skipped). */
  private parseLabelSafely(): Label | null {
    const depth = this.depth;
    const base = this.brk.length;
    try {
      return this.parseLabel();
    } catch (e) {
      if (!(e instanceof Abort)) throw e;
      this.depth = depth;
      this.tpl = 0;
      this.brk.length = base;
      this.nlSkip = false;
      this.stripNext = false;
      this.error(e.start, e.end, e.message);
      const eol = this.s.indexOf('\n', e.start);
      const p = eol < 0 ? this.n : eol;
      if (this.pos > this.floor) this.floor = this.pos;
      this.pos = p;
      this.pe = p;
      this.scan();
      return null;
    }
  }

  private parseLabel(): Label {
    const tpl = this.parseQuoted();
    let value = '';
    let bad = false;
    for (const p of tpl.parts) {
      if (p.kind === 'text') value += p.value;
      else bad = true;
    }
    if (bad) {
      this.error(
        tpl.start,
        tpl.end,
        'Block labels cannot contain template sequences; write "$${" or "%%{" for a literal "${" or "%{"',
      );
      value = this.s.slice(tpl.start + 1, this.s.charCodeAt(tpl.end - 1) === 34 ? tpl.end - 1 : tpl.end);
    }
    return { value, quoted: true, start: tpl.start, end: tpl.end };
  }

  /** Skips the content of a block nested too deeply, up to its matching `}` (left as the current token). */
  private skipBalancedBlock(): void {
    let d = 0;
    const saved = this.nlSkip;
    this.nlSkip = true;
    for (;;) {
      const t = this.t;
      if (t === EOF) break;
      if (t === RBRACE) {
        if (d === 0) break;
        d--;
      } else if (t === LBRACE) d++;
      else if (t === OQUOTE) {
        this.skipQuoted();
        continue;
      } else if (t === HEREDOC) {
        this.skipHeredoc();
        continue;
      }
      this.next();
    }
    this.nlSkip = saved;
  }

  // ---------------------------------------------------------------------------------------------
  // Recovery

  /**
   * Recovers from an error in the value of a body attribute or an object item. Returns the
   * InvalidExpr that stands for the value; leaves the current token at a newline, EOF, a `}` that
   * closes the enclosing construct, a `,` (objects), or the first token of a later line (rewind).
   */
  private recoverItem(
    e: Abort,
    itemStart: number,
    exprStart: number,
    base: number,
    depth: number,
    tpl: number,
    inObject: boolean,
  ): InvalidExpr {
    const brk = this.brk;
    this.depth = depth;
    this.tpl = tpl;
    this.nlSkip = false;
    this.stripNext = false;
    if (e.deep) {
      brk.length = base;
      if (inObject) throw e;
      this.error(e.start, e.end, e.message);
      const eol = this.s.indexOf('\n', e.start);
      const p = eol < 0 ? this.n : eol;
      this.pos = p;
      this.pe = p;
      this.scan();
      return { kind: 'invalid', start: exprStart, end: Math.max(exprStart, p) };
    }
    const t = this.t;
    const lf = this.lineFirst;
    if (e.tpl === tpl && t !== NL && t !== EOF && lf > itemStart && lf >= this.floor && this.looksLikeItemStart(lf)) {
      // The error is on a later line than the item: an unclosed bracket swallowed the following
      // lines. End the item before that line and resume there.
      for (let i = brk.length - 1; i >= base; i--) {
        const open = brk[i];
        if (open < lf) {
          brk.length = base;
          this.rewind(lf);
          this.error(open, open + this.openerLength(open), this.unclosedMessage(open));
          return { kind: 'invalid', start: exprStart, end: Math.max(exprStart, this.pe) };
        }
      }
    }
    let d = brk.length - base;
    if (t === EOF && d > 0) {
      const open = brk[brk.length - 1];
      this.error(open, open + this.openerLength(open), this.unclosedMessage(open));
    } else {
      this.error(e.start, e.end, e.message);
    }
    brk.length = base;
    if (t !== EOF && t !== NL) this.skipRest(d, inObject);
    return { kind: 'invalid', start: exprStart, end: Math.max(exprStart, this.pe) };
  }

  /**
   * True when the line at `p` starts like an argument, a block or an object item (`name =`,
   * `name {`, `name "label"`) or with a `}`: used to tell an unclosed bracket from a bad list item.
   */
  private looksLikeItemStart(p: number): boolean {
    const s = this.s;
    const c = s.charCodeAt(p);
    if (c === 125) return true;
    if (identStartLength(s, p) === 0) return false;
    let q = scanIdentEnd(s, p, this.n);
    while (s.charCodeAt(q) === 32 || s.charCodeAt(q) === 9) q++;
    const d = s.charCodeAt(q);
    if (d === 61) {
      const e = s.charCodeAt(q + 1);
      return e !== 61 && e !== 62;
    }
    return d === 123 || d === 34;
  }

  /**
   * Skips tokens to the end of the line (newline left current), stopping early at a `}` that closes
   * the enclosing construct or, in objects, at a `,` between items. While `d` brackets are still
   * open, the skip goes on over the following lines unless one starts like a new item.
   */
  private skipRest(d: number, inObject: boolean): void {
    this.nlSkip = false;
    for (;;) {
      const t = this.t;
      if (t === EOF) return;
      if (t === NL) {
        if (d === 0) return;
        this.next();
        while (this.t === NL) this.next();
        if (this.t === EOF || this.looksLikeItemStart(this.ts)) return;
        continue;
      }
      if (d === 0 && (t === RBRACE || (inObject && t === COMMA))) return;
      if (t === LBRACE || t === LBRACK || t === LPAREN) d++;
      else if (t === RBRACE || t === RBRACK || t === RPAREN) {
        if (d > 0) d--;
      } else if (t === OQUOTE) {
        this.skipQuoted();
        continue;
      } else if (t === HEREDOC) {
        this.skipHeredoc();
        continue;
      }
      this.next();
    }
  }

  /** Skips a quoted string without parsing it (to the closing quote or the end of the line). */
  private skipQuoted(): void {
    const s = this.s;
    const n = this.n;
    let q = this.te;
    while (q < n) {
      const c = s.charCodeAt(q);
      if (c === 34) {
        q++;
        break;
      }
      if (c === 10) break;
      q += c === 92 ? 2 : 1;
    }
    if (q > n) q = n;
    this.te = this.pos = q;
    this.next();
  }

  private skipHeredoc(): void {
    const end = this.findHeredocEnd(this.hdBody, this.s.slice(this.hdMarkStart, this.hdMarkEnd));
    this.te = this.pos = end;
    this.next();
  }

  private findHeredocEnd(p: number, marker: string): number {
    const s = this.s;
    const n = this.n;
    while (p < n) {
      const m = this.closingMarkerAt(p, marker);
      if (m >= 0) return m;
      const e = s.indexOf('\n', p);
      if (e < 0) return n;
      p = e + 1;
    }
    return n;
  }

  /**
   * If the line starting at `p` is the heredoc's closing marker (surrounding whitespace allowed, as in
   * HCL), the offset after the marker; else -1.
   */
  private closingMarkerAt(p: number, marker: string): number {
    const s = this.s;
    const n = this.n;
    let q = p;
    while (q < n) {
      const c = s.charCodeAt(q);
      if (c !== 10 && isSpaceCode(c)) q++;
      else break;
    }
    if (!s.startsWith(marker, q)) return -1;
    const r = q + marker.length;
    let e = r;
    while (e < n) {
      const c = s.charCodeAt(e);
      if (c === 10) return r;
      if (!isSpaceCode(c)) return -1;
      e++;
    }
    return r;
  }

  // ---------------------------------------------------------------------------------------------
  // Expressions

  private parseExpr(): Expr {
    if (++this.depth > MAX_DEPTH) this.failDeep();
    const cond = this.parseBinary(1);
    if (this.t !== QUESTION) {
      this.depth--;
      return cond;
    }
    this.next();
    const a = this.parseExpr();
    if (this.t !== COLON) this.fail(`Expected ":" in conditional expression, found ${this.describe()}`);
    this.next();
    const b = this.parseExpr();
    this.depth--;
    return { kind: 'conditional', condition: cond, then: a, else: b, start: cond.start, end: b.end };
  }

  private parseBinary(minPrec: number): Expr {
    let left = this.parseUnary();
    let chain = 0;
    for (;;) {
      const t = this.t;
      const prec = PREC[t];
      if (prec === 0 || prec < minPrec) return left;
      if (++chain > MAX_CHAIN) this.failDeep(true);
      this.next();
      const right = this.parseBinary(prec + 1);
      left = { kind: 'binary', op: OPS[t], left, right, start: left.start, end: right.end };
    }
  }

  private parseUnary(): Expr {
    const t = this.t;
    if (t !== MINUS && t !== BANG) return this.parsePostfix(this.parsePrimary());
    const ops: number[] = [];
    while (this.t === MINUS || this.t === BANG) {
      if (ops.length >= 2 * MAX_DEPTH) this.failDeep();
      ops.push(this.ts, this.t);
      this.next();
    }
    let e = this.parsePostfix(this.parsePrimary());
    for (let i = ops.length - 2; i >= 0; i -= 2) {
      e = { kind: 'unary', op: ops[i + 1] === MINUS ? '-' : '!', operand: e, start: ops[i], end: e.end };
    }
    return e;
  }

  private parsePrimary(): Expr {
    switch (this.t) {
      case NUMBER: {
        const start = this.ts;
        const end = this.te;
        const value = this.numberValue(start, end);
        this.next();
        return { kind: 'literal', value, start, end };
      }
      case IDENT:
        return this.parseIdentExpr();
      case OQUOTE:
        return this.parseQuoted();
      case HEREDOC:
        return this.parseHeredoc();
      case LBRACK:
        return this.parseTuple();
      case LBRACE:
        return this.parseObject();
      case LPAREN:
        return this.parseParen();
      default:
        return this.fail(`Expected an expression, found ${this.describe()}`);
    }
  }

  private numberValue(start: number, end: number): number {
    const s = this.s;
    if (end - start < 16) {
      let v = 0;
      for (let i = start; i < end; i++) {
        const c = s.charCodeAt(i);
        if (c < 48 || c > 57) return Number(s.slice(start, end));
        v = v * 10 + (c - 48);
      }
      return v;
    }
    return Number(s.slice(start, end));
  }

  private isWord(w: string): boolean {
    return this.te - this.ts === w.length && this.s.startsWith(w, this.ts);
  }

  private parseIdentExpr(): Expr {
    const s = this.s;
    const start = this.ts;
    const end = this.te;
    this.next();
    if (this.t === LPAREN) return this.parseCall(s.slice(start, end), start, end);
    if (this.t === DCOLON) {
      let name = s.slice(start, end);
      let nameEnd = end;
      while (this.t === DCOLON) {
        this.next();
        if (this.t !== IDENT) this.fail(`Expected a name after "::", found ${this.describe()}`);
        name += '::' + s.slice(this.ts, this.te);
        nameEnd = this.te;
        this.next();
      }
      if (this.t !== LPAREN) this.fail(`Expected "(" after function name "${name}", found ${this.describe()}`);
      return this.parseCall(name, start, nameEnd);
    }
    const len = end - start;
    if (len === 4) {
      if (s.startsWith('true', start)) return { kind: 'literal', value: true, start, end };
      if (s.startsWith('null', start)) return { kind: 'literal', value: null, start, end };
    } else if (len === 5 && s.startsWith('false', start)) {
      return { kind: 'literal', value: false, start, end };
    }
    return { kind: 'variable', name: s.slice(start, end), start, end };
  }

  private parseCall(name: string, start: number, nameEnd: number): Expr {
    const open = this.ts;
    const saved = this.nlSkip;
    this.brk.push(open);
    this.nlSkip = true;
    this.next();
    const args: Expr[] = [];
    let expandFinal = false;
    while (this.t !== RPAREN) {
      args.push(this.parseExpr());
      if (this.t === ELLIPSIS) {
        expandFinal = true;
        this.next();
        if (this.t !== RPAREN) this.fail(`Expected ")" after "...", found ${this.describe()}`);
        break;
      }
      if (this.t === COMMA) {
        this.next();
        continue;
      }
      if (this.t !== RPAREN) this.fail(`Expected "," or ")" in the arguments of ${name}(), found ${this.describe()}`);
    }
    const end = this.te;
    this.brk.pop();
    this.nlSkip = saved;
    this.next();
    return { kind: 'call', name, nameSpan: { start, end: nameEnd }, args, expandFinal, start, end };
  }

  private parseParen(): Expr {
    const open = this.ts;
    const saved = this.nlSkip;
    this.brk.push(open);
    this.nlSkip = true;
    this.next();
    const expr = this.parseExpr();
    if (this.t !== RPAREN) this.fail(`Expected ")" to close "(", found ${this.describe()}`);
    const end = this.te;
    this.brk.pop();
    this.nlSkip = saved;
    this.next();
    return { kind: 'paren', expr, start: open, end };
  }

  private parseTuple(): Expr {
    const open = this.ts;
    const saved = this.nlSkip;
    this.brk.push(open);
    this.nlSkip = true;
    this.next();
    if (this.t === IDENT && this.isWord('for')) return this.parseFor(open, false, saved);
    const items: Expr[] = [];
    while (this.t !== RBRACK) {
      items.push(this.parseExpr());
      if (this.t === COMMA) {
        this.next();
        continue;
      }
      if (this.t !== RBRACK) this.fail(`Expected "," or "]" after a list item, found ${this.describe()}`);
    }
    const end = this.te;
    this.brk.pop();
    this.nlSkip = saved;
    this.next();
    return { kind: 'tuple', items, start: open, end };
  }

  private parseObject(): Expr {
    const open = this.ts;
    const saved = this.nlSkip;
    this.brk.push(open);
    this.nlSkip = false;
    this.next();
    while (this.t === NL) this.next();
    if (this.t === IDENT && this.isWord('for')) {
      this.nlSkip = true;
      return this.parseFor(open, true, saved);
    }
    const items: ObjectItem[] = [];
    for (;;) {
      const t = this.t;
      if (t === NL) {
        this.next();
        continue;
      }
      if (t === RBRACE) break;
      if (t === EOF) this.fail(this.unclosedMessage(open));
      const itemStart = this.ts;
      const base = this.brk.length;
      const depth = this.depth;
      const tpl = this.tpl;
      let key: Expr | undefined;
      let valueStart = itemStart;
      let value: Expr;
      try {
        key = this.parseExpr();
        valueStart = key.end;
        if (this.t !== EQ && this.t !== COLON) this.fail(`Expected "=" after object key, found ${this.describe()}`);
        this.next();
        valueStart = this.ts;
        value = this.parseExpr();
      } catch (e) {
        if (!(e instanceof Abort)) throw e;
        value = this.recoverItem(e, itemStart, valueStart, base, depth, tpl, true);
        if (key !== undefined) {
          items.push({ key, keyName: keyNameOf(key), value, start: key.start, end: Math.max(key.end, value.end) });
        }
        if (this.t === COMMA) this.next();
        continue;
      }
      items.push({ key, keyName: keyNameOf(key), value, start: key.start, end: value.end });
      const t2 = this.t;
      if (t2 === COMMA || t2 === NL) {
        this.next();
        continue;
      }
      if (t2 === RBRACE) break;
      if (t2 === EOF) this.fail(this.unclosedMessage(open));
      this.error(this.ts, this.te, `Expected a newline or "," after an object item, found ${this.describe()}`);
      this.skipRest(0, true);
    }
    const end = this.te;
    this.brk.pop();
    this.nlSkip = saved;
    this.next();
    return { kind: 'object', items, start: open, end };
  }

  /** `[for …]` / `{for …}`; the current token is `for`, newlines are already insignificant. */
  private parseFor(open: number, object: boolean, saved: boolean): Expr {
    const s = this.s;
    this.next();
    if (this.t !== IDENT) this.fail(`Expected a variable name after "for", found ${this.describe()}`);
    let keyVar: string | undefined;
    let valueVar = s.slice(this.ts, this.te);
    this.next();
    if (this.t === COMMA) {
      this.next();
      if (this.t !== IDENT) this.fail(`Expected a second variable name after ",", found ${this.describe()}`);
      keyVar = valueVar;
      valueVar = s.slice(this.ts, this.te);
      this.next();
    }
    if (!(this.t === IDENT && this.isWord('in'))) this.fail(`Expected "in" after the for-expression variables, found ${this.describe()}`);
    this.next();
    const collection = this.parseExpr();
    if (this.t !== COLON) this.fail(`Expected ":" after the for-expression collection, found ${this.describe()}`);
    this.next();
    let keyExpr: Expr | undefined;
    let grouping = false;
    let valueExpr: Expr;
    if (object) {
      keyExpr = this.parseExpr();
      if (this.t !== ARROW) this.fail(`Expected "=>" after the key of an object for-expression, found ${this.describe()}`);
      this.next();
      valueExpr = this.parseExpr();
      if (this.t === ELLIPSIS) {
        grouping = true;
        this.next();
      }
    } else {
      valueExpr = this.parseExpr();
    }
    let condition: Expr | undefined;
    if (this.t === IDENT && this.isWord('if')) {
      this.next();
      condition = this.parseExpr();
    }
    if (this.t !== (object ? RBRACE : RBRACK)) {
      if (!object && this.t === ELLIPSIS) this.fail('Grouping with "..." is only allowed in an object for-expression ({for …})');
      this.fail(`Expected "${object ? '}' : ']'}" to close the for expression, found ${this.describe()}`);
    }
    const end = this.te;
    this.brk.pop();
    this.nlSkip = saved;
    this.next();
    return { kind: 'for', object, keyVar, valueVar, collection, keyExpr, valueExpr, condition, grouping, start: open, end };
  }

  /** Attribute access, indexing and splats after a term. */
  private parsePostfix(expr: Expr): Expr {
    let steps = 0;
    for (;;) {
      const t = this.t;
      if (t !== DOT && t !== LBRACK) return expr;
      if (++steps > MAX_CHAIN) this.failDeep(true);
      if (t === DOT) {
        const legacy = this.legacyIndex(expr);
        if (legacy !== null) {
          expr = legacy;
          continue;
        }
        this.next();
        if (this.t === IDENT) {
          expr = { kind: 'getattr', object: expr, name: this.s.slice(this.ts, this.te), nameSpan: { start: this.ts, end: this.te }, start: expr.start, end: this.te };
          this.next();
        } else if (this.t === STAR) {
          expr = this.parseSplat(expr, false);
        } else {
          this.fail(`Expected an attribute name after ".", found ${this.describe()}`);
        }
      } else {
        const open = this.ts;
        const saved = this.nlSkip;
        this.brk.push(open);
        this.nlSkip = true;
        this.next();
        if (this.t === STAR) {
          this.next();
          if (this.t !== RBRACK) this.fail(`Expected "]" after "[*", found ${this.describe()}`);
          this.brk.pop();
          this.nlSkip = saved;
          expr = this.parseSplat(expr, true);
        } else {
          const key = this.parseExpr();
          if (this.t !== RBRACK) this.fail(`Expected "]" to close the index, found ${this.describe()}`);
          const end = this.te;
          this.brk.pop();
          this.nlSkip = saved;
          this.next();
          expr = { kind: 'index', object: expr, key, start: expr.start, end };
        }
      }
    }
  }

  /**
   * The legacy index `x.0`: the current token is a `.` immediately followed by digits. Only the
   * digits are taken (`x.0.1` is two indexes, reported as an error like HCL does).
   */
  private legacyIndex(object: Expr): Expr | null {
    const s = this.s;
    let p = this.te;
    while (s.charCodeAt(p) === 32 || s.charCodeAt(p) === 9) p++;
    if (!isDigit(s.charCodeAt(p))) return null;
    const start = p;
    while (isDigit(s.charCodeAt(p))) p++;
    if (s.charCodeAt(p) === 46 && isDigit(s.charCodeAt(p + 1))) {
      this.error(start, p, 'Invalid legacy index syntax: chained indexes like ".0.1" are not allowed; write [0][1]');
    }
    const key: Expr = { kind: 'literal', value: this.numberValue(start, p), start, end: p };
    this.pos = p;
    this.t = DOT;
    this.te = p;
    this.next();
    return { kind: 'index', object, key, start: object.start, end: p };
  }

  /** After `.*` (current token `*`) or `[*]` (current token `]`): the splat and its following steps. */
  private parseSplat(object: Expr, full: boolean): SplatExpr {
    const steps: SplatExpr['steps'] = [];
    let end = this.te;
    this.next();
    for (;;) {
      if (this.t === DOT) {
        const s = this.s;
        let p = this.te;
        while (s.charCodeAt(p) === 32 || s.charCodeAt(p) === 9) p++;
        if (isDigit(s.charCodeAt(p))) {
          const idx = this.legacyIndex(object);
          if (idx === null || idx.kind !== 'index') break;
          steps.push({ kind: 'index', key: idx.key });
          end = idx.end;
          continue;
        }
        // Look at the token after the dot without consuming the dot when it is not ours.
        const dotStart = this.ts;
        this.next();
        if (this.t === IDENT) {
          steps.push({ kind: 'attr', name: this.s.slice(this.ts, this.te) });
          end = this.te;
          this.next();
          continue;
        }
        if (this.t === STAR) {
          if (!full) this.error(dotStart, this.te, 'Nested splat expression not allowed: ".*" cannot follow another ".*"');
          // A nested splat applies to the result so far.
          return this.parseSplat({ kind: 'splat', object, steps, full, start: object.start, end }, full);
        }
        this.fail(`Expected an attribute name after ".", found ${this.describe()}`);
      }
      if (this.t === LBRACK && full) {
        const open = this.ts;
        const saved = this.nlSkip;
        this.brk.push(open);
        this.nlSkip = true;
        this.next();
        if (this.t === STAR) {
          this.next();
          if (this.t !== RBRACK) this.fail(`Expected "]" after "[*", found ${this.describe()}`);
          this.brk.pop();
          this.nlSkip = saved;
          return this.parseSplat({ kind: 'splat', object, steps, full, start: object.start, end }, true);
        }
        const key = this.parseExpr();
        if (this.t !== RBRACK) this.fail(`Expected "]" to close the index, found ${this.describe()}`);
        end = this.te;
        this.brk.pop();
        this.nlSkip = saved;
        this.next();
        steps.push({ kind: 'index', key });
        continue;
      }
      break;
    }
    return { kind: 'splat', object, steps, full, start: object.start, end };
  }

  // ---------------------------------------------------------------------------------------------
  // Templates

  /** A quoted string; the current token is its opening `"`. Leaves the token after the string current. */
  private parseQuoted(): TemplateExpr {
    const s = this.s;
    const n = this.n;
    const start = this.ts;
    let p = this.te;
    const parts: TemplatePart[] = [];
    let textStart = p;
    let segStart = p;
    let buf = '';
    let end: number;
    let dirs: number[] | null = null;
    this.tpl++;
    for (;;) {
      if (p >= n) {
        this.error(start, n, 'Unterminated string: expected a closing "');
        this.flushText(parts, buf, textStart, segStart, p);
        end = n;
        break;
      }
      const c = s.charCodeAt(p);
      if (c === 34) {
        this.flushText(parts, buf, textStart, segStart, p);
        end = p + 1;
        break;
      }
      if (c === 10 || (c === 13 && s.charCodeAt(p + 1) === 10)) {
        this.error(
          start,
          p,
          'Unterminated string: a quoted string must end on the line where it starts (use "\\n" or a heredoc for multi-line text)',
        );
        this.flushText(parts, buf, textStart, segStart, p);
        end = p;
        break;
      }
      if (c === 92) {
        buf += s.slice(segStart, p);
        const d = s.charCodeAt(p + 1);
        let len = 2;
        switch (d) {
          case 110:
            buf += '\n';
            break;
          case 114:
            buf += '\r';
            break;
          case 116:
            buf += '\t';
            break;
          case 34:
            buf += '"';
            break;
          case 92:
            buf += '\\';
            break;
          case 117: // u
          case 85: {
            // U
            const digits = d === 117 ? 4 : 8;
            let v = 0;
            let k = 0;
            for (; k < digits; k++) {
              const h = hexValue(s.charCodeAt(p + 2 + k));
              if (h < 0) break;
              v = v * 16 + h;
            }
            if (k < digits || v > 0x10ffff) {
              len = 2 + k;
              this.error(p, p + len, `Invalid escape sequence: "\\${d === 117 ? 'u' : 'U'}" must be followed by ${digits} hexadecimal digits`);
              buf += s.slice(p, p + len);
            } else if (v >= 0xd800 && v <= 0xdfff) {
              len = 2 + digits;
              this.error(p, p + len, `Invalid escape sequence: U+${v.toString(16).toUpperCase()} is a surrogate, not a character`);
              buf += s.slice(p, p + len);
            } else {
              len = 2 + digits;
              buf += String.fromCodePoint(v);
            }
            break;
          }
          default:
            if (d !== d || d === 10 || d === 13) {
              // A backslash at the end of the line or file.
              this.error(p, p + 1, 'Invalid escape sequence: "\\" at the end of the line');
              len = 1;
              buf += '\\';
            } else {
              this.error(p, p + 2, `Invalid escape sequence "\\${String.fromCharCode(d)}": use \\n, \\r, \\t, \\", \\\\, \\uNNNN or \\UNNNNNNNN`);
              buf += s.slice(p, p + 2);
            }
        }
        p += len;
        segStart = p;
        continue;
      }
      if (c === 36 || c === 37) {
        const d = s.charCodeAt(p + 1);
        if (d === 123) {
          this.flushText(parts, buf, textStart, segStart, p);
          buf = '';
          if (c === 37 && dirs === null) dirs = [];
          p = this.sequence(p, parts, true, dirs);
          textStart = segStart = p;
          continue;
        }
        if (d === c && s.charCodeAt(p + 2) === 123) {
          buf += s.slice(segStart, p + 1);
          p += 2;
          segStart = p;
          continue;
        }
      }
      p++;
    }
    this.stripNext = false;
    if (dirs !== null && dirs.length > 0) this.unclosedDirectives(dirs);
    this.tpl--;
    if (parts.length === 0) parts.push({ kind: 'text', value: '', start: start + 1, end: start + 1 });
    this.te = this.pos = end;
    this.t = OQUOTE;
    this.next();
    return { kind: 'template', parts, start, end };
  }

  private flushText(parts: TemplatePart[], buf: string, textStart: number, segStart: number, p: number): void {
    if (p === textStart) {
      this.stripNext = false;
      return;
    }
    let value = buf + this.s.slice(segStart, p);
    if (this.stripNext) {
      value = trimStartSpace(value);
      this.stripNext = false;
    }
    parts.push({ kind: 'text', value, start: textStart, end: p });
  }

  private unclosedDirectives(dirs: number[]): void {
    for (let i = 0; i < dirs.length; i += 2) {
      const kind = dirs[i];
      const at = dirs[i + 1];
      this.error(at, at + 2, kind === DIR_FOR ? 'Missing %{ endfor } for this %{ for }' : 'Missing %{ endif } for this %{ if }');
    }
  }

  /**
   * A `${ … }` interpolation or `%{ … }` directive starting at `p` inside a template; pushes its part
   * and returns the offset after its closing `}`. `dirs` tracks open directives as (kind, offset) pairs.
   */
  private sequence(p: number, parts: TemplatePart[], quoted: boolean, dirs: number[] | null): number {
    const s = this.s;
    const start = p;
    const directive = s.charCodeAt(p) === 37;
    p += 2;
    if (s.charCodeAt(p) === 126) {
      p++;
      const last = parts.length > 0 ? parts[parts.length - 1] : undefined;
      if (last !== undefined && last.kind === 'text') last.value = trimEndSpace(last.value);
    }
    this.stripNext = false;
    const saved = this.nlSkip;
    const base = this.brk.length;
    const depth = this.depth;
    const tpl = this.tpl;
    this.brk.push(start);
    this.nlSkip = true;
    this.pos = p;
    this.scan();
    while (this.t === NL) this.scan();
    let expr: Expr | undefined;
    let end: number;
    let stripRight = false;
    try {
      if (directive) expr = this.directiveBody(start, dirs as number[]);
      else expr = this.parseExpr();
      if (this.t === TILDE) {
        stripRight = true;
        this.next();
      }
      if (this.t !== RBRACE) {
        this.fail(
          `Expected "}" to close "${directive ? '%{' : '${'}" opened at line ${this.line(start)}, found ${this.describe()}`,
        );
      }
      end = this.te;
    } catch (e) {
      if (!(e instanceof Abort) || e.deep) throw e;
      this.depth = depth;
      this.tpl = tpl;
      end = this.recoverSequence(e, start, quoted);
      if (!directive) expr = { kind: 'invalid', start: Math.min(p, end), end: Math.max(p, Math.min(e.start, end)) };
    }
    this.brk.length = base;
    this.nlSkip = saved;
    if (directive) {
      const part: TemplatePart = { kind: 'directive', start, end, text: s.slice(start, end) };
      if (expr !== undefined) part.expr = expr;
      parts.push(part);
    } else {
      parts.push({ kind: 'interp', expr: expr as Expr, start, end });
    }
    this.stripNext = stripRight;
    return end;
  }

  /** The keyword and operands of a `%{ … }` directive (current token after `%{`). */
  private directiveBody(start: number, dirs: number[]): Expr | undefined {
    const s = this.s;
    if (this.t !== IDENT) this.fail(`Expected "if", "else", "endif", "for" or "endfor" after "%{", found ${this.describe()}`);
    const kwStart = this.ts;
    const kwEnd = this.te;
    const kw = s.slice(kwStart, kwEnd);
    this.next();
    switch (kw) {
      case 'if': {
        const cond = this.parseExpr();
        dirs.push(DIR_IF, start);
        return cond;
      }
      case 'for': {
        if (this.t !== IDENT) this.fail(`Expected a variable name after "for", found ${this.describe()}`);
        this.next();
        if (this.t === COMMA) {
          this.next();
          if (this.t !== IDENT) this.fail(`Expected a second variable name after ",", found ${this.describe()}`);
          this.next();
        }
        if (!(this.t === IDENT && this.isWord('in'))) this.fail(`Expected "in" after the for variables, found ${this.describe()}`);
        this.next();
        const coll = this.parseExpr();
        dirs.push(DIR_FOR, start);
        return coll;
      }
      case 'else':
        if (dirs.length >= 2 && dirs[dirs.length - 2] === DIR_IF) dirs[dirs.length - 2] = DIR_ELSE;
        else this.error(start, kwEnd, 'Unexpected %{ else }: there is no open %{ if }');
        return undefined;
      case 'endif':
        if (dirs.length >= 2 && (dirs[dirs.length - 2] === DIR_IF || dirs[dirs.length - 2] === DIR_ELSE)) dirs.length -= 2;
        else this.error(start, kwEnd, 'Unexpected %{ endif }: there is no open %{ if }');
        return undefined;
      case 'endfor':
        if (dirs.length >= 2 && dirs[dirs.length - 2] === DIR_FOR) dirs.length -= 2;
        else this.error(start, kwEnd, 'Unexpected %{ endfor }: there is no open %{ for }');
        return undefined;
      default:
        return this.fail(`Unknown template directive "${kw}": expected if, else, endif, for or endfor`);
    }
  }

  /** After an error inside `${ … }`: where the template text resumes. */
  private recoverSequence(e: Abort, start: number, quoted: boolean): number {
    const s = this.s;
    let le = this.lineEnd(start);
    if (e.start >= le) {
      if (le >= this.floor) {
        // The sequence was not closed on its line and the error is further down: resume at the end
        // of the line, forgetting what was scanned after it.
        this.rewindTo(le);
        this.error(start, start + 2, this.unclosedMessage(start));
        return le;
      }
      // Cannot move back again: resume after the error instead.
      le = this.lineEnd(e.start);
    }
    this.error(e.start, e.end, e.message);
    let d = 0;
    for (let q = e.start; q < le; q++) {
      const c = s.charCodeAt(q);
      if (c === 123) d++;
      else if (c === 125) {
        if (d === 0) return q + 1;
        d--;
      } else if (quoted && c === 34) return q;
    }
    return le;
  }

  /** End of the line holding `p` (before its `\r\n` or `\n`), or the end of the text. */
  private lineEnd(p: number): number {
    const s = this.s;
    const eol = s.indexOf('\n', p);
    let le = eol < 0 ? this.n : eol;
    if (le > p && s.charCodeAt(le - 1) === 13) le--;
    return le;
  }

  /** Forgets comments and errors found at or after `p` (the template scanner resumes there). */
  private rewindTo(p: number): void {
    if (this.pos > this.floor) this.floor = this.pos;
    const cs = this.comments;
    while (cs.length > 0 && cs[cs.length - 1].start >= p) cs.pop();
    for (let i = 0; i < this.errors.length; i++) {
      if (this.errors[i].start >= p) {
        this.errors = this.errors.filter((x) => x.start < p);
        break;
      }
    }
  }

  /** A heredoc; the current token is its `<<MARKER` header. */
  private parseHeredoc(): HeredocExpr {
    const s = this.s;
    const n = this.n;
    const start = this.ts;
    const indent = this.hdIndent;
    const marker = s.slice(this.hdMarkStart, this.hdMarkEnd);
    let p = this.hdBody;
    const bodyStart = p;
    // Literal tokens never cross a line end (like HCL's scanner), so that `~` stripping and `<<-`
    // indentation apply per line.
    const toks: TemplatePart[] = [];
    let dirs: number[] | null = null;
    let end: number;
    this.tpl++;
    let atLineStart = true;
    for (;;) {
      if (p >= n) {
        this.error(start, this.hdMarkEnd, `Unterminated heredoc: expected a line containing only "${marker}"`);
        end = n;
        break;
      }
      if (atLineStart) {
        const m = this.closingMarkerAt(p, marker);
        if (m >= 0) {
          if (s.indexOf('\n', m) < 0) this.error(m - marker.length, m, `Missing newline after the heredoc closing marker "${marker}"`);
          end = m;
          break;
        }
      }
      atLineStart = false;
      const litStart = p;
      let segStart = p;
      let buf = '';
      let seq = false;
      while (p < n) {
        const c = s.charCodeAt(p);
        if (c === 10) {
          p++;
          atLineStart = true;
          break;
        }
        if (c === 36 || c === 37) {
          const d = s.charCodeAt(p + 1);
          if (d === 123) {
            seq = true;
            break;
          }
          if (d === c && s.charCodeAt(p + 2) === 123) {
            buf += s.slice(segStart, p + 1);
            p += 2;
            segStart = p;
            continue;
          }
        }
        p++;
      }
      if (p > litStart) this.flushText(toks, buf, litStart, segStart, p);
      if (seq) {
        if (s.charCodeAt(p) === 37 && dirs === null) dirs = [];
        p = this.sequence(p, toks, false, dirs);
      }
    }
    this.stripNext = false;
    if (dirs !== null && dirs.length > 0) this.unclosedDirectives(dirs);
    this.tpl--;
    if (indent) flushHeredoc(toks);
    const parts = meld(toks);
    if (parts.length === 0) parts.push({ kind: 'text', value: '', start: bodyStart, end: bodyStart });
    this.te = this.pos = end;
    this.t = HEREDOC;
    this.next();
    return { kind: 'heredoc', marker, indent, parts, start, end };
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function keyNameOf(key: Expr): string | undefined {
  switch (key.kind) {
    case 'variable':
      return key.name;
    case 'template':
      return key.parts.length === 1 && key.parts[0].kind === 'text' ? key.parts[0].value : undefined;
    case 'literal':
      return typeof key.value === 'boolean' ? String(key.value) : undefined;
    default:
      return undefined;
  }
}

/**
 * `<<-` heredocs: remove the smallest indentation of the lines from every line (HCL's rule: lines
 * that are blank are ignored, a line starting with an interpolation counts as zero indentation).
 */
function flushHeredoc(toks: TemplatePart[]): void {
  let min = Number.MAX_SAFE_INTEGER;
  let newline = true;
  const adjust: Array<TemplatePart & { kind: 'text' }> = [];
  for (const tk of toks) {
    if (newline) {
      newline = false;
      if (tk.kind === 'text') {
        const v = tk.value;
        let k = 0;
        while (k < v.length && isSpaceCode(v.charCodeAt(k))) k++;
        if (!(k === v.length && v.charCodeAt(v.length - 1) === 10)) {
          if (k < min) min = k;
          adjust.push(tk);
        }
      } else {
        min = 0;
      }
    }
    if (tk.kind === 'text' && tk.value.charCodeAt(tk.value.length - 1) === 10) newline = true;
  }
  if (min === 0 || min === Number.MAX_SAFE_INTEGER) return;
  for (const tk of adjust) tk.value = tk.value.slice(min);
}

/** Joins consecutive text tokens into one part. */
function meld(toks: TemplatePart[]): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let i = 0;
  while (i < toks.length) {
    const tk = toks[i];
    if (tk.kind !== 'text' || i + 1 >= toks.length || toks[i + 1].kind !== 'text') {
      parts.push(tk);
      i++;
      continue;
    }
    let value = tk.value;
    let end = tk.end;
    let j = i + 1;
    while (j < toks.length) {
      const nx = toks[j];
      if (nx.kind !== 'text') break;
      value += nx.value;
      end = nx.end;
      j++;
    }
    parts.push({ kind: 'text', value, start: tk.start, end });
    i = j;
  }
  return parts;
}

/**
 * Parses HCL2 native syntax (Terraform `.tf` / `.tfvars`). Never throws: syntax errors are returned in
 * `errors`, and the tree keeps everything that could be parsed.
 */
export function parseHcl(text: string): HclFile {
  const first = new Parser(text, false);
  const file = first.parseFile();
  if (!first.unclosedAtEof) return file;
  // A block was left open to the end of the file: parse again, letting a top-level block keyword at
  // the start of a line (`resource "…"`) close the open blocks, so that the blocks after a missing
  // `}` stay top-level.
  return new Parser(text, true).parseFile();
}
