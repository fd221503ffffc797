// Layout-keeping edits of JSON-with-comments text: set, insert and remove one member of an object or array
// without touching a byte outside it (comments, order, spacing, unknown fields all stay as they were).
//
// jsonc-parser's `modify` is used for value replacement, where its edit is exactly the old value. For inserts
// and removals it either writes everything on one line or reformats whole lines (single-line objects become
// multi-line, trailing comments move), so those two are done here, following the layout around the edit.

import { applyEdits, type Edit, findNodeAtLocation, type JSONPath, modify, type Node, parseTree } from './jsonc';

/** How new text is laid out: the file's line break and indentation unit. */
export interface Layout {
  eol: string;
  /** One level of indentation: a tab, or some spaces. */
  unit: string;
}

/** Reads the layout of a text: `\r\n` if it has any, else `\n`; the smallest indentation step found (default two spaces). */
export function detectLayout(text: string): Layout {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  let unit: string | undefined;
  const indents = text.split(/\r?\n/).map((l) => /^[ \t]*/.exec(l)![0]).filter((s) => s.length > 0);
  if (indents.some((s) => s.startsWith('\t'))) unit = '\t';
  else if (indents.length > 0) unit = ' '.repeat(Math.min(...indents.map((s) => s.length)));
  return { eol, unit: unit ?? '  ' };
}

/** Parses like the checklist reader does (comments and trailing commas allowed). */
export function parseJsonc(text: string): Node | undefined {
  return parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
}

const isEol = (c: string | undefined): boolean => c === '\n' || c === '\r';

function lineStart(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && !isEol(text[i - 1])) i--;
  return i;
}

/** The leading whitespace of the line holding `offset`. */
function indentAt(text: string, offset: number): string {
  const s = lineStart(text, offset);
  return /^[ \t]*/.exec(text.slice(s, offset))![0];
}

/** True when only spaces and tabs precede `offset` on its line. */
function firstOnLine(text: string, offset: number): boolean {
  return /^[ \t]*$/.test(text.slice(lineStart(text, offset), offset));
}

const spansLines = (text: string, n: Node): boolean => /[\r\n]/.test(text.slice(n.offset, n.offset + n.length));

/**
 * What follows `from` on the same line: spaces, an optional comma, comments that end on this line.
 * Returns the offset of the comma (if any), the offset where the line's content ends (before the line break,
 * or before the next token) and the offset just after the line break (undefined when something else follows).
 */
function tail(text: string, from: number): { comma: number | undefined; contentEnd: number; nextLine: number | undefined } {
  let i = from;
  let comma: number | undefined;
  let contentEnd = from;
  for (;;) {
    while (text[i] === ' ' || text[i] === '\t') i++;
    if (text[i] === ',' && comma === undefined) {
      comma = i;
      i++;
      contentEnd = i;
      continue;
    }
    if (text.startsWith('//', i)) {
      while (i < text.length && !isEol(text[i])) i++;
      contentEnd = i;
      continue;
    }
    if (text.startsWith('/*', i)) {
      const close = text.indexOf('*/', i + 2);
      const end = close < 0 ? text.length : close + 2;
      if (/[\r\n]/.test(text.slice(i, end))) break;
      i = end;
      contentEnd = i;
      continue;
    }
    break;
  }
  if (i >= text.length) return { comma, contentEnd, nextLine: text.length };
  if (isEol(text[i])) return { comma, contentEnd, nextLine: text[i] === '\r' && text[i + 1] === '\n' ? i + 2 : i + 1 };
  return { comma, contentEnd, nextLine: undefined };
}

