// Character classification and small scanning helpers shared by the HCL parser.
// The token scanner itself lives in parser.ts (it is a method of the parser, so that the hot
// loop reads the parser's own fields); this module holds the pure, allocation-free helpers.

/** ASCII character classes: bit 1 = identifier start, bit 2 = identifier continue, bit 4 = digit. */
export const CHAR_CLASS = /* @__PURE__ */ (() => {
  const cc = new Uint8Array(128);
  for (let c = 0; c < 128; c++) {
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    const digit = c >= 48 && c <= 57;
    if (letter || c === 95) cc[c] |= 1 | 2;
    if (digit) cc[c] |= 2 | 4;
    if (c === 45) cc[c] |= 2; // '-' continues an identifier: `aws-region`, `index-1`
  }
  return cc;
})();

const ID_START_RE = /^\p{ID_Start}$/u;
const ID_CONTINUE_RE = /^[\p{ID_Continue}\u200c\u200d]$/u;

/** Length (1 or 2 code units) of the non-ASCII identifier-start character at `p`, or 0. */
export function nonAsciiIdStart(s: string, p: number): number {
  const cp = s.codePointAt(p);
  if (cp === undefined || cp < 128) return 0;
  const ch = String.fromCodePoint(cp);
  return ID_START_RE.test(ch) ? ch.length : 0;
}

/** Length (1 or 2 code units) of the non-ASCII identifier-continue character at `p`, or 0. */
export function nonAsciiIdContinue(s: string, p: number): number {
  const cp = s.codePointAt(p);
  if (cp === undefined || cp < 128) return 0;
  const ch = String.fromCodePoint(cp);
  return ID_CONTINUE_RE.test(ch) ? ch.length : 0;
}

/** End offset of the identifier that starts at `p` (which must be an identifier start). */
export function scanIdentEnd(s: string, p: number, n: number): number {
  let q = p;
  const c0 = s.charCodeAt(q);
  q += c0 < 128 ? 1 : Math.max(1, nonAsciiIdStart(s, q));
  while (q < n) {
    const c = s.charCodeAt(q);
    if (c < 128) {
      if (CHAR_CLASS[c] & 2) q++;
      else break;
    } else {
      const k = nonAsciiIdContinue(s, q);
      if (k === 0) break;
      q += k;
    }
  }
  return q;
}

/** Length of the identifier start at `p` (0 when there is none). */
export function identStartLength(s: string, p: number): number {
  const c = s.charCodeAt(p);
  if (c !== c) return 0; // NaN: past the end
  if (c < 128) return CHAR_CLASS[c] & 1 ? 1 : 0;
  return nonAsciiIdStart(s, p);
}

/** Whitespace as Go's `unicode.IsSpace` sees it (used for heredoc indentation and `~` stripping). */
export function isSpaceCode(c: number): boolean {
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

export function trimStartSpace(v: string): string {
  let i = 0;
  while (i < v.length && isSpaceCode(v.charCodeAt(i))) i++;
  return i === 0 ? v : v.slice(i);
}

export function trimEndSpace(v: string): string {
  let i = v.length;
  while (i > 0 && isSpaceCode(v.charCodeAt(i - 1))) i--;
  return i === v.length ? v : v.slice(0, i);
}

/** Value of a hex digit, or -1. */
export function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Offsets of line starts (line 1 starts at 0), computed once per file when an error needs a line number. */
export function lineStarts(s: string): number[] {
  const starts = [0];
  let i = s.indexOf('\n');
  while (i >= 0) {
    starts.push(i + 1);
    i = s.indexOf('\n', i + 1);
  }
  return starts;
}

/** 1-based line number of `pos` given the line starts. */
export function lineAt(starts: number[], pos: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}
