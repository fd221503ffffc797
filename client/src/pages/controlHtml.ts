// The HTML of a control page: pure functions (no `vscode` import), so that escaping and the CSP are unit-tested.
// Everything shown is escaped; the page loads nothing from anywhere, and its one script carries a nonce.

import type { ControlInfo, FindingInfo } from '../../../server/src/protocol';

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A random nonce for the page's CSP (base64url, 128 bits). */
export function makeNonce(random: (n: number) => Uint8Array): string {
  return Buffer.from(random(16)).toString('base64url');
}

/** A finding as the page shows it: the protocol's finding plus where it is, relative to the workspace. */
export interface PageFinding extends FindingInfo {
  /** e.g. `infra/main.tf:8`. */
  where: string;
}

/** Everything a control page shows. */
export interface ControlPageModel {
  control: ControlInfo;
  findings: PageFinding[];
  /** All findings naming the control (may exceed `findings.length`). */
  findingCount: number;
}

/** The ids of the parts of the page that change with the findings; the page replaces them in place. */
export const LIVE_SECTIONS = ['status', 'rules', 'findings'] as const;
export type LiveSection = (typeof LIVE_SECTIONS)[number];

const KIND: Record<NonNullable<ControlInfo['kind']>, string> = {
  'cloud-specific': 'Cloud-specific control (ISO/IEC 27017 only)',
  '27002-extended': 'ISO/IEC 27002 control with cloud guidance',
};

const STRENGTH: Record<NonNullable<ControlInfo['iacStrength']>, string> = {
  strong: 'Most of this control is visible in resource settings.',
  medium: 'Parts of this control are visible in resource settings.',
  weak: 'Only a few resource settings reflect this control.',
  none: 'Infrastructure code cannot show this control.',
};

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** Findings, passing, or process control: the badge under the title. */
function statusHtml(m: ControlPageModel): string {
  const c = m.control;
  if (c.rules.length === 0) {
    return '<span class="badge process">Process control</span> <span class="muted">No rule can check this in code: it lives in the shared-responsibility checklist.</span>';
  }
  if (m.findingCount === 0) return `<span class="badge pass">Passing</span> <span class="muted">${plural(c.rules.length, 'rule')} found nothing in this workspace.</span>`;
  return `<span class="badge fail">${plural(m.findingCount, 'finding')}</span> <span class="muted">from ${plural(c.rules.length, 'rule')} in this workspace.</span>`;
}

