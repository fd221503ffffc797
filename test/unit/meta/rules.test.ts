// Guard rails over rule metadata: ids, files, controls, equivalents, registry.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rules } from '../../../server/src/rules/index';
import { controls, repoRoot } from '../support/project';

const refDir = join(repoRoot, '../shared/reference/equivalents');

function tsv(name: string): string[][] {
  return readFileSync(join(refDir, name), 'utf8')
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .map((l) => l.split('\t'));
}

describe('rule metadata', () => {
  it('the registry is generated from the rule files and up to date', () => {
    execFileSync(process.execPath, [join(repoRoot, 'scripts/gen-rule-index.mjs'), '--check'], { stdio: 'pipe' });
  });

  it('docs/rules.md and the rule pages in docs/rules/ are generated from the metadata and up to date', () => {
    const { rulesDoc, stalePages } = require('../../../scripts/gen-rules-doc') as { rulesDoc: () => string; stalePages: () => string[] };
    assert.equal(readFileSync(join(repoRoot, 'docs/rules.md'), 'utf8'), rulesDoc(), 'docs/rules.md is out of date: run node -r tsx/cjs scripts/gen-rules-doc.ts');
    assert.deepEqual(stalePages(), [], 'docs/rules/ is out of date: run node -r tsx/cjs scripts/gen-rules-doc.ts');
  });

  it('ids are unique, well formed and match the module path', () => {
    const ids = rules.map((r) => r.meta.id);
    assert.equal(new Set(ids).size, ids.length, 'duplicate rule ids');
    for (const r of rules) {
      assert.match(r.meta.id, /^(terraform|cloudformation|kubernetes|dockerfile|compose|appconfig)\/[a-z0-9]+(-[a-z0-9]+)*$/, r.meta.id);
      assert.ok(r.meta.id.startsWith(`${r.meta.platform}/`), `${r.meta.id}: platform ${r.meta.platform}`);
      assert.ok(existsSync(join(repoRoot, 'server/src/rules', `${r.meta.id}.ts`)), `${r.meta.id}: module file`);
    }
  });

  it('every rule names at least one control, and every control exists in controls-data', () => {
    const known = new Set(controls().map((c) => c.id));
    for (const r of rules) {
      assert.ok(r.meta.controls.length > 0, `${r.meta.id} has no controls`);
      for (const c of r.meta.controls) assert.ok(known.has(c), `${r.meta.id}: unknown control ${c}`);
    }
  });

  it('every rule has a title, a rationale in its own words and messages', () => {
    for (const r of rules) {
      assert.ok(r.meta.title.length > 10, `${r.meta.id}: title`);
      assert.ok(r.meta.docs.summary.length > 40, `${r.meta.id}: rationale too short`);
      assert.ok(Object.keys(r.meta.messages).length > 0, `${r.meta.id}: messages`);
      assert.ok(['error', 'warning', 'info', 'hint'].includes(r.meta.severity), `${r.meta.id}: severity`);
    }
  });

  it('there are at least 45 Terraform AWS rules', () => {
    assert.ok(rules.filter((r) => r.meta.platform === 'terraform' && r.meta.provider === 'aws').length >= 45, `only ${rules.length} rules`);
  });

  describe('equivalents name real checks of the same framework', function () {
    if (!existsSync(refDir)) {
      it.skip(`the reference tables are absent (${refDir})`);
      return;
    }
    // Checkov ids by framework (`terraform`, `dockerfile`, …), as the rule's platform names them.
    const checkov = new Set(tsv('checkov.tsv').map((r) => `${r[1]}:${r[0]}`));
    const trivyRows = tsv('trivy.tsv');
    const trivy = new Set(trivyRows.flatMap((r) => [r[0]!, r[1]!, r[7]!]).map((s) => s.toLowerCase()));
    const kics = new Map(tsv('kics.tsv').map((r) => [r[0]!, r[1]!]));
    for (const r of rules) {
      it(r.meta.id, () => {
        const platform = ({ terraform: 'Terraform', dockerfile: 'Dockerfile', kubernetes: 'Kubernetes', cloudformation: 'CloudFormation', compose: 'DockerCompose' } as Record<string, string>)[r.meta.platform] ?? r.meta.platform;
        for (const id of r.meta.equivalents.checkov ?? []) assert.ok(checkov.has(`${r.meta.platform}:${id}`), `${r.meta.id}: Checkov ${id} is not a ${r.meta.platform} check`);
        for (const id of r.meta.equivalents.trivy ?? []) assert.ok(trivy.has(id.toLowerCase()), `${r.meta.id}: unknown Trivy id ${id}`);
        for (const id of r.meta.equivalents.kics ?? []) assert.equal(kics.get(id), platform, `${r.meta.id}: KICS ${id} is not a ${platform} query`);
      });
    }
  });
});
