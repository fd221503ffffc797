// Runs every rule against its annotated fixture folder (semgrep-style `ruleid:` / `ok:` comments).

import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { parseHcl } from '../../server/src/documents/terraform/parser';
import { fixAll } from '../../server/src/engine/fixer';
import { Project } from '../../server/src/engine/project';
import type { Rule } from '../../server/src/engine/rule';
import { rules } from '../../server/src/rules/index';
import type { Finding } from '../../server/src/engine/types';
import { controls, listFiles, repoRoot } from './support/project';

const fixturesRoot = join(repoRoot, 'test/fixtures/rules');
const ANNOTATION = /^\s*(?:#|\/\/)\s*(ruleid|ok|todoruleid|todook):\s*([\w./-]+)\s*$/;
/** `cases.fixed.tf` is the expected text of `cases.tf` after every fix of the rule (semgrep's `.fixed`). */
const FIXED = /\.fixed(\.[^./]+)$/;
/** Set UPDATE_FIXED=1 to (re)write the `.fixed` files from the current fixes; review the diff before committing. */
const UPDATE_FIXED = process.env.UPDATE_FIXED === '1';

/** The fixture's source files (not the `.fixed` expectations, not docs). */
function sourceFiles(dir: string): string[] {
  return listFiles(dir).filter((rel) => !FIXED.test(rel) && !rel.endsWith('.md'));
}

/** A project holding a fixture folder's source files, running one rule (all rules are known to suppressions). */
function projectOf(dir: string, rule: Rule): Project {
  const p = new Project({ rules: [rule], controls: controls(), knownRules: rules.map((r) => r.meta) });
  for (const rel of sourceFiles(dir)) p.setFile(join(dir, rel), readFileSync(join(dir, rel), 'utf8'));
  return p;
}

const fixedName = (rel: string): string => rel.replace(/(\.[^./]+)$/, '.fixed$1');

interface Expectation {
  kind: string;
  file: string;
  /** Zero-based line the annotation points at. */
  line: number;
}

/** Reads the annotations: each points at the next line that is neither blank nor a comment. */
function annotations(dir: string, ruleId: string): Expectation[] {
  const out: Expectation[] = [];
  for (const rel of sourceFiles(dir)) {
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
      const result = projectOf(dir, rule).analyzeAll();
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

    it(`${id} fixes`, () => {
      const fixedFiles = listFiles(dir).filter((rel) => FIXED.test(rel));
      const project = projectOf(dir, rule);
      const before = project.analyzeAll().findings.filter((f) => f.ruleId === id);
      const withFix = before.filter((f) => f.fixes.length > 0);
      for (const f of before) assert.equal(f.fixable, f.fixes.length > 0, `${id}: fixable must say whether the finding has fixes`);
      if (!rule.meta.fixable) {
        assert.deepEqual(fixedFiles, [], `${id} is not fixable, so its fixture must not have a .fixed file`);
        assert.deepEqual(withFix, [], `${id} is not fixable but offers fixes`);
        return;
      }
      assert.ok(withFix.length > 0, `${id} is fixable, but no finding of its fixture offers a fix`);
      const { files: changed } = fixAll(project, { rules: new Set([id]), placeholders: true });
      const problems: string[] = [];
      for (const [abs, text] of changed) {
        const rel = abs.slice(dir.length + 1);
        const errors = rel.endsWith('.tf') ? parseHcl(text).errors : /\.ya?ml$/.test(rel) ? parseAllDocuments(text).flatMap((d) => d.errors.map((e) => ({ message: e.message, start: e.pos[0] }))) : [];
        if (errors.length > 0) problems.push(`${rel} is not valid ${rel.endsWith('.tf') ? 'HCL' : 'YAML'} after the fixes: ${errors[0]!.message} at ${errors[0]!.start}`);
        if (UPDATE_FIXED) writeFileSync(join(dir, fixedName(rel)), text);
        else if (!fixedFiles.includes(fixedName(rel))) problems.push(`the fixes change ${rel}, but there is no ${fixedName(rel)}`);
      }
      if (UPDATE_FIXED) return;
      assert.ok(fixedFiles.length > 0, `${id} is fixable, so its fixture needs a .fixed file`);
      for (const fixedRel of fixedFiles) {
        const rel = fixedRel.replace(FIXED, '$1');
        const abs = join(dir, rel);
        assert.ok(existsSync(abs), `${fixedRel} has no source file ${rel}`);
        const actual = changed.get(abs) ?? readFileSync(abs, 'utf8');
        assert.equal(actual, readFileSync(join(dir, fixedRel), 'utf8'), `${rel} after the fixes differs from ${fixedRel}`);
      }
      // Re-analysing the fixed files: no finding offers a fix any more (so fixing again changes nothing),
      // and the findings that had a fix are gone (placeholders count as set: the value is the user's to fill).
      const after = project.analyzeAll().findings.filter((f) => f.ruleId === id);
      for (const f of after.filter((x) => x.fixes.length > 0)) problems.push(`after the fixes, ${f.file.slice(dir.length + 1)}:${f.range.start.line + 1} still offers "${f.fixes[0]!.title}"`);
      const unfixable = before.length - withFix.length;
      if (after.length > unfixable) problems.push(`after the fixes ${after.length} findings remain, more than the ${unfixable} that had no fix: ${after.map((f) => f.message).join(' | ')}`);
      assert.deepEqual(problems, []);
    });
  }
});
