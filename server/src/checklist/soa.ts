// The Statement of Applicability: every control of the catalog, grouped by clause, with whether it applies (and
// why not), who carries it, its status, owner and evidence (manual and from the rules), rendered as Markdown,
// CSV (RFC 4180), a self-contained printable HTML page, or JSON. Pure: no I/O, no clock.

import type { Catalog, Owner, ServiceModel } from '../catalog/catalog';
import { OWNERS } from '../catalog/catalog';
import { escapeMd } from '../catalog/markdown';
import { defaultResponsibility } from './create';
import { type EvidenceFinding, type EvidenceRule, evidenceFor } from './evidence';
import { checklistModels, checklistRows, countStatus, type StatusCounts } from './progress';
import type { Checklist, ChecklistService, EvidenceRef, ItemStatus } from './types';

export type SoaFormat = 'md' | 'csv' | 'html' | 'json';
export const SOA_FORMATS: readonly SoaFormat[] = ['md', 'csv', 'html', 'json'];

/** A rule that evidences a control, and what it found. */
export interface SoaRuleEvidence {
  ruleId: string;
  title?: string;
  findings: number;
  /** `path:line` of each open finding, paths relative to the folder. */
  locations: string[];
}

export interface SoaControl {
  id: string;
  title: string;
  /** False for an id the checklist lists but the catalog does not know. */
  inCatalog: boolean;
  applicable: boolean;
  justification?: string;
  responsibility: Owner;
  /** The catalog default for the service models in use, to show where the checklist differs from it. */
  defaultResponsibility?: Owner;
  customerDoes?: string;
  providerDoes?: string;
  status: ItemStatus;
  owner?: string;
  lastReviewed?: string;
  notes: string[];
  /** Manual evidence from the checklist. */
  evidence: EvidenceRef[];
  /** Automatic evidence: every rule that evidences the control. */
  rules: SoaRuleEvidence[];
  openFindings: number;
  /** Marked done while its rules have open findings. */
  conflict: boolean;
  /** `default` when the checklist has no item for the control (or there is no checklist). */
  source: 'checklist' | 'default';
}

/** Counts for a set of controls. */
export interface SoaSummary {
  controls: number;
  /** By status (applicable controls) and not applicable. */
  byStatus: StatusCounts;
  /** By responsibility: how many controls each party carries, and how many of those are done. */
  byResponsibility: Record<Owner, { controls: number; applicable: number; done: number }>;
  /** By assigned owner (person or team), `''` for unassigned, sorted by name with unassigned last. */
  byOwner: Array<{ owner: string; controls: number; done: number }>;
  openFindings: number;
  conflicts: number;
}

export interface SoaClause {
  /** The clause number or `CLD`; `other` for ids not in the catalog. */
  id: string;
  title: string;
  controls: SoaControl[];
  summary: SoaSummary;
}

export interface SoaData {
  standard: string;
  edition: string;
  dataVersion: string;
  /** `YYYY-MM-DD`. */
  generated: string;
  /** The folder's display name. */
  folder?: string;
  /** `checklist`: from the folder's checklist file; `defaults`: there was none, catalog defaults were used. */
  source: 'checklist' | 'defaults';
  /** The checklist file, relative to the folder, when one was read. */
  checklistPath?: string;
  /** Said in the header (e.g. that the defaults were used). */
  notice?: string;
  providers: string[];
  models: ServiceModel[];
  services: ChecklistService[];
  /** False when no analysis was run, so automatic evidence is absent rather than clean. */
  analysed: boolean;
  clauses: SoaClause[];
  summary: SoaSummary;
}