/** `{ "a": 1, "b": [1, 2] }`: JSON on one line, spaced like hand-written JSON. */
export function compactJson(value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? '[]' : `[${value.map(compactJson).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${compactJson(v)}`).join(', ')} }`;
  }
  return JSON.stringify(value);
}

/** JSON over several lines, the first line starting at `indent`'s column. */
function blockJson(value: unknown, indent: string, layout: Layout): string {
  return JSON.stringify(value, null, layout.unit).split('\n').join(layout.eol + indent);
}

const isContainer = (v: unknown): boolean => v !== null && typeof v === 'object';

/** The text of one new member: `"key": value` or `value`, on one line or laid out as blocks. */
function memberText(key: string | undefined, value: unknown, indent: string, oneLine: boolean, layout: Layout): string {
  const v = oneLine || !isContainer(value) ? compactJson(value) : blockJson(value, indent, layout);
  return key === undefined ? v : `${JSON.stringify(key)}: ${v}`;
}

/** Inserts a member at the end of an object or array node. */
function insertMember(text: string, container: Node, key: string | undefined, value: unknown, layout: Layout): Edit[] {
  const children = container.children ?? [];
  const open = container.offset;
  const close = container.offset + container.length - 1;
  const containerIndent = indentAt(text, open);

  if (children.length === 0) {
    const inner = text.slice(open + 1, close);
    const childIndent = containerIndent + layout.unit;
    if (/^\s*$/.test(inner)) {
      const member = memberText(key, value, childIndent, false, layout);
      return [{ offset: open + 1, length: inner.length, content: `${layout.eol}${childIndent}${member}${layout.eol}${containerIndent}` }];
    }
    // Only comments inside: add the member on its own line before the closing bracket.
    const member = memberText(key, value, childIndent, false, layout);
    if (firstOnLine(text, close)) return [{ offset: lineStart(text, close), length: 0, content: `${childIndent}${member}${layout.eol}` }];
    return [{ offset: close, length: 0, content: `${layout.eol}${childIndent}${member}${layout.eol}${containerIndent}` }];
  }

  const last = children[children.length - 1]!;
  const lastEnd = last.offset + last.length;
  const after = tail(text, lastEnd);

  if (!spansLines(text, container)) {
    const member = memberText(key, value, '', true, layout);
    if (after.comma !== undefined) return [{ offset: after.comma + 1, length: 0, content: ` ${member},` }];
    return [{ offset: lastEnd, length: 0, content: `, ${member}` }];
  }

  const childIndent = firstOnLine(text, last.offset) ? indentAt(text, last.offset) : containerIndent + layout.unit;
  // A new entry looks like the one before it: on one line if that one is.
  const lastValue = key === undefined ? last : last.children?.[1];
  const oneLine = lastValue !== undefined && (lastValue.type === 'object' || lastValue.type === 'array') && !spansLines(text, lastValue);
  const member = memberText(key, value, childIndent, oneLine, layout);
  if (after.nextLine === undefined) {
    // Something follows on the same line (the closing bracket): insert right after the last member.
    if (after.comma !== undefined) return [{ offset: after.comma + 1, length: 0, content: `${layout.eol}${childIndent}${member},` }];
    return [{ offset: lastEnd, length: 0, content: `,${layout.eol}${childIndent}${member}` }];
  }
  if (after.comma !== undefined) {
    // Trailing-comma style: keep it.
    return [{ offset: after.contentEnd, length: 0, content: `${layout.eol}${childIndent}${member},` }];
  }
  if (after.contentEnd === lastEnd) return [{ offset: lastEnd, length: 0, content: `,${layout.eol}${childIndent}${member}` }];
  // A comment ends the line: the comma goes before it, the new member after it.
  return [
    { offset: lastEnd, length: 0, content: ',' },
    { offset: after.contentEnd, length: 0, content: `${layout.eol}${childIndent}${member}` },
  ];
}

/** Removes the member at `index` of an object (a property node) or array (a value node). */
function removeMember(text: string, container: Node, index: number): Edit[] {
  const children = container.children ?? [];
  const child = children[index]!;
  const childEnd = child.offset + child.length;
  const prev = index > 0 ? children[index - 1] : undefined;
  const next = children[index + 1];
  const after = tail(text, childEnd);

  if (spansLines(text, container) && firstOnLine(text, child.offset) && after.nextLine !== undefined) {
    // The member has its line(s) to itself: remove them whole, with a comment that ends its last line.
    const edits: Edit[] = [{ offset: lineStart(text, child.offset), length: after.nextLine - lineStart(text, child.offset), content: '' }];
    if (!next && after.comma === undefined && prev) {
      // It was the last member and had no comma: the one before it loses its comma.
      const prevTail = tail(text, prev.offset + prev.length);
      if (prevTail.comma !== undefined) edits.unshift({ offset: prevTail.comma, length: 1, content: '' });
    }
    return edits;
  }
  // Sharing a line with the next member: take the member and its separator; else the separator before it.
  if (next && !/[\r\n]/.test(text.slice(childEnd, next.offset))) return [{ offset: child.offset, length: next.offset - child.offset, content: '' }];
  if (prev) return [{ offset: prev.offset + prev.length, length: childEnd - (prev.offset + prev.length), content: '' }];
  if (next) return [{ offset: child.offset, length: next.offset - child.offset, content: '' }];
  return [{ offset: child.offset, length: (after.comma !== undefined ? after.comma + 1 : childEnd) - child.offset, content: '' }];
}

/**
 * Sets (or with `undefined`, removes) the value at `path`, whose parent must exist. Array paths may end in `-1`
 * to append. Returns the new text.
 */
export function setJsonValue(text: string, path: JSONPath, value: unknown, layout: Layout = detectLayout(text)): string {
  const root = parseJsonc(text);
  if (!root) throw new Error('The text is not JSON.');
  const parentPath = path.slice(0, -1);
  const last = path[path.length - 1];
  const parent = findNodeAtLocation(root, parentPath);
  if (!parent) throw new Error(`Nothing at /${parentPath.join('/')}.`);

  if (parent.type === 'object' && typeof last === 'string') {
    const index = (parent.children ?? []).findIndex((p) => p.children?.[0]?.value === last);
    if (value === undefined) return index < 0 ? text : applyEdits(text, removeMember(text, parent, index));
    if (index >= 0) {
      const existing = parent.children![index]!.children![1];
      if (existing && isContainer(value) && spansLines(text, parent)) {
        // Replace a whole object or array value laid out like its surroundings.
        const indent = indentAt(text, parent.children![index]!.offset);
        const oneLine = (existing.type === 'object' || existing.type === 'array') && !spansLines(text, existing);
        return applyEdits(text, [{ offset: existing.offset, length: existing.length, content: oneLine ? compactJson(value) : blockJson(value, indent, layout) }]);
      }
      // jsonc-parser's own edit replaces exactly the old value.
      return applyEdits(text, existing && isContainer(value) ? [{ offset: existing.offset, length: existing.length, content: compactJson(value) }] : modify(text, path, value, {}));
    }
    return applyEdits(text, insertMember(text, parent, last, value, layout));
  }
  if (parent.type === 'array' && typeof last === 'number') {
    const items = parent.children ?? [];
    if (value === undefined) return last >= 0 && last < items.length ? applyEdits(text, removeMember(text, parent, last)) : text;
    if (last === -1 || last >= items.length) return applyEdits(text, insertMember(text, parent, undefined, value, layout));
    const existing = items[last]!;
    return applyEdits(text, [{ offset: existing.offset, length: existing.length, content: isContainer(value) ? compactJson(value) : JSON.stringify(value) }]);
  }
  throw new Error(`Cannot set ${JSON.stringify(last)} in a JSON ${parent.type}.`);
}

/**
 * The single edit that turns `before` into `after`: everything outside it is common to both. Never splits a
 * `\r\n` pair or a surrogate pair.
 */
export function diffEdit(before: string, after: string): Edit | undefined {
  if (before === after) return undefined;
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endB = before.length;
  let endA = after.length;
  while (endB > start && endA > start && before.charCodeAt(endB - 1) === after.charCodeAt(endA - 1)) {
    endB--;
    endA--;
  }
  const splits = (s: string, i: number): boolean => {
    const p = s.charCodeAt(i - 1);
    const c = s.charCodeAt(i);
    return (p === 13 && c === 10) || (p >= 0xd800 && p <= 0xdbff && c >= 0xdc00 && c <= 0xdfff);
  };
  while (start > 0 && (splits(before, start) || splits(after, start))) start--;
  while (endB < before.length && (splits(before, endB) || splits(after, endA))) {
    endB++;
    endA++;
  }
  return { offset: start, length: endB - start, content: after.slice(start, endA) };
}
