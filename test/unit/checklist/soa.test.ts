// The Statement of Applicability in each format: complete, grouped by clause, summarised, escaped.

import assert from 'node:assert/strict';
import { addEvidence, addNote, buildSoa, createChecklist, parseChecklist, renderSoa, setApplicability, setOwner, setStatus, type SoaData } from '../../../server/src/checklist/index';
import { CSV_COLUMNS } from '../../../server/src/checklist/soa';
import type { Range } from '../../../server/src/engine/types';
import { catalog, ok } from './helpers';

const range = (line: number): Range => ({ start: { line, character: 2 }, end: { line, character: 9 } });

/** A checklist exercising every field, with text that needs escaping in every format. */
function data(): SoaData {
  let text = createChecklist({ catalog: catalog(), providers: ['aws'], models: ['IaaS', 'PaaS'], services: [{ name: 'EC2', provider: 'aws', model: 'IaaS', detectedFrom: ['aws_instance'] }], today: '2024-05-01' }).text;
  const edits = [
    (t: string) => setStatus(t, '12.3.1', 'done'),
    (t: string) => setOwner(t, '12.3.1', 'Ops, "core" team'),
    (t: string) => addEvidence(t, '12.3.1', { kind: 'url', ref: 'https://wiki.example/backup?a=1&b=2', note: 'policy <v2>' }),
    (t: string) => addNote(t, '12.3.1', 'Line one,\nline "two" | *three*'),
    (t: string) => addNote(t, '12.3.1', '=HYPERLINK("http://evil.example")'),
    (t: string) => setApplicability(t, '11.2.7', false, 'No own hardware; <img src=x onerror=alert(1)>'),
    (t: string) => setStatus(t, '5.1.1', 'in-progress'),
    (t: string) => setOwner(t, '5.1.1', 'Ann'),
  ];
  for (const e of edits) text = ok(e(text)).text;
  // A control id the catalog does not know must still appear.
  text = text.replace('"controls": {', '"controls": {\n    "99.1.1": { "responsibility": "customer", "applicable": true, "status": "todo" },');
  const checklist = parseChecklist(text, { catalog: catalog() }).checklist!;
  return buildSoa({
    catalog: catalog(),
    checklist,
    checklistPath: '.iso27017/checklist.json',
    rules: [
      { id: 'terraform/s3-versioning-disabled', controls: ['12.3.1'] },
      { id: 'terraform/rds-backup-retention-disabled', controls: ['12.3.1', 'CLD.12.1.5'] },
      { id: 'terraform/ebs-volume-unencrypted', controls: ['10.1.1'] },
    ],
    findings: [
      { ruleId: 'terraform/s3-versioning-disabled', file: '/ws/main.tf', range: range(62) },
      { ruleId: 'terraform/s3-versioning-disabled', file: '/ws/mod/s3.tf', range: range(3) },
      { ruleId: 'terraform/rds-backup-retention-disabled', file: '/ws/main.tf', range: range(97) },
    ],
    root: '/ws',
    folder: 'ws',
    today: '2024-06-01',
  });
}