export interface SoaInput {
  catalog: Pick<Catalog, 'standard' | 'edition' | 'dataVersion' | 'groups' | 'controls'>;
  /** The folder's checklist; without one the SoA shows the catalog defaults for `models`. */
  checklist?: Checklist;
  checklistPath?: string;
  /** Models for the defaults when there is no checklist (or it names none). */
  models?: readonly ServiceModel[];
  providers?: readonly string[];
  services?: readonly ChecklistService[];
  /** Rules and their open findings, for automatic evidence; leave out when no analysis was run. */
  rules?: readonly EvidenceRule[];
  findings?: readonly EvidenceFinding[];
  /** Finding paths are shown relative to this folder. */
  root?: string;
  folder?: string;
  today: string;
  notice?: string;
}

function relative(root: string | undefined, file: string): string {
  if (!root) return file;
  const r = root.endsWith('/') ? root : `${root}/`;
  return file.startsWith(r) ? file.slice(r.length) : file;
}

/** Findings are counted once per clause (and overall) even when they evidence several of its controls. */
function summarize(controls: readonly SoaControl[], findingKeys: ReadonlyMap<SoaControl, ReadonlySet<string>>): SoaSummary {
  const byResponsibility = { customer: { controls: 0, applicable: 0, done: 0 }, provider: { controls: 0, applicable: 0, done: 0 }, shared: { controls: 0, applicable: 0, done: 0 } } as SoaSummary['byResponsibility'];
  const owners = new Map<string, { controls: number; done: number }>();
  for (const c of controls) {
    const r = byResponsibility[c.responsibility];
    r.controls++;
    if (c.applicable) r.applicable++;
    const o = owners.get(c.owner ?? '') ?? { controls: 0, done: 0 };
    o.controls++;
    if (c.applicable && c.status === 'done') {
      r.done++;
      o.done++;
    }
    owners.set(c.owner ?? '', o);
  }
  const byOwner = [...owners]
    .sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : a.localeCompare(b)))
    .map(([owner, v]) => ({ owner, ...v }));
  return {
    controls: controls.length,
    byStatus: countStatus(controls.map((c) => ({ responsibility: c.responsibility, applicable: c.applicable, status: c.status }))),
    byResponsibility,
    byOwner,
    openFindings: new Set(controls.flatMap((c) => [...(findingKeys.get(c) ?? [])])).size,
    conflicts: controls.filter((c) => c.conflict).length,
  };
}

/** Builds the SoA data (what every format renders). */
export function buildSoa(input: SoaInput): SoaData {
  const { catalog, checklist } = input;
  const models = checklist ? checklistModels(checklist) : [...(input.models ?? [])];
  const effectiveModels = models.length > 0 ? models : [...(input.models ?? [])];
  const rows = checklistRows(checklist, catalog, effectiveModels);
  const analysed = input.rules !== undefined;
  const evidence = evidenceFor(checklist, catalog, input.rules ?? [], input.findings ?? []);
  const byId = new Map(evidence.controls.map((e) => [e.controlId, e]));
  const findingKeys = new Map<SoaControl, Set<string>>();

  const toControl = (row: (typeof rows)[number]): SoaControl => {
    const ev = byId.get(row.controlId);
    const item = row.item;
    const c: SoaControl = {
      id: row.controlId,
      title: row.record?.title ?? '(not in the catalog)',
      inCatalog: row.record !== undefined,
      applicable: item.applicable,
      responsibility: item.responsibility,
      status: item.status,
      notes: [...(item.notes ?? [])],
      evidence: (item.evidence ?? []).map((e) => ({ ...e })),
      rules: (ev?.rules ?? []).map((r) => {
        const out: SoaRuleEvidence = { ruleId: r.ruleId, findings: r.findings, locations: r.locations.map((l) => `${relative(input.root, l.file)}:${l.range.start.line + 1}`) };
        if (r.title) out.title = r.title;
        return out;
      }),
      openFindings: ev?.openFindings ?? 0,
      conflict: ev?.conflict ?? false,
      source: row.source,
    };
    findingKeys.set(c, new Set((ev?.rules ?? []).flatMap((r) => r.locations.map((l) => `${r.ruleId}|${l.file}|${l.range.start.line}:${l.range.start.character}`))));
    if (row.record) c.defaultResponsibility = defaultResponsibility(row.record, effectiveModels);
    for (const f of ['justification', 'customerDoes', 'providerDoes', 'owner', 'lastReviewed'] as const) {
      const v = item[f];
      if (v !== undefined) c[f] = v;
    }
    return c;
  };

  const clauses: SoaClause[] = catalog.groups.map((g) => {
    const controls = rows.filter((r) => r.group?.id === g.id).map(toControl);
    return { id: g.id, title: g.title, controls, summary: summarize(controls, findingKeys) };
  });
  const unknown = rows.filter((r) => !r.record).map(toControl);
  if (unknown.length > 0) clauses.push({ id: 'other', title: `Not in catalog ${catalog.dataVersion}`, controls: unknown, summary: summarize(unknown, findingKeys) });

  const data: SoaData = {
    standard: catalog.standard,
    edition: catalog.edition,
    dataVersion: catalog.dataVersion,
    generated: input.today,
    source: checklist ? 'checklist' : 'defaults',
    providers: [...(checklist?.providers ?? input.providers ?? [])],
    models: effectiveModels,
    services: [...(checklist?.services ?? input.services ?? [])],
    analysed,
    clauses,
    summary: summarize(clauses.flatMap((c) => c.controls), findingKeys),
  };
  if (input.folder) data.folder = input.folder;
  if (checklist && input.checklistPath) data.checklistPath = input.checklistPath;
  if (input.notice) data.notice = input.notice;
  return data;
}

