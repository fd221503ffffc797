// The catalog as the views and the CLI see it: the markdown documentation, the shared reverse index,
// the listControls/getControl builders and the findings-change tracker (no server process needed).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rulesByControl, groupsByControl } from '../../server/src/catalog/evidence';
import { loadCatalogFromDir } from '../../server/src/catalog/load-node';
import { catalogMarkdown, escapeMd } from '../../server/src/catalog/markdown';
import type { Finding } from '../../server/src/engine/types';
import { CatalogIndex } from '../../server/src/handlers/catalog';
import { FindingsChangeTracker, sameFindings } from '../../server/src/handlers/catalogFindings';
import { getControl, listControls } from '../../server/src/handlers/requests';
import type { FindingsChangedParams } from '../../server/src/protocol';
import { rules } from '../../server/src/rules/index';
import { repoRoot } from './support/project';

const catalog = loadCatalogFromDir(join(repoRoot, 'controls-data'));
const metas = rules.map((r) => r.meta);

/** A finding with only the fields the catalog code reads (the engine may add more). */
function finding(ruleId: string, controls: string[], line = 0, severity: Finding['severity'] = 'warning'): Finding {
  return {
    ruleId,
    messageId: 'missing',
    severity,
    message: `${ruleId} at ${line}`,
    file: '/w/main.tf',
    range: { start: { line, character: 0 }, end: { line, character: 5 } },
    controls,
    equivalents: {},
    fixable: false,
    related: [],
  } as Partial<Finding> as Finding;
}

describe('catalog documentation and views', function () {
  this.timeout(60000);

  it('controls --format md documents every control with guidance, mapping, responsibility and rules', () => {
    const r = spawnSync(process.execPath, ['-r', 'tsx/cjs', join(repoRoot, 'server/src/cli.ts'), 'controls', '--format', 'md'], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const md = r.stdout;
    for (const c of catalog.controls) assert.ok(md.includes(`\n### ${escapeMd(c.id)} ${escapeMd(c.title)}\n`), `no section for ${c.id}`);
    const sections = md.split('\n### ').slice(1);
    assert.equal(sections.length, catalog.controls.length);
    for (const s of sections) {
      for (const part of ['**Cloud service customer**', '**Cloud service provider**', '**ISO/IEC 27002:2022:**', '| IaaS | PaaS | SaaS |', 'Basis: ']) {
        assert.ok(s.includes(part), `${s.split('\n')[0]} lacks ${part}`);
      }
    }
    assert.match(md, /\| `terraform\/s3-versioning-disabled` \| S3 buckets have versioning enabled \| warning \|/);
    // CLD mappings are marked as our inference.
    const cld = sections.find((s) => s.startsWith('CLD.9.5.2 '))!;
    assert.match(cld, /unofficial/);
    assert.equal(spawnSync(process.execPath, ['-r', 'tsx/cjs', join(repoRoot, 'server/src/cli.ts'), 'controls', '--format', 'xml'], { cwd: repoRoot }).status, 2);
  });

  it('catalogMarkdown escapes markup in our prose', () => {
    const md = catalogMarkdown(catalog, metas);
    assert.ok(md.includes('Never grant Action "\\*" on Resource "\\*"'));
    assert.equal(escapeMd('a_b <c> [d](e) |'), 'a\\_b \\<c\\> \\[d\\](e) \\|');
  });

  it('the reverse index lists each rule once per control, sorted, and every control has a group', () => {
    const index = rulesByControl([{ id: 'b', controls: ['1.1.1', '1.1.1'] }, { id: 'a', controls: ['1.1.1'] }]);
    assert.deepEqual(index.get('1.1.1'), ['a', 'b']);
    const groups = groupsByControl(catalog);
    for (const c of catalog.controls) assert.ok(groups.has(c.id), c.id);
  });

  it('listControls counts findings per control and per rule, with the worst severity', () => {
    const index = CatalogIndex.empty(rules);
    assert.deepEqual(listControls(index, undefined, {}), { loaded: false, groups: [], ruleFindings: {}, findings: 0 });

    const loaded = indexWithCatalog();
    const fs = [finding('terraform/s3-versioning-disabled', ['12.3.1', 'CLD.8.1.5']), finding('terraform/s3-versioning-disabled', ['12.3.1', 'CLD.8.1.5'], 5, 'error')];
    const source = { allFindings: () => fs.map((f) => ({ uri: 'file:///w/main.tf', finding: f })), uriFor: (p: string) => `file://${p}` };
    const r = listControls(loaded, source, { includeIso27018: true });
    assert.equal(r.loaded, true);
    assert.deepEqual(r.groups.map((g) => g.id), catalog.groups.map((g) => g.id));
    const all = r.groups.flatMap((g) => g.controls);
    assert.equal(all.length, 44);
    const backup = all.find((c) => c.id === '12.3.1')!;
    assert.equal(backup.findings, 2);
    assert.equal(backup.worst, 'error');
    assert.ok(backup.rules.includes('terraform/s3-versioning-disabled'));
    assert.equal(all.find((c) => c.id === '5.1.1')!.rules.length, 0);
    assert.deepEqual(r.ruleFindings, { 'terraform/s3-versioning-disabled': 2 });
    assert.equal(r.iso27018?.areas.length, catalog.iso27018.areas.length);
    assert.equal(listControls(loaded, source, {}).iso27018, undefined);

    const { control } = getControl(loaded, { id: '12.3.1' }, source, new Map(metas.map((m) => [m.id, m])));
    assert.ok(control);
    assert.equal(control.findingCount, 2);
    assert.equal(control.findings![0]!.range.start.line, 0);
    assert.deepEqual(control.group, { id: '12', title: 'Operations security' });
    assert.equal(control.iso27002_2022Official, true);
    const status = control.ruleStatus!.find((s) => s.id === 'terraform/s3-versioning-disabled')!;
    assert.equal(status.findings, 2);
    assert.equal(status.title, 'S3 buckets have versioning enabled');
    assert.deepEqual(control.ruleStatus!.map((s) => s.id), control.rules);
  });

  it('the findings-change tracker sends one notification per turn, and none for identical findings', () => {
    const sent: FindingsChangedParams[] = [];
    const queue: Array<() => void> = [];
    const tracker = new FindingsChangeTracker((p) => sent.push(p), () => 7, (fn) => queue.push(fn));
    const a = [finding('r', ['1.1.1'])];
    tracker.note('file:///b.tf', [], a);
    tracker.note('file:///a.tf', a, []);
    tracker.note('file:///c.tf', a, [finding('r', ['1.1.1'])]);
    assert.equal(queue.length, 1);
    queue.shift()!();
    assert.deepEqual(sent, [{ uris: ['file:///a.tf', 'file:///b.tf'], findings: 7 }]);
    tracker.note('file:///c.tf', [], []);
    assert.equal(queue.length, 0);
    assert.ok(sameFindings([finding('r', [], 1), finding('s', [], 2)], [finding('s', [], 2), finding('r', [], 1)]));
    assert.ok(!sameFindings([finding('r', [], 1)], [finding('r', [], 2)]));
  });
});

/** A CatalogIndex over controls-data (the server loads the merged file; the shape is the same). */
function indexWithCatalog(): CatalogIndex {
  const file = join(mkdtempSync(join(tmpdir(), 'iso27017-cat-')), 'controls.json');
  writeFileSync(file, JSON.stringify(catalog));
  return CatalogIndex.load(file, rules);
}
