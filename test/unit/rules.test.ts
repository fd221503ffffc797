// Runs every rule against its annotated fixture folder (semgrep-style `ruleid:` / `ok:` comments).

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rules } from '../../server/src/rules/index';
import type { Finding } from '../../server/src/engine/types';
import { listFiles, projectFor, repoRoot } from './support/project';

const fixturesRoot = join(repoRoot, 'test/fixtures/rules');
const ANNOTATION = /^\s*(?:#|\/\/)\s*(ruleid|ok|todoruleid|todook):\s*([\w./-]+)\s*$/;

interface Expectation {
  kind: string;
  file: string;
  /** Zero-based line the annotation points at. */
  line: number;
}

/** Reads the annotations: each points at the next line that is neither blank nor a comment. */
function annotations(dir: string, ruleId: string): Expectation[] {
  const out: Expectation[] = [];
  for (const rel of listFiles(dir)) {
    if (rel.includes('.fixed.') || rel.endsWith('.md')) continue;
    const lines = readFileSync(join(dir, rel), 'utf8').split(/\r?\n/);
    lines.forEach((text, i) => {
      const m = ANNOTATION.exec(text);
      if (!m || m[2] !== ruleId) return;
      let j = i + 1;
      while (j < lines.length && (/^\s*$/.test(lines[j]!) || /^\s*(#|\/\/)/.test(lines[j]!))) j++;
      out.push({ kind: m[1]!, file: join(dir, rel), line: j });
    });
  }
  return out;
}

/** The zero-based line range of the block that starts on `line` (by brace counting), for `ok:`. */
function blockLines(file: string, line: number): [number, number] {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  let depth = 0;
  let opened = false;
  for (let i = line; i < lines.length; i++) {
    for (const ch of lines[i]!) {
      if (ch === '{') {
        depth++;
        opened = true;
      } else if (ch === '}') depth--;
    }
    if (!opened) return [line, line];
    if (depth <= 0) return [line, i];
  }
  return [line, lines.length - 1];
}

describe('rule fixtures', () => {
  it('every rule has a fixture folder', () => {
    const missing = rules.filter((r) => !existsSync(join(fixturesRoot, r.meta.id)));
    assert.deepEqual(missing.map((r) => r.meta.id), []);
  });

  for (const rule of rules) {
    const id = rule.meta.id;
    const dir = join(fixturesRoot, id);
    if (!existsSync(dir)) continue;
    it(id, () => {
      const result = projectFor(dir, [rule]).analyzeAll();
      const findings = result.findings.filter((f) => f.ruleId === id);
      const expected = annotations(dir, id);
      assert.ok(expected.some((e) => e.kind === 'ruleid'), `${id}: the fixture needs at least one "ruleid:" case`);
      assert.ok(expected.some((e) => e.kind === 'ok'), `${id}: the fixture needs at least one "ok:" case`);
      const problems: string[] = [];
      const where = (f: Finding): string => `${f.file.slice(dir.length + 1)}:${f.range.start.line + 1}`;
      const matched = new Set<Finding>();
      for (const e of expected) {
        const rel = `${e.file.slice(dir.length + 1)}:${e.line + 1}`;
        if (e.kind === 'ruleid') {
          const hit = findings.filter((f) => f.file === e.file && f.range.start.line === e.line);
          if (hit.length === 0) problems.push(`expected a finding at ${rel}, got none`);
          hit.forEach((f) => matched.add(f));
        } else if (e.kind === 'ok') {
          const [a, b] = blockLines(e.file, e.line);
          const bad = findings.filter((f) => f.file === e.file && f.range.start.line >= a && f.range.start.line <= b && !expected.some((x) => x.kind === 'ruleid' && x.file === f.file && x.line === f.range.start.line));
          for (const f of bad) problems.push(`"ok" case at ${rel} was flagged at ${where(f)}: ${f.message}`);
        } else if (e.kind === 'todoruleid' || e.kind === 'todook') {
          findings.filter((f) => f.file === e.file && f.range.start.line === e.line).forEach((f) => matched.add(f));
        }
      }
      for (const f of findings) if (!matched.has(f)) problems.push(`unexpected finding at ${where(f)}: ${f.message}`);
      for (const e of result.errors) problems.push(`parse error in ${e.file.slice(dir.length + 1)}: ${e.message}`);
      assert.deepEqual(problems, []);
    });
  }
});