// ---- shared wording ----

const STATUS_LABEL: Record<ItemStatus, string> = { todo: 'to do', 'in-progress': 'in progress', done: 'done' };

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

function clauseHeading(c: Pick<SoaClause, 'id' | 'title'>): string {
  return c.id === 'CLD' || c.id === 'other' ? c.title : `${c.id} ${c.title}`;
}

function summaryLine(s: SoaSummary): string {
  const parts = [
    `${plural(s.controls, 'control')}: ${s.byStatus.done} done, ${s.byStatus['in-progress']} in progress, ${s.byStatus.todo} to do, ${s.byStatus.notApplicable} not applicable`,
    `responsibility: ${OWNERS.filter((o) => s.byResponsibility[o].controls > 0).map((o) => `${o} ${s.byResponsibility[o].done}/${s.byResponsibility[o].applicable} done`).join(', ') || 'none'}`,
    `owners: ${s.byOwner.map((o) => `${o.owner || 'unassigned'} ${o.done}/${o.controls}`).join(', ')}`,
  ];
  if (s.openFindings > 0) parts.push(`${plural(s.openFindings, 'open finding')}`);
  if (s.conflicts > 0) parts.push(`${plural(s.conflicts, 'control')} marked done with open findings`);
  return parts.join('; ');
}

function headerFacts(d: SoaData): string[] {
  const out = [
    `Generated ${d.generated} from catalog ${d.dataVersion} (${d.standard}:${d.edition})${d.folder ? ` for ${d.folder}` : ''}.`,
  ];
  if (d.source === 'checklist') out.push(`Source: the checklist ${d.checklistPath ?? ''}`.trimEnd() + '.');
  out.push(...(d.notice ? [d.notice] : d.source === 'defaults' ? ['Source: no checklist; the catalog defaults (every control applicable and to do, responsibility by service model).'] : []));
  out.push(`Providers: ${d.providers.join(', ') || 'none recorded'}. Service models: ${d.models.join(', ') || 'none recorded'}.`);
  if (d.services.length > 0) out.push(`Services: ${d.services.map((s) => `${s.name} (${s.provider}, ${s.model})`).join(', ')}.`);
  if (!d.analysed) out.push('No analysis was run, so there is no automatic evidence.');
  return out;
}

function evidenceText(e: EvidenceRef): string {
  return `${e.kind}: ${e.ref}${e.note ? ` (${e.note})` : ''}`;
}

