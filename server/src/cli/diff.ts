// Unified diffs of two texts (for `iso27017 fix --dry-run`). Pure: Myers' O((N+M)·D) line diff.

type Op = { kind: ' ' | '-' | '+'; line: string };

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/(?<=\n)/);
  return lines;
}

/** The shortest edit script between two line arrays, as a list of kept, removed and added lines. */
function diffLines(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let done = false;
  for (let d = 0; d <= max && !done; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) (x++, y++);
      v[offset + k] = x;
      if (x >= n && y >= m) {
        done = true;
        break;
      }
    }
  }
  // Walk the trace back from the end.
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[offset + k - 1]! < vd[offset + k + 1]!) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : vd[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) ops.push({ kind: ' ', line: a[--x]! }), y--;
    if (d > 0) {
      if (x === prevX) ops.push({ kind: '+', line: b[--y]! });
      else ops.push({ kind: '-', line: a[--x]! });
    }
  }
  while (x > 0 && y > 0) ops.push({ kind: ' ', line: a[--x]! }), y--;
  return ops.reverse();
}

/** A unified diff (`--- a/<name>`, `+++ b/<name>`, hunks with `context` lines); empty when the texts are equal. */
export function unifiedDiff(name: string, before: string, after: string, context = 3): string {
  if (before === after) return '';
  const ops = diffLines(splitLines(before), splitLines(after));
  const out: string[] = [`--- a/${name}\n`, `+++ b/${name}\n`];
  const show = (op: Op): string => {
    const body = op.line.endsWith('\n') ? op.line : `${op.line}\n\\ No newline at end of file\n`;
    return `${op.kind}${body}`;
  };
  let i = 0;
  while (i < ops.length) {
    if (ops[i]!.kind === ' ') {
      i++;
      continue;
    }
    // A hunk: from `context` lines before this change to `context` lines after the last change that is at
    // most 2·context kept lines away.
    let start = i;
    for (let c = 0; c < context && start > 0 && ops[start - 1]!.kind === ' '; c++) start--;
    let end = i;
    for (;;) {
      while (end < ops.length && ops[end]!.kind !== ' ') end++;
      let gap = 0;
      while (end + gap < ops.length && ops[end + gap]!.kind === ' ') gap++;
      if (end + gap < ops.length && gap <= 2 * context) end += gap;
      else {
        end = Math.min(ops.length, end + Math.min(gap, context));
        break;
      }
    }
    let aStart = 1;
    let bStart = 1;
    for (let k = 0; k < start; k++) {
      if (ops[k]!.kind !== '+') aStart++;
      if (ops[k]!.kind !== '-') bStart++;
    }
    const hunk = ops.slice(start, end);
    const aLen = hunk.filter((o) => o.kind !== '+').length;
    const bLen = hunk.filter((o) => o.kind !== '-').length;
    out.push(`@@ -${aLen === 0 ? aStart - 1 : aStart},${aLen} +${bLen === 0 ? bStart - 1 : bStart},${bLen} @@\n`);
    for (const op of hunk) out.push(show(op));
    i = end;
  }
  return out.join('');
}