function rulesHtml(m: ControlPageModel): string {
  const c = m.control;
  if (c.rules.length === 0) {
    return '<h2>Rules</h2><p>No rule evidences this control. Track it in the shared-responsibility checklist with the owner and evidence your organisation keeps.</p>';
  }
  const statuses = c.ruleStatus ?? c.rules.map((id) => ({ id, title: id, severity: 'warning' as const, fixable: false, findings: 0 }));
  const rows = statuses
    .map((r) => {
      const status = r.findings === 0 ? '<span class="ok">passing</span>' : `<span class="bad">${plural(r.findings, 'finding')}</span>`;
      return (
        `<tr><td>${escapeHtml(r.title)}${r.fixable ? ' <span class="tag">fixable</span>' : ''}</td>` +
        `<td><button class="link code" data-action="showRule" data-rule="${escapeHtml(r.id)}" title="Show the rule">${escapeHtml(r.id)}</button></td>` +
        `<td>${escapeHtml(r.severity)}</td><td>${status}</td></tr>`
      );
    })
    .join('');
  return `<h2>Rules <span class="count">${c.rules.length}</span></h2><table><thead><tr><th>Checks that</th><th>Rule</th><th>Severity</th><th>Status</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function findingsHtml(m: ControlPageModel): string {
  if (m.control.rules.length === 0) return '';
  if (m.findingCount === 0) return '<h2>Findings</h2><p class="muted">None in this workspace.</p>';
  const items = m.findings
    .map((f) => {
      const r = f.range;
      const attrs =
        `data-action="openFinding" data-uri="${escapeHtml(f.uri)}" data-sl="${r.start.line}" data-sc="${r.start.character}" ` +
        `data-el="${r.end.line}" data-ec="${r.end.character}" data-rule="${escapeHtml(f.ruleId)}"`;
      const resource = f.resource ? `<span class="code">${escapeHtml(f.resource.address)}</span> · ` : '';
      return `<li class="sev-${escapeHtml(f.severity)}"><button class="link" ${attrs} title="Open the location">${escapeHtml(f.where)}</button> ${resource}<span>${escapeHtml(messageOnly(f.message))}</span></li>`;
    })
    .join('');
  const more = m.findingCount > m.findings.length ? `<p class="muted">Showing ${m.findings.length} of ${m.findingCount}; the Problems panel lists them all.</p>` : '';
  return `<h2>Findings <span class="count">${m.findingCount}</span></h2><ul class="findings">${items}</ul>${more}`;
}

/** The engine appends `(ISO 27017 …)` to every message; the page shows the controls itself. */
function messageOnly(message: string): string {
  return message.replace(/\s*\(ISO 27017[^()]*(\([^()]*\)[^()]*)*\)\s*$/, '');
}

/** The HTML of the parts that change with the findings, by section id. */
export function liveSections(m: ControlPageModel): Record<LiveSection, string> {
  return { status: statusHtml(m), rules: rulesHtml(m), findings: findingsHtml(m) };
}

function mappingHtml(c: ControlInfo): string {
  const ids = (c.iso27002_2022 ?? []).map((id) => `<span class="code">${escapeHtml(id)}</span>`).join(', ');
  if (!ids) return '';
  const tag = c.iso27002_2022Official
    ? '<span class="tag">official correspondence</span>'
    : '<span class="tag warn">unofficial: our inference</span> <span class="muted">No official mapping exists for the cloud-specific controls.</span>';
  return `<section><h2>ISO/IEC 27002:2022</h2><p>${ids} ${tag}</p></section>`;
}

function responsibilityHtml(c: ControlInfo): string {
  const r = c.responsibility;
  if (!r) return '';
  const cells = (['IaaS', 'PaaS', 'SaaS'] as const).map((k) => `<td><span class="owner owner-${escapeHtml(r[k])}">${escapeHtml(r[k])}</span></td>`).join('');
  return (
    '<section><h2>Responsibility by service model</h2>' +
    `<table class="resp"><thead><tr><th>IaaS</th><th>PaaS</th><th>SaaS</th></tr></thead><tbody><tr>${cells}</tr></tbody></table>` +
    `<p class="muted">Basis: ${escapeHtml(r.basis)}</p></section>`
  );
}

function partiesHtml(c: ControlInfo): string {
  const p = c.guidanceFor ?? [];
  if (p.length === 0) return '';
  const who = p.length === 2 ? 'both the customer and the provider' : `the ${escapeHtml(p[0]!)} only`;
  return `<p class="muted">The standard's own guidance for this control addresses ${who}. The advice above is ours, for both parties.</p>`;
}

const STYLE = `
:root { color-scheme: light dark; }
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); background: var(--vscode-editor-background); line-height: 1.5; padding: 0 24px 32px; max-width: 60em; }
h1 { font-size: 1.6em; font-weight: 600; margin: 0.8em 0 0.2em; }
h2 { font-size: 1.15em; font-weight: 600; margin: 1.4em 0 0.4em; padding-bottom: 0.2em; border-bottom: 1px solid var(--vscode-widget-border, var(--vscode-panel-border, transparent)); }
.id { color: var(--vscode-descriptionForeground); margin-right: 0.3em; }
.muted, .meta { color: var(--vscode-descriptionForeground); }
.summary { font-size: 1.05em; }
.code { font-family: var(--vscode-editor-font-family); font-size: 0.95em; }
.columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(18em, 1fr)); gap: 0 2em; }
ul { padding-left: 1.3em; }
li { margin: 0.25em 0; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--vscode-widget-border, var(--vscode-panel-border, transparent)); vertical-align: top; }
th { font-weight: 600; color: var(--vscode-descriptionForeground); }
table.resp { width: auto; }
.badge { display: inline-block; padding: 0 8px; border-radius: 10px; font-size: 0.9em; background: var(--vscode-badge-background); color: var(--vscode-badge-foreground); border: 1px solid var(--vscode-contrastBorder, transparent); }
.badge.fail { background: var(--vscode-inputValidation-errorBackground, var(--vscode-badge-background)); color: var(--vscode-foreground); border-color: var(--vscode-inputValidation-errorBorder, var(--vscode-contrastBorder, transparent)); }
.badge.pass { background: var(--vscode-badge-background); }
.tag { font-size: 0.85em; padding: 0 6px; border-radius: 3px; border: 1px solid var(--vscode-widget-border, var(--vscode-contrastBorder, currentColor)); color: var(--vscode-descriptionForeground); }
.tag.warn { color: var(--vscode-editorWarning-foreground); border-color: var(--vscode-editorWarning-foreground); }
.ok { color: var(--vscode-testing-iconPassed, var(--vscode-foreground)); }
.bad { color: var(--vscode-errorForeground); }
.count { font-weight: normal; color: var(--vscode-descriptionForeground); font-size: 0.9em; }
.owner { font-weight: 600; }
ul.findings { list-style: none; padding-left: 0; }
ul.findings li { padding-left: 0.8em; border-left: 3px solid var(--vscode-widget-border, var(--vscode-contrastBorder, transparent)); }
li.sev-error { border-left-color: var(--vscode-editorError-foreground); }
li.sev-warning { border-left-color: var(--vscode-editorWarning-foreground); }
li.sev-info, li.sev-hint { border-left-color: var(--vscode-editorInfo-foreground); }
button.link { background: none; border: none; padding: 0; font: inherit; color: var(--vscode-textLink-foreground); cursor: pointer; text-align: left; }
button.link:hover { color: var(--vscode-textLink-activeForeground); text-decoration: underline; }
button.link:focus-visible, button.action:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: 2px; }
button.action { font: inherit; padding: 2px 10px; color: var(--vscode-button-secondaryForeground, var(--vscode-button-foreground)); background: var(--vscode-button-secondaryBackground, var(--vscode-button-background)); border: 1px solid var(--vscode-button-border, var(--vscode-contrastBorder, transparent)); border-radius: 2px; cursor: pointer; }
button.action:hover { background: var(--vscode-button-secondaryHoverBackground, var(--vscode-button-hoverBackground)); }
footer { margin-top: 2em; font-size: 0.9em; }
body.vscode-high-contrast h2, body.vscode-high-contrast-light h2 { border-bottom-color: var(--vscode-contrastBorder); }
`;