const MAX_LOCATIONS = 10;

function ruleText(r: SoaRuleEvidence): string {
  if (r.findings === 0) return `${r.ruleId}: no open findings`;
  const shown = r.locations.slice(0, MAX_LOCATIONS).join(', ');
  const more = r.locations.length > MAX_LOCATIONS ? `, and ${r.locations.length - MAX_LOCATIONS} more` : '';
  return `${r.ruleId}: ${plural(r.findings, 'open finding')} (${shown}${more})`;
}

/** Failing rules one by one with their locations, then the passing ones in one entry. */
function rulesText(rules: readonly SoaRuleEvidence[]): string[] {
  const failing = rules.filter((r) => r.findings > 0).map(ruleText);
  const passing = rules.filter((r) => r.findings === 0).map((r) => r.ruleId);
  return passing.length > 0 ? [...failing, `no open findings: ${passing.join(', ')}`] : failing;
}

function responsibilityText(c: SoaControl): string {
  const differs = c.defaultResponsibility && c.defaultResponsibility !== c.responsibility ? ` (catalog default: ${c.defaultResponsibility})` : '';
  return `${c.responsibility}${differs}`;
}

// ---- Markdown ----

const md = (s: string): string => escapeMd(s.replace(/\s*[\r\n]+\s*/g, ' '));

