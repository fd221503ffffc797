// Acceptance over KICS's labelled Terraform samples: for each KICS query that a rule names in
// `equivalents.kics`, positives must be flagged at the expected lines and negatives must be clean.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Project } from '../../server/src/engine/project';
import { rules } from '../../server/src/rules/index';
import type { Rule } from '../../server/src/engine/rule';
import { controls, corpusRoot, repoRoot } from './support/project';

const kicsRoot = join(corpusRoot, 'kics/terraform');
const kicsDockerfileRoot = join(corpusRoot, 'kics/dockerfile');
const kicsK8sRoot = join(corpusRoot, 'kics/k8s');
const kicsComposeRoot = join(corpusRoot, 'kics/dockerCompose');

/** Every KICS query folder this suite knows: Terraform's by provider, Dockerfile's flat; with the sample extension. */
function queryDirs(): Array<{ query: string; dir: string; ext: string }> {
  const out: Array<{ query: string; dir: string; ext: string }> = [];
  for (const provider of readdirSync(kicsRoot).sort()) {
    for (const q of readdirSync(join(kicsRoot, provider)).sort()) out.push({ query: `${provider}/${q}`, dir: join(kicsRoot, provider, q), ext: '.tf' });
  }
  if (existsSync(kicsDockerfileRoot)) {
    for (const q of readdirSync(kicsDockerfileRoot).sort()) out.push({ query: `dockerfile/${q}`, dir: join(kicsDockerfileRoot, q), ext: '.dockerfile' });
  }
  if (existsSync(kicsComposeRoot)) {
    for (const q of readdirSync(kicsComposeRoot).sort()) out.push({ query: `dockerCompose/${q}`, dir: join(kicsComposeRoot, q), ext: '.yaml' });
  }
  if (existsSync(kicsK8sRoot)) {
    for (const q of readdirSync(kicsK8sRoot).sort()) out.push({ query: `k8s/${q}`, dir: join(kicsK8sRoot, q), ext: '.yaml' });
  }
  return out;
}
const baselinePath = join(repoRoot, 'test/acceptance/kics-baseline.json');

interface Expected {
  line: number;
  fileName?: string;
  filename?: string;
}

export interface QueryScore {
  query: string;
  queryId: string;
  rules: string[];
  positives: number;
  positivesPassed: number;
  negatives: number;
  negativesPassed: number;
  failures: string[];
}

function analyseOne(file: string, text: string, rs: Rule[]) {
  const p = new Project({ rules: rs, controls: controls() });
  p.setFile(file, text);
  return p.analyzeAll();
}

/** Scores every KICS Terraform query claimed by some rule. */
export function scoreKics(): QueryScore[] {
  const byQuery = new Map<string, Rule[]>();
  for (const r of rules) for (const k of r.meta.equivalents.kics ?? []) byQuery.set(k, [...(byQuery.get(k) ?? []), r]);
  const scores: QueryScore[] = [];
  {
    for (const { query, dir, ext } of queryDirs()) {
      const meta = JSON.parse(readFileSync(join(dir, 'metadata.json'), 'utf8')) as { id: string };
      const rs = byQuery.get(meta.id);
      if (!rs) continue;
      const ids = new Set(rs.map((r) => r.meta.id));
      const testDir = join(dir, 'test');
      const expected = JSON.parse(readFileSync(join(testDir, 'positive_expected_result.json'), 'utf8')) as Expected[];
      const score: QueryScore = { query, queryId: meta.id, rules: [...ids], positives: 0, positivesPassed: 0, negatives: 0, negativesPassed: 0, failures: [] };
      const tfFiles = readdirSync(testDir).filter((f) => f.endsWith(ext)).sort();
      const positiveFiles = tfFiles.filter((f) => f.startsWith('positive'));
      // An entry without a file name applies to the query's single positive file.
      const fileOf = (e: Expected): string | undefined => e.fileName ?? e.filename ?? (positiveFiles.length === 1 ? positiveFiles[0] : undefined);
      for (const f of tfFiles) {
        const abs = join(testDir, f);
        const result = analyseOne(abs, readFileSync(abs, 'utf8'), rs);
        const found = result.findings.filter((x) => ids.has(x.ruleId));
        if (f.startsWith('negative')) {
          score.negatives++;
          if (found.length === 0) score.negativesPassed++;
          else score.failures.push(`${f}: unexpected ${found.map((x) => `${x.ruleId}@${x.range.start.line + 1}`).join(', ')}`);
        } else if (f.startsWith('positive')) {
          score.positives++;
          const lines = expected.filter((e) => fileOf(e) === f).map((e) => e.line);
          const missing = lines.filter((l) => !found.some((x) => x.range.start.line + 1 === l));
          if (lines.length > 0 && missing.length === 0) score.positivesPassed++;
          else score.failures.push(`${f}: expected lines ${lines.join(',')}, missing ${missing.join(',')}; got ${found.map((x) => x.range.start.line + 1).join(',') || 'nothing'}`);
        }
      }
      scores.push(score);
    }
  }
  return scores;
}

describe('KICS acceptance (Terraform, Dockerfile, Kubernetes, Docker Compose)', function () {
  if (!existsSync(kicsRoot)) {
    it.skip(`the KICS corpus is absent (${kicsRoot}); the acceptance suite needs ../shared/corpus`);
    return;
  }
  const scores = scoreKics();

  it('reports the pass rate per query and in total', () => {
    let pos = 0;
    let posOk = 0;
    let neg = 0;
    let negOk = 0;
    for (const s of scores) {
      pos += s.positives;
      posOk += s.positivesPassed;
      neg += s.negatives;
      negOk += s.negativesPassed;
      console.log(`      ${s.query.padEnd(64)} positives ${s.positivesPassed}/${s.positives}  negatives ${s.negativesPassed}/${s.negatives}`);
      if (process.env.KICS_VERBOSE) for (const f of s.failures) console.log(`        ${f}`);
    }
    console.log(`      KICS acceptance: ${scores.length} queries, positives ${posOk}/${pos}, negatives ${negOk}/${neg}, total ${posOk + negOk}/${pos + neg} (${(((posOk + negOk) / Math.max(1, pos + neg)) * 100).toFixed(1)}%)`);
    if (process.env.KICS_UPDATE_BASELINE) {
      const baseline = Object.fromEntries(scores.map((s) => [s.query, { positives: s.positivesPassed, negatives: s.negativesPassed }]));
      writeFileSync(baselinePath, `${JSON.stringify(baseline, null, 2)}\n`);
    }
  });

  it('no query does worse than the recorded baseline', () => {
    if (!existsSync(baselinePath)) return;
    const baseline = JSON.parse(readFileSync(baselinePath, 'utf8')) as Record<string, { positives: number; negatives: number }>;
    const worse = scores.filter((s) => {
      const b = baseline[s.query];
      return b && (s.positivesPassed < b.positives || s.negativesPassed < b.negatives);
    });
    assert.deepEqual(worse.map((s) => `${s.query}: ${s.failures.join(' | ')}`), []);
  });

  it('the negatives of every claimed query are clean', () => {
    const dirty = scores.filter((s) => s.negativesPassed < s.negatives);
    assert.deepEqual(dirty.map((s) => `${s.query}: ${s.failures.filter((f) => f.startsWith('negative')).join(' | ')}`), []);
  });
});