/** Runs in the page: delegates clicks on `[data-action]` to the extension and replaces live sections it is sent. */
const SCRIPT = `
const vscode = acquireVsCodeApi();
document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target.closest('[data-action]') : null;
  if (!target) return;
  event.preventDefault();
  vscode.postMessage(Object.assign({}, target.dataset));
});
window.addEventListener('message', (event) => {
  const m = event.data;
  if (!m || m.type !== 'update' || typeof m.sections !== 'object') return;
  for (const [id, html] of Object.entries(m.sections)) {
    const el = document.getElementById(id);
    if (el && typeof html === 'string') el.innerHTML = html;
  }
});
`;

/** The page's Content-Security-Policy: nothing may load except the one style block and the one script that carry the nonce. */
export function contentSecurityPolicy(nonce: string): string {
  return [`default-src 'none'`, `style-src 'nonce-${nonce}'`, `script-src 'nonce-${nonce}'`, `base-uri 'none'`, `form-action 'none'`].join('; ');
}

/** The whole page. */
export function controlPageHtml(m: ControlPageModel, nonce: string): string {
  const c = m.control;
  const live = liveSections(m);
  const csp = contentSecurityPolicy(nonce);
  const meta: string[] = [];
  if (c.objective) meta.push(`Objective ${escapeHtml(c.objective.id)} ${escapeHtml(c.objective.title)}`);
  if (c.group) meta.push(c.group.id === 'CLD' ? escapeHtml(c.group.title) : `Clause ${escapeHtml(c.group.id)} ${escapeHtml(c.group.title)}`);
  if (c.kind) meta.push(KIND[c.kind]);
  const iac = c.iacStrength ? `${STRENGTH[c.iacRelevant === false ? 'none' : c.iacStrength]}${c.iacNote ? ` (${escapeHtml(c.iacNote)})` : ''}` : '';
  const list = (items: string[]): string => `<ul>${items.map((g) => `<li>${escapeHtml(g)}</li>`).join('')}</ul>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(`${c.id} ${c.title}`)}</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<header>
<h1><span class="id">${escapeHtml(c.id)}</span>${escapeHtml(c.title)}</h1>
<p class="meta">${meta.join(' · ')}</p>
<p id="status">${live.status}</p>
<p><button class="action" data-action="revealInTree">Show in Controls view</button></p>
</header>
<p class="summary">${escapeHtml(c.summary)}</p>
<div class="columns">
<section><h2>Cloud service customer</h2>${list(c.guidance.customer)}</section>
<section><h2>Cloud service provider</h2>${list(c.guidance.provider)}</section>
</div>
${partiesHtml(c)}
${mappingHtml(c)}
${responsibilityHtml(c)}
<section id="rules">${live.rules}</section>
<section id="findings">${live.findings}</section>
<footer class="muted">
${iac ? `<p>Evidence in infrastructure code: ${iac}</p>` : ''}
${c.keywords && c.keywords.length > 0 ? `<p>Keywords: ${c.keywords.map(escapeHtml).join(', ')}</p>` : ''}
<p>Control ids and short titles come from ISO/IEC 27017; the summary and guidance are our own practical advice, not the text of the standard.</p>
</footer>
<script nonce="${nonce}">${SCRIPT}</script>
</body>
</html>`;
}