function renderMd(d: SoaData): string {
  const out: string[] = [];
  out.push(`# Statement of Applicability: ${md(d.standard)}:${md(d.edition)}`, '');
  for (const f of headerFacts(d)) out.push(md(f), '');
  out.push('## Summary', '');
  out.push(md(summaryLine(d.summary)), '');
  out.push('| Clause | Controls | Done | In progress | To do | Not applicable | Open findings |', '|---|---:|---:|---:|---:|---:|---:|');
  for (const c of d.clauses) {
    const s = c.summary;
    out.push(`| ${md(clauseHeading(c))} | ${s.controls} | ${s.byStatus.done} | ${s.byStatus['in-progress']} | ${s.byStatus.todo} | ${s.byStatus.notApplicable} | ${s.openFindings} |`);
  }
  out.push('');
  for (const c of d.clauses) {
    out.push(`## ${md(clauseHeading(c))}`, '', md(summaryLine(c.summary)), '');
    for (const x of c.controls) {
      out.push(`### ${md(x.id)} ${md(x.title)}`, '');
      out.push(`- **Applicable:** ${x.applicable ? 'yes' : 'no'}${x.justification ? `. ${md(x.justification)}` : ''}`);
      out.push(`- **Responsibility:** ${md(responsibilityText(x))}`);
      if (x.customerDoes) out.push(`- **Customer does:** ${md(x.customerDoes)}`);
      if (x.providerDoes) out.push(`- **Provider does:** ${md(x.providerDoes)}`);
      out.push(`- **Status:** ${STATUS_LABEL[x.status]}${x.conflict ? ' (**conflict:** marked done, but its rules have open findings)' : ''}`);
      out.push(`- **Owner:** ${x.owner ? md(x.owner) : 'unassigned'}${x.lastReviewed ? `; last reviewed ${md(x.lastReviewed)}` : ''}`);
      out.push(`- **Evidence:** ${x.evidence.length > 0 ? x.evidence.map((e) => md(evidenceText(e))).join('; ') : 'none recorded'}`);
      if (d.analysed) out.push(`- **Automatic evidence:** ${x.rules.length > 0 ? rulesText(x.rules).map(md).join('; ') : 'no rule evidences this control (process control)'}`);
      if (x.notes.length > 0) out.push(`- **Notes:** ${x.notes.map(md).join('; ')}`);
      if (x.source === 'default' && d.source === 'checklist') out.push('- *Not in the checklist: catalog defaults shown.*');
      out.push('');
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}

// ---- CSV (RFC 4180) ----

export const CSV_COLUMNS = [
  'Clause',
  'Clause title',
  'Control',
  'Title',
  'Applicable',
  'Justification',
  'Responsibility',
  'Default responsibility',
  'Customer does',
  'Provider does',
  'Status',
  'Owner',
  'Last reviewed',
  'Evidence',
  'Automatic evidence',
  'Open findings',
  'Conflict',
  'Notes',
  'Source',
] as const;

/** One CSV field: quoted when it holds a comma, quote or line break; a leading `=`, `+`, `-`, `@` is defused. */
export function csvField(v: string | number | boolean): string {
  let s = String(v);
  // Spreadsheets run cells that start like a formula; a leading apostrophe keeps them text.
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function renderCsv(d: SoaData): string {
  const rows: Array<Array<string | number>> = [[...CSV_COLUMNS]];
  for (const c of d.clauses) {
    for (const x of c.controls) {
      rows.push([
        c.id,
        c.title,
        x.id,
        x.title,
        x.applicable ? 'yes' : 'no',
        x.justification ?? '',
        x.responsibility,
        x.defaultResponsibility ?? '',
        x.customerDoes ?? '',
        x.providerDoes ?? '',
        x.status,
        x.owner ?? '',
        x.lastReviewed ?? '',
        x.evidence.map(evidenceText).join('\n'),
        d.analysed ? rulesText(x.rules).join('\n') : '',
        x.openFindings,
        x.conflict ? 'yes' : 'no',
        x.notes.join('\n'),
        x.source,
      ]);
    }
  }
  return rows.map((r) => `${r.map(csvField).join(',')}\r\n`).join('');
}

// ---- HTML ----

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const h = escapeHtml;

const CSS = `
body { font: 10.5pt/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #000; background: #fff; }
h1 { font-size: 1.6rem; margin: 0 0 .5rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .25rem; border-bottom: 1px solid #000; }
p.facts { margin: .15rem 0; }
p.summary { margin: .25rem 0 .75rem; font-style: italic; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { border: 1px solid #777; padding: .3rem .45rem; text-align: left; vertical-align: top; }
th { font-weight: 600; }
td.num, th.num { text-align: right; }
td ul { margin: 0; padding-left: 1.1rem; }
table.controls { table-layout: fixed; }
table.controls td { overflow-wrap: anywhere; }
col.c-control { width: 22%; }
col.c-applicable, col.c-responsibility { width: 17%; }
col.c-status { width: 14%; }
col.c-evidence { width: 30%; }
.muted { opacity: .75; }
.conflict { font-weight: 700; border: 1px solid #000; padding: 0 .2rem; }
@page { margin: 15mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 9.5pt; }
  section.clause { break-before: page; }
  tr, li { break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
}
`.trim();

function list(items: string[]): string {
  return items.length === 0 ? '' : `<ul>${items.map((i) => `<li>${i}</li>`).join('')}</ul>`;
}

function evidenceHtml(e: EvidenceRef): string {
  const ref = /^https?:\/\//i.test(e.ref) && e.kind === 'url' ? `<a href="${h(e.ref)}">${h(e.ref)}</a>` : h(e.ref);
  return `${h(e.kind)}: ${ref}${e.note ? ` <span class="muted">(${h(e.note)})</span>` : ''}`;
}

function renderHtml(d: SoaData): string {
  const title = `Statement of Applicability: ${d.standard}:${d.edition}${d.folder ? `, ${d.folder}` : ''}`;
  const out: string[] = [];
  out.push('<!DOCTYPE html>', '<html lang="en">', '<head>', '<meta charset="utf-8">');
  // Nothing may load: no scripts, no remote styles, fonts or images.
  out.push(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
  out.push('<meta name="viewport" content="width=device-width, initial-scale=1">', `<title>${h(title)}</title>`, `<style>\n${CSS}\n</style>`, '</head>', '<body>');
  out.push('<header>', `<h1>${h(title)}</h1>`, ...headerFacts(d).map((f) => `<p class="facts">${h(f)}</p>`), '</header>');

  out.push('<section class="overview">', '<h2>Summary</h2>', `<p class="summary">${h(summaryLine(d.summary))}</p>`);
  out.push('<table>', '<thead><tr><th>Clause</th><th class="num">Controls</th><th class="num">Done</th><th class="num">In progress</th><th class="num">To do</th><th class="num">Not applicable</th><th class="num">Open findings</th></tr></thead>', '<tbody>');
  for (const c of d.clauses) {
    const s = c.summary;
    out.push(`<tr><td>${h(clauseHeading(c))}</td><td class="num">${s.controls}</td><td class="num">${s.byStatus.done}</td><td class="num">${s.byStatus['in-progress']}</td><td class="num">${s.byStatus.todo}</td><td class="num">${s.byStatus.notApplicable}</td><td class="num">${s.openFindings}</td></tr>`);
  }
  out.push('</tbody>', '</table>', '</section>');

  for (const c of d.clauses) {
    out.push(`<section class="clause" id="clause-${h(c.id)}">`, `<h2>${h(clauseHeading(c))}</h2>`, `<p class="summary">${h(summaryLine(c.summary))}</p>`);
    out.push('<table class="controls">', '<colgroup><col class="c-control"><col class="c-applicable"><col class="c-responsibility"><col class="c-status"><col class="c-evidence"></colgroup>', '<thead><tr><th>Control</th><th>Applicable</th><th>Responsibility</th><th>Status and owner</th><th>Evidence</th></tr></thead>', '<tbody>');
    for (const x of c.controls) {
      const who = [`<strong>${h(responsibilityText(x))}</strong>`];
      if (x.customerDoes) who.push(`Customer: ${h(x.customerDoes)}`);
      if (x.providerDoes) who.push(`Provider: ${h(x.providerDoes)}`);
      const status = [`${h(STATUS_LABEL[x.status])}${x.conflict ? ' <span class="conflict">conflict: open findings</span>' : ''}`, `Owner: ${x.owner ? h(x.owner) : '<span class="muted">unassigned</span>'}`];
      if (x.lastReviewed) status.push(`Reviewed ${h(x.lastReviewed)}`);
      const evidence = x.evidence.map(evidenceHtml);
      if (d.analysed) evidence.push(...(x.rules.length > 0 ? rulesText(x.rules).map(h) : ['<span class="muted">No rule evidences this control (process control).</span>']));
      const notes = x.notes.map((n) => `Note: ${h(n)}`);
      out.push(
        `<tr id="control-${h(x.id)}">`,
        `<td><strong>${h(x.id)}</strong><br>${h(x.title)}${x.source === 'default' && d.source === 'checklist' ? '<br><span class="muted">not in the checklist: defaults shown</span>' : ''}</td>`,
        `<td>${x.applicable ? 'Yes' : '<strong>No</strong>'}${x.justification ? `<br>${h(x.justification)}` : ''}</td>`,
        `<td>${who.join('<br>')}</td>`,
        `<td>${status.join('<br>')}</td>`,
        `<td>${list([...evidence, ...notes]) || '<span class="muted">none recorded</span>'}</td>`,
        '</tr>',
      );
    }
    out.push('</tbody>', '</table>', '</section>');
  }
  out.push('</body>', '</html>');
  return `${out.join('\n')}\n`;
}

/** Renders the SoA in one format. */
export function renderSoa(data: SoaData, format: SoaFormat): string {
  switch (format) {
    case 'md':
      return renderMd(data);
    case 'csv':
      return renderCsv(data);
    case 'html':
      return renderHtml(data);
    case 'json':
      return `${JSON.stringify(data, null, 2)}\n`;
    default:
      throw new Error(`Unknown SoA format "${String(format)}"; use one of ${SOA_FORMATS.join(', ')}.`);
  }
}