/** RFC 4180 reader, for checking the writer. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), (i += 2);
      else if (c === '"') (quoted = false), i++;
      else (field += c), i++;
    } else if (c === '"' && field === '') (quoted = true), i++;
    else if (c === ',') row.push(field), (field = ''), i++;
    else if (c === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), (i += 2);
    else if (c === '\n' || c === '\r') assert.fail(`bare line break at ${i}`);
    else (field += c), i++;
  }
  assert.equal(field, '', 'ends with CRLF');
  return rows;
}

describe('checklist: Statement of Applicability', () => {
  it('holds every control grouped by clause in catalog order, plus ids the catalog does not know', () => {
    const d = data();
    assert.deepEqual(d.clauses.slice(0, -1).map((c) => c.id), catalog().groups.map((g) => g.id));
    for (const [i, g] of catalog().groups.entries()) assert.deepEqual(d.clauses[i]!.controls.map((c) => c.id), g.controls);
    const other = d.clauses.at(-1)!;
    assert.equal(other.id, 'other');
    assert.deepEqual(other.controls.map((c) => [c.id, c.inCatalog]), [['99.1.1', false]]);
    assert.equal(d.summary.controls, 45);
  });

  it('carries applicability, justification, responsibility, status, owner and both kinds of evidence', () => {
    const d = data();
    const all = new Map(d.clauses.flatMap((c) => c.controls).map((c) => [c.id, c]));
    const backup = all.get('12.3.1')!;
    assert.equal(backup.status, 'done');
    assert.equal(backup.owner, 'Ops, "core" team');
    assert.equal(backup.responsibility, 'customer');
    assert.deepEqual(backup.evidence, [{ kind: 'url', ref: 'https://wiki.example/backup?a=1&b=2', note: 'policy <v2>' }]);
    assert.deepEqual(backup.rules, [
      { ruleId: 'terraform/rds-backup-retention-disabled', findings: 1, locations: ['main.tf:98'] },
      { ruleId: 'terraform/s3-versioning-disabled', findings: 2, locations: ['main.tf:63', 'mod/s3.tf:4'] },
    ]);
    assert.equal(backup.openFindings, 3);
    assert.equal(backup.conflict, true);
    const disposal = all.get('11.2.7')!;
    assert.equal(disposal.applicable, false);
    assert.match(disposal.justification!, /^No own hardware/);
    assert.deepEqual(all.get('10.1.1')!.rules, [{ ruleId: 'terraform/ebs-volume-unencrypted', findings: 0, locations: [] }]);
  });

  it('summarises each clause by status, responsibility and owner, counting each finding once', () => {
    const d = data();
    const ops = d.clauses.find((c) => c.id === '12')!.summary;
    assert.equal(ops.controls, 7);
    assert.deepEqual(ops.byStatus, { total: 7, todo: 6, 'in-progress': 0, done: 1, notApplicable: 0 });
    assert.equal(ops.byResponsibility.customer.done, 1);
    assert.deepEqual(ops.byOwner, [{ owner: 'Ops, "core" team', controls: 1, done: 1 }, { owner: '', controls: 6, done: 0 }]);
    assert.equal(ops.openFindings, 3);
    assert.equal(ops.conflicts, 1);
    const physical = d.clauses.find((c) => c.id === '11')!.summary;
    assert.deepEqual(physical.byStatus, { total: 0, todo: 0, 'in-progress': 0, done: 0, notApplicable: 1 });
    // The RDS finding evidences 12.3.1 and CLD.12.1.5; overall it counts once.
    assert.equal(d.summary.openFindings, 3);
    assert.deepEqual(d.summary.byStatus, { total: 44, todo: 42, 'in-progress': 1, done: 1, notApplicable: 1 });
  });

  it('md: one section per clause, every control, escaped text', () => {
    const md = renderSoa(data(), 'md');
    const sections = md.split('\n').filter((l) => l.startsWith('## '));
    const clauses = catalog().groups.map((g) => (g.id === 'CLD' ? `## ${g.title}` : `## ${g.id} ${g.title}`));
    assert.deepEqual(sections, ['## Summary', ...clauses, `## Not in catalog ${catalog().dataVersion.replace(/\./g, '.')}`]);
    const controls = md.split('\n').filter((l) => l.startsWith('### '));
    assert.equal(controls.length, 45);
    assert.ok(md.includes('- **Owner:** Ops, "core" team'));
    assert.ok(md.includes('Line one, line "two" \\| \\*three\\*'), 'newlines folded, markup escaped');
    assert.ok(md.includes('No own hardware; \\<img src=x onerror=alert(1)\\>'));
    assert.ok(md.includes('terraform/s3-versioning-disabled: 2 open findings (main.tf:63, mod/s3.tf:4)'));
    assert.ok(md.includes('(**conflict:** marked done, but its rules have open findings)'));
  });

  it('csv: RFC 4180, one row per control, fields with commas, quotes and newlines survive', () => {
    const csv = renderSoa(data(), 'csv');
    const rows = parseCsv(csv);
    assert.equal(rows.length, 1 + 45);
    assert.deepEqual(rows[0], [...CSV_COLUMNS]);
    for (const r of rows) assert.equal(r.length, CSV_COLUMNS.length);
    const col = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);
    const backup = rows.find((r) => r[col('Control')] === '12.3.1')!;
    assert.equal(backup[col('Owner')], 'Ops, "core" team');
    assert.equal(backup[col('Notes')], `Line one,\nline "two" | *three*\n=HYPERLINK("http://evil.example")`);
    assert.equal(backup[col('Open findings')], '3');
    assert.equal(backup[col('Conflict')], 'yes');
    const disposal = rows.find((r) => r[col('Control')] === '11.2.7')!;
    assert.equal(disposal[col('Applicable')], 'no');
    // A cell that starts like a formula is kept as text.
    const formula = renderSoa({ ...data(), clauses: [{ ...data().clauses[0]!, controls: [{ ...data().clauses[0]!.controls[0]!, owner: '=cmd()' }] }] }, 'csv');
    assert.ok(parseCsv(formula)[1]!.includes("'=cmd()"));
  });

  it('html: self-contained, no scripts or remote resources, escaped, printable by clause', () => {
    const html = renderSoa(data(), 'html');
    assert.ok(html.startsWith('<!DOCTYPE html>'));
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /<[^>]*\s(src|srcset|poster|data|action)\s*=|<link|@import|url\(|<iframe|<object|<embed|<img|<base/i);
    // The only URL in markup is the evidence link, as a plain anchor (text such as a note may mention others).
    const urls = [...html.matchAll(/<[^>]*\s(\w+)="(https?:[^"]*)"/g)].map((m) => `${m[1]}=${m[2]}`);
    assert.deepEqual(urls, ['href=https://wiki.example/backup?a=1&amp;b=2']);
    assert.ok(html.includes('=HYPERLINK(&quot;http://evil.example&quot;)'));
    assert.ok(html.includes('<a href="https://wiki.example/backup?a=1&amp;b=2">'));
    assert.ok(html.includes('No own hardware; &lt;img src=x onerror=alert(1)&gt;'));
    assert.ok(html.includes('Ops, &quot;core&quot; team'));
    assert.ok(html.includes('policy &lt;v2&gt;'));
    assert.equal((html.match(/<section class="clause"/g) ?? []).length, catalog().groups.length + 1);
    assert.match(html, /@media print \{[\s\S]*section\.clause \{ break-before: page; \}/);
    assert.match(html, /Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"/);
    assert.equal((html.match(/<tr id="control-/g) ?? []).length, 45);
  });

  it('json: the data itself', () => {
    const d = data();
    assert.deepEqual(JSON.parse(renderSoa(d, 'json')), JSON.parse(JSON.stringify(d)));
  });

  it('without a checklist: catalog defaults for the models, and the header says so', () => {
    const d = buildSoa({ catalog: catalog(), models: ['SaaS'], today: '2024-06-01', notice: 'No checklist at .iso27017/checklist.json: defaults.' });
    assert.equal(d.source, 'defaults');
    assert.equal(d.analysed, false);
    assert.equal(d.summary.controls, 44);
    assert.equal(d.summary.byStatus.todo, 44);
    const md = renderSoa(d, 'md');
    assert.ok(md.includes('No checklist at .iso27017/checklist.json: defaults.'));
    assert.ok(md.includes('No analysis was run, so there is no automatic evidence.'));
    assert.ok(!md.includes('**Automatic evidence:**'));
    const backup = d.clauses.flatMap((c) => c.controls).find((c) => c.id === '12.3.1')!;
    assert.equal(backup.responsibility, 'provider', 'the SaaS default');
    assert.throws(() => renderSoa(d, 'pdf' as 'md'), /Unknown SoA format/);
  });
});
