// jsonc-parser, from its ES module build. The package's `main` is a UMD build whose AMD-style `require`s esbuild
// cannot follow (the bundle then fails at start with "Cannot find module './impl/format'"), and esbuild picks
// `main` over `module` for Node targets unless told otherwise. Importing the ES build here keeps every bundle working.

import { printParseErrorCode, type Node } from 'jsonc-parser/lib/esm/main.js';

export { applyEdits, findNodeAtLocation, modify, parseTree, printParseErrorCode } from 'jsonc-parser/lib/esm/main.js';
export type { Edit, JSONPath, Node, ParseError } from 'jsonc-parser/lib/esm/main.js';

const SYNTAX_MESSAGES: Record<string, string> = {
  InvalidSymbol: 'Unexpected character',
  InvalidNumberFormat: 'Invalid number',
  PropertyNameExpected: 'Expected a property name in double quotes',
  ValueExpected: 'Expected a value',
  ColonExpected: 'Expected a colon (:) after the property name',
  CommaExpected: 'Expected a comma (,) between entries',
  CloseBraceExpected: 'Expected a closing brace (})',
  CloseBracketExpected: 'Expected a closing bracket (])',
  EndOfFileExpected: 'Expected the end of the file after the top-level object',
  InvalidCommentToken: 'Invalid comment',
  UnexpectedEndOfComment: 'Unterminated block comment (missing */)',
  UnexpectedEndOfString: 'Unterminated string (missing ")',
  UnexpectedEndOfNumber: 'Unterminated number',
  InvalidUnicode: 'Invalid unicode escape sequence',
  InvalidEscapeCharacter: 'Invalid escape character in a string',
  InvalidCharacter: 'Invalid character in a string (control characters must be escaped)',
};

/** A readable sentence for a jsonc-parser syntax error code. */
export function syntaxMessage(code: number): string {
  const name = printParseErrorCode(code as Parameters<typeof printParseErrorCode>[0]);
  return SYNTAX_MESSAGES[name] ?? name;
}

/** `YYYY-MM-DD`. */
export const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** Escapes one key for a JSON Pointer (`~` → `~0`, `/` → `~1`). */
export const pointerSegment = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** `the string "x"`, `the number 3`, `an object`…: how a value is named in messages; strings cut at `maxString` characters. */
export function describeNode(n: Node, maxString = Number.POSITIVE_INFINITY): string {
  switch (n.type) {
    case 'string': {
      const s = String(n.value);
      return `the string ${JSON.stringify(s.length > maxString ? `${s.slice(0, maxString)}…` : s)}`;
    }
    case 'number':
      return `the number ${String(n.value)}`;
    case 'boolean':
      return String(n.value);
    case 'null':
      return 'null';
    case 'object':
      return 'an object';
    case 'array':
      return 'an array';
    default:
      return 'a value';
  }
}

/** The JSON value of a node (for unknown keys, kept as they are). */
export function valueOf(n: Node): unknown {
  switch (n.type) {
    case 'object': {
      const o: Record<string, unknown> = {};
      for (const p of n.children ?? []) if (p.children?.[0] && p.children[1]) o[String(p.children[0].value)] = valueOf(p.children[1]);
      return o;
    }
    case 'array':
      return (n.children ?? []).map(valueOf);
    default:
      return n.value as unknown;
  }
}
