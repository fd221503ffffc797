// The HCL syntax tree: every node carries its start and end offsets (UTF-16 code units into the file text).

/** A half-open span `[start, end)` of offsets into the source text. */
export interface Span {
  start: number;
  end: number;
}

/** A file: its top-level body plus the syntax errors met while parsing it. */
export interface HclFile {
  body: Body;
  errors: ParseError[];
  /** Comments in source order, kept for suppressions (`# iso27017:ignore …`, `#checkov:skip=…`). */
  comments: Comment[];
}

export interface ParseError extends Span {
  message: string;
}

export interface Comment extends Span {
  /** The comment text without its markers (`#`, `//`, `/*`, `*\/`), untrimmed. */
  text: string;
  /** True for `/* … *\/` comments. */
  block: boolean;
}

/** A block body or the file's top level: attributes and blocks in source order. */
export interface Body extends Span {
  items: BodyItem[];
}

export type BodyItem = Attribute | Block;

/** `name = expr`. */
export interface Attribute extends Span {
  kind: 'attribute';
  name: string;
  nameSpan: Span;
  expr: Expr;
}

/** `type "label" label { body }`. */
export interface Block extends Span {
  kind: 'block';
  type: string;
  typeSpan: Span;
  labels: Label[];
  body: Body;
  /** Offset of `{`, or -1 when it is missing (half-typed input). */
  openBrace: number;
  /** Offset of `}`, or -1 when the block is not closed. */
  closeBrace: number;
}

export interface Label extends Span {
  value: string;
  /** True when the label was written as a quoted string. */
  quoted: boolean;
}

export type Expr =
  | LiteralExpr
  | TemplateExpr
  | HeredocExpr
  | VariableExpr
  | GetAttrExpr
  | IndexExpr
  | SplatExpr
  | CallExpr
  | TupleExpr
  | ObjectExpr
  | ConditionalExpr
  | BinaryExpr
  | UnaryExpr
  | ForExpr
  | ParenExpr
  | InvalidExpr;

/** A number, `true`, `false` or `null`. */
export interface LiteralExpr extends Span {
  kind: 'literal';
  value: number | boolean | null;
}

/**
 * A quoted string. `parts` alternate between literal text and interpolations; a string without
 * interpolation has a single string part. Template directives (`%{if}`, `%{for}`) are kept as
 * `directive` parts so that the string is known to be dynamic.
 */
export interface TemplateExpr extends Span {
  kind: 'template';
  parts: TemplatePart[];
}

export type TemplatePart =
  | { kind: 'text'; value: string; start: number; end: number }
  | { kind: 'interp'; expr: Expr; start: number; end: number }
  | {
      kind: 'directive';
      start: number;
      end: number;
      /** The directive's source text, `%{` to `}` inclusive, e.g. `%{ if var.enabled ~}`. */
      text: string;
      /** Added: the condition of `%{ if … }` or the collection of `%{ for … in … }`, when present. */
      expr?: Expr;
    };

/** `<<EOF … EOF` or `<<-EOF … EOF`. */
export interface HeredocExpr extends Span {
  kind: 'heredoc';
  marker: string;
  indent: boolean;
  parts: TemplatePart[];
}

/** A bare name: `var`, `local`, `aws_s3_bucket`, `count`, `each`, `path`, a for-expression variable. */
export interface VariableExpr extends Span {
  kind: 'variable';
  name: string;
}

/** `object.name`. */
export interface GetAttrExpr extends Span {
  kind: 'getattr';
  object: Expr;
  name: string;
  nameSpan: Span;
}

/** `object[key]` (and the legacy `object.0`). */
export interface IndexExpr extends Span {
  kind: 'index';
  object: Expr;
  key: Expr;
}

/** `object[*].a.b` or `object.*.a.b`: `each` is applied to every element. */
export interface SplatExpr extends Span {
  kind: 'splat';
  object: Expr;
  /** Attribute/index steps after the splat, as names or expressions. */
  steps: Array<{ kind: 'attr'; name: string } | { kind: 'index'; key: Expr }>;
  full: boolean;
}

export interface CallExpr extends Span {
  kind: 'call';
  name: string;
  nameSpan: Span;
  args: Expr[];
  /** True when the last argument is followed by `...` (expand). */
  expandFinal: boolean;
}

export interface TupleExpr extends Span {
  kind: 'tuple';
  items: Expr[];
}

export interface ObjectItem extends Span {
  key: Expr;
  /** The key as written when it is a bare identifier or a plain string, else undefined. */
  keyName: string | undefined;
  value: Expr;
}

export interface ObjectExpr extends Span {
  kind: 'object';
  items: ObjectItem[];
}

export interface ConditionalExpr extends Span {
  kind: 'conditional';
  condition: Expr;
  then: Expr;
  else: Expr;
}

export type BinaryOp = '||' | '&&' | '==' | '!=' | '<' | '>' | '<=' | '>=' | '+' | '-' | '*' | '/' | '%';

export interface BinaryExpr extends Span {
  kind: 'binary';
  op: BinaryOp;
  left: Expr;
  right: Expr;
}

export interface UnaryExpr extends Span {
  kind: 'unary';
  op: '!' | '-';
  operand: Expr;
}

/** `[for k, v in coll : expr if cond]` or `{for k, v in coll : key => value... if cond}`. */
export interface ForExpr extends Span {
  kind: 'for';
  object: boolean;
  keyVar: string | undefined;
  valueVar: string;
  collection: Expr;
  keyExpr: Expr | undefined;
  valueExpr: Expr;
  condition: Expr | undefined;
  grouping: boolean;
}

export interface ParenExpr extends Span {
  kind: 'paren';
  expr: Expr;
}

/** Stands in for an expression that could not be parsed; its value is always unknown. */
export interface InvalidExpr extends Span {
  kind: 'invalid';
}
