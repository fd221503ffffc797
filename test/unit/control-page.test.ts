// The control page's HTML (client/src/pages/controlHtml.ts): escaping, a strict CSP with a nonce, no inline
// event handlers, nothing remote, theme colours only through VS Code's CSS variables.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { contentSecurityPolicy, controlPageHtml, escapeHtml, liveSections, makeNonce, type ControlPageModel } from '../../client/src/pages/controlHtml';
import type { ControlInfo } from '../../server/src/protocol';

const EVIL = `<img src=x onerror="alert(1)">&'"`;

function model(over: Partial<ControlInfo> = {}, findings = 1): ControlPageModel {
  const control: ControlInfo = {
    id: '12.3.1',
    title: `Information backup ${EVIL}`,
    summary: `Backups ${EVIL} matter.`,
    guidance: { customer: [`Customer ${EVIL}`, 'Test restores.'], provider: [`Provider ${EVIL}`, 'Protect backups.'] },
    rules: ['terraform/s3-versioning-disabled'],
    kind: '27002-extended',
    group: { id: '12', title: 'Operations security' },
    objective: { id: '12.3', title: 'Backup' },
    guidanceFor: ['customer', 'provider'],
    iso27002_2022: ['8.13'],
    iso27002_2022Official: true,
    responsibility: { IaaS: 'customer', PaaS: 'shared', SaaS: 'provider', basis: `Inferred ${EVIL}` },
    iacRelevant: true,
    iacStrength: 'strong',
    keywords: ['backup'],
    ruleStatus: [{ id: 'terraform/s3-versioning-disabled', title: `Versioning ${EVIL}`, severity: 'warning', fixable: true, findings }],
    ...over,
  };
  const list = Array.from({ length: findings }, (_, i) => ({
    uri: `file:///w/main.tf?"${i}`,
    ruleId: 'terraform/s3-versioning-disabled',
    messageId: 'missing',
    severity: 'warning' as const,
    message: `Bucket ${EVIL} has no versioning. (ISO 27017 12.3.1 Information backup)`,
    range: { start: { line: i, character: 0 }, end: { line: i, character: 4 } },
    resource: { type: 'aws_s3_bucket', name: 'x', address: `aws_s3_bucket.${EVIL}` },
    controls: ['12.3.1'],
    fixable: true,
    related: [],
    where: `main.tf:${i + 1} ${EVIL}`,
  }));
  return { control, findings: list, findingCount: findings };
}

describe('control page HTML', () => {
  it('escapes every text it shows', () => {
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const html = controlPageHtml(model(), 'NONCE');
    assert.ok(!html.includes('<img'), 'no raw markup from data');
    assert.ok(!html.includes('onerror="'), 'no attribute injection');
    assert.ok(html.includes('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;&quot;'));
    // Attribute values cannot be broken out of either.
    assert.ok(html.includes('data-uri="file:///w/main.tf?&quot;0"'));
  });

  it('has a strict CSP with a nonce, one nonced script and style, and no inline event handlers', () => {
    const nonce = makeNonce(randomBytes);
    assert.match(nonce, /^[A-Za-z0-9_-]{22}$/);
    const html = controlPageHtml(model(), nonce);
    const csp = contentSecurityPolicy(nonce);
    assert.ok(html.includes(`content="${csp}"`));
    assert.match(csp, /^default-src 'none'; /);
    assert.ok(!csp.includes('unsafe-inline') && !csp.includes('unsafe-eval') && !csp.includes('http'));
    assert.equal((html.match(/<script/g) ?? []).length, 1);
    assert.ok(html.includes(`<script nonce="${nonce}">`));
    assert.ok(html.includes(`<style nonce="${nonce}">`));
    // Data is escaped, so every `<` starts one of our own tags.
    const tags = html.match(/<[^>]*>/g) ?? [];
    assert.deepEqual(tags.filter((t) => /\son[a-z]+\s*=/i.test(t)), [], 'no inline event handlers');
    assert.deepEqual(tags.filter((t) => /\sstyle\s*=/i.test(t)), [], 'no style attributes (the CSP would block them)');
    assert.deepEqual(tags.filter((t) => /\s(src|href)\s*=/i.test(t)), [], 'nothing loaded, no links out');
  });

  it('takes every colour from the theme', () => {
    const style = /<style[^>]*>([\s\S]*?)<\/style>/.exec(controlPageHtml(model(), 'n'))![1]!;
    assert.doesNotMatch(style, /#[0-9a-f]{3,8}\b|rgba?\(|hsla?\(/i, 'no literal colours');
    assert.match(style, /var\(--vscode-contrastBorder/, 'high-contrast borders');
    assert.match(style, /var\(--vscode-focusBorder\)/, 'visible keyboard focus');
  });

  it('shows guidance, mapping, responsibility, rules with status and clickable findings', () => {
    const html = controlPageHtml(model(), 'n');
    for (const part of ['Cloud service customer', 'Cloud service provider', 'ISO/IEC 27002:2022', 'official correspondence', 'Responsibility by service model', '<th>IaaS</th>', 'owner-shared', 'Rules', '1 finding']) {
      assert.ok(html.includes(part), part);
    }
    assert.match(html, /data-action="openFinding"[^>]*data-sl="0"/);
    assert.match(html, /data-action="showRule" data-rule="terraform\/s3-versioning-disabled"/);
    assert.ok(!html.includes('(ISO 27017 12.3.1'), 'the message is shown without its controls suffix');
  });

  it('marks CLD mappings as unofficial and process controls as living in the checklist', () => {
    const cld = controlPageHtml(model({ id: 'CLD.9.5.2', iso27002_2022Official: false }), 'n');
    assert.match(cld, /unofficial: our inference/);
    const process = liveSections(model({ rules: [], ruleStatus: [] }, 0));
    assert.match(process.status, /Process control/);
    assert.match(process.rules, /checklist/);
    assert.equal(process.findings, '');
    const passing = liveSections(model({}, 0));
    assert.match(passing.status, /Passing/);
    assert.match(passing.rules, /passing/);
  });
});
