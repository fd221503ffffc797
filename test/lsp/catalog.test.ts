// LSP tests of the catalog messages: iso27017/listControls, iso27017/getControl and iso27017/findingsChanged,
// against the bundled server and the built dist/controls.json.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { MarkupContent } from 'vscode-languageserver-protocol';
import type {
  FindingsChangedParams,
  GetControlResult,
  ListControlsResult,
  ListFindingsResult,
  ListRulesResult,
} from '../../server/src/protocol';
import { LspServer, makeWorkspace, removeWorkspace, uri } from './harness';

const VERSIONING = 'terraform/s3-versioning-disabled';

const MAIN_TF = `resource "aws_s3_bucket" "data" {
  bucket = "acme-data"
}

resource "aws_security_group" "web" {
  name = "web"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`;

const OPEN_TF = `resource "aws_s3_bucket" "scratch" {
  bucket = "acme-scratch"
}
`;

const OPEN_FIXED_TF = `resource "aws_s3_bucket" "scratch" {
  bucket = "acme-scratch"
  versioning {
    enabled = true
  }
}
`;

const CLAUSES = ['5', '6', '7', '8', '9', '10', '11', '12', '13', '14', '15', '16', '18', 'CLD'];

describe('catalog requests and notifications', function () {
  let ws: string;
  let server: LspServer;
  let mainUri: string;

  /** Every `iso27017/findingsChanged` received so far. */
  const changes = (): FindingsChangedParams[] =>
    server.notifications.filter((n) => n.method === 'iso27017/findingsChanged').map((n) => n.params as FindingsChangedParams);

  before(async function () {
    ws = makeWorkspace({ 'main.tf': MAIN_TF });
    mainUri = uri(join(ws, 'main.tf'));
    server = await LspServer.start({ folders: [ws] });
    await server.scanEnded();
    await server.diagnosticsFor(mainUri, (d) => d.some((x) => x.code === VERSIONING));
  });

  after(function () {
    server?.kill();
    if (ws) removeWorkspace(ws);
  });

  it('announces the findings of the first scan with iso27017/findingsChanged', async function () {
    const first = await server.waitFor('a findingsChanged naming main.tf', () => changes().find((c) => c.uris.includes(mainUri)));
    assert.ok(first.findings > 0);
    assert.deepEqual([...first.uris].sort(), first.uris, 'uris are sorted');
    const { findings } = await server.request<ListFindingsResult>('iso27017/listFindings', {});
    assert.equal(changes().at(-1)!.findings, findings.length);
  });

  it('lists the catalog groups in order, with every control, its rules and its finding count', async function () {
    const result = await server.request<ListControlsResult>('iso27017/listControls', {});
    const { findings } = await server.request<ListFindingsResult>('iso27017/listFindings', {});
    assert.equal(result.loaded, true);
    assert.equal(result.standard, 'ISO/IEC 27017');
    assert.match(result.dataVersion ?? '', /^\d+\.\d+\.\d+$/);
    assert.deepEqual(result.groups.map((g) => g.id), CLAUSES);
    const controls = result.groups.flatMap((g) => g.controls);
    assert.equal(controls.length, 44);
    assert.equal(new Set(controls.map((c) => c.id)).size, 44);
    assert.equal(result.iso27018, undefined, 'no 27018 catalog unless asked for');
    assert.equal(result.findings, findings.length);

    for (const c of controls) {
      assert.deepEqual(Object.keys(c).filter((k) => k !== 'worst').sort(), ['findings', 'iacRelevant', 'iacStrength', 'id', 'keywords', 'kind', 'rules', 'summary', 'title']);
      assert.deepEqual([...c.rules].sort(), c.rules, `${c.id}: rules sorted`);
      assert.match(c.summary, /^[A-Z].*[.!?]$/, `${c.id}: a one-line summary`);
      const mine = findings.filter((f) => f.controls.includes(c.id));
      assert.equal(c.findings, mine.length, `${c.id}: finding count`);
      if (mine.length > 0) assert.ok(c.worst, `${c.id}: worst severity`);
      else assert.equal(c.worst, undefined);
    }
    const byRule: Record<string, number> = {};
    for (const f of findings) byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
    assert.deepEqual(result.ruleFindings, byRule);
    // Controls without rules are the process controls.
    assert.ok(controls.some((c) => c.rules.length === 0));
    assert.ok(controls.find((c) => c.id === '12.3.1')!.findings > 0);
  });

  it('builds the reverse index rule → control from the rules themselves', async function () {
    const { groups } = await server.request<ListControlsResult>('iso27017/listControls', {});
    const { rules } = await server.request<ListRulesResult>('iso27017/listRules', {});
    const controls = new Map(groups.flatMap((g) => g.controls).map((c) => [c.id, c]));
    for (const r of rules) for (const c of r.controls) assert.ok(controls.get(c.id)?.rules.includes(r.id), `${c.id} lists ${r.id}`);
    for (const c of controls.values()) {
      for (const id of c.rules) assert.ok(rules.find((r) => r.id === id)?.controls.some((x) => x.id === c.id), `${id} names ${c.id}`);
    }
  });

  it('adds the ISO/IEC 27018 catalog when asked for', async function () {
    const result = await server.request<ListControlsResult>('iso27017/listControls', { includeIso27018: true });
    assert.ok(result.iso27018);
    assert.equal(result.iso27018.areas.length, 12);
    assert.ok(result.iso27018.areas.find((a) => a.id === 'A.11')!.controls.some((c) => c.iacHint));
  });

  it('answers getControl with guidance, mapping, responsibility, rule status and findings', async function () {
    const { findings } = await server.request<ListFindingsResult>('iso27017/listFindings', {});
    const { control } = await server.request<GetControlResult>('iso27017/getControl', { id: '12.3.1' });
    assert.ok(control);
    assert.equal(control.title, 'Information backup');
    assert.equal(control.kind, '27002-extended');
    assert.deepEqual(control.group, { id: '12', title: 'Operations security' });
    assert.ok(control.guidance.customer.length >= 2 && control.guidance.provider.length >= 2);
    assert.ok(control.iso27002_2022!.length > 0);
    assert.equal(control.iso27002_2022Official, true);
    for (const m of ['IaaS', 'PaaS', 'SaaS'] as const) assert.ok(['customer', 'provider', 'shared'].includes(control.responsibility![m]));
    assert.ok(control.responsibility!.basis.length > 0);
    assert.deepEqual(control.ruleStatus!.map((r) => r.id), control.rules);
    const versioning = control.ruleStatus!.find((r) => r.id === VERSIONING)!;
    assert.equal(versioning.title, 'S3 buckets have versioning enabled');
    assert.equal(versioning.findings, findings.filter((f) => f.ruleId === VERSIONING).length);
    assert.ok(versioning.findings > 0);
    const mine = findings.filter((f) => f.controls.includes('12.3.1'));
    assert.equal(control.findingCount, mine.length);
    assert.deepEqual(control.findings, mine);

    const cld = await server.request<GetControlResult>('iso27017/getControl', { id: 'CLD.12.4.5' });
    assert.equal(cld.control?.iso27002_2022Official, false, 'CLD mappings are inferred');
    const process = await server.request<GetControlResult>('iso27017/getControl', { id: '5.1.1' });
    assert.deepEqual(process.control?.rules, []);
    assert.deepEqual(process.control?.ruleStatus, []);
    assert.deepEqual(await server.request<GetControlResult>('iso27017/getControl', { id: '99.9.9' }), {});
  });

  it('links the hover to the control page', async function () {
    const d = server.diagnostics.get(mainUri)!.diagnostics.find((x) => x.code === VERSIONING)!;
    const hover = await server.hover(mainUri, d.range.start);
    const md = (hover!.contents as MarkupContent).value;
    assert.match(md, /\*\*12\.3\.1\*\* Information backup: [^\n]+\[control page\]\(command:iso27017\.catalog\.reveal\?/);
    const args = /\*\*12\.3\.1\*\* [^\n]+\[control page\]\(command:iso27017\.catalog\.reveal\?([^)]+)\)/.exec(md)![1]!;
    assert.deepEqual(JSON.parse(decodeURIComponent(args)), ['12.3.1']);
  });

  it('sends findingsChanged when findings change, and not when an edit leaves them as they were', async function () {
    const openUri = uri(join(ws, 'scratch/open.tf'));
    const before = changes().length;
    await server.open(openUri, OPEN_TF);
    const opened = await server.waitFor('a findingsChanged naming the opened file', () => changes().slice(before).find((c) => c.uris.includes(openUri)));
    const { findings } = await server.request<ListFindingsResult>('iso27017/listFindings', {});
    assert.equal(opened.findings, findings.length);
    const counted = (await server.request<ListControlsResult>('iso27017/listControls', {})).groups.flatMap((g) => g.controls).find((c) => c.id === '12.3.1')!;
    assert.equal(counted.findings, findings.filter((f) => f.controls.includes('12.3.1')).length);

    // A comment at the end moves no finding: the diagnostics are republished, the findings did not change.
    const afterOpen = changes().length;
    const v2 = await server.replace(openUri, `${OPEN_TF}# a comment\n`);
    await server.waitFor('the diagnostics of the commented version', () => server.diagnostics.get(openUri)?.version === v2);
    // Fixing the bucket changes its findings; notifications are ordered, so a stray one would come first.
    const v3 = await server.replace(openUri, OPEN_FIXED_TF);
    await server.waitFor('the diagnostics of the fixed version', () => server.diagnostics.get(openUri)?.version === v3);
    const fixed = await server.waitFor('a findingsChanged for the fix', () => changes().slice(afterOpen).find((c) => c.uris.includes(openUri)));
    assert.equal(changes().slice(afterOpen).filter((c) => c.uris.includes(openUri)).length, 1, 'only the fix changed the findings');
    assert.ok(fixed.findings < opened.findings);
    await server.close(openUri);
  });

  it('answers without a catalog: loaded false, no groups', async function () {
    const other = await LspServer.start({ folders: [ws], catalogPath: null });
    try {
      const r = await other.request<ListControlsResult>('iso27017/listControls', { includeIso27018: true });
      assert.equal(r.loaded, false);
      assert.deepEqual(r.groups, []);
      assert.equal(r.iso27018, undefined);
      assert.deepEqual(await other.request<GetControlResult>('iso27017/getControl', { id: '12.3.1' }), {});
      assert.equal(await other.stop(), 0);
    } finally {
      other.kill();
    }
  });
});
