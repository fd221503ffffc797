// What the Shared Responsibility view shows, as plain data: groups, descriptions, tooltips and progress.
// No `vscode` import, so that unit tests can check it; checklistTree.ts turns it into tree items.

import type { ChecklistCounts, ChecklistEvidenceRef, ChecklistFolderInfo, ChecklistItemStatus, ChecklistRowInfo, ControlOwner } from '../../../server/src/protocol';

/** How the view groups controls. */
export type ChecklistGrouping = 'owner' | 'status';

/** A group key: a responsibility, a status, or `n/a` for controls that do not apply. */
export type ChecklistGroupKey = ControlOwner | ChecklistItemStatus | 'n/a';

export const STATUS_LABEL: Record<ChecklistItemStatus, string> = { todo: 'to do', 'in-progress': 'in progress', done: 'done' };
export const RESPONSIBILITY_LABEL: Record<ControlOwner, string> = { customer: 'customer', shared: 'shared', provider: 'provider' };

const OWNER_ORDER: readonly ControlOwner[] = ['customer', 'shared', 'provider'];
const STATUS_ORDER: readonly ChecklistGroupKey[] = ['todo', 'in-progress', 'done', 'n/a'];

const GROUP_TITLE: Record<ChecklistGroupKey, string> = {
  customer: 'Customer',
  shared: 'Shared',
  provider: 'Provider',
  todo: 'To Do',
  'in-progress': 'In Progress',
  done: 'Done',
  'n/a': 'Not Applicable',
};

export interface ChecklistGroup {
  key: ChecklistGroupKey;
  title: string;
  rows: ChecklistRowInfo[];
}

/** The group a row falls in. */
export function groupKeyOf(row: ChecklistRowInfo, by: ChecklistGrouping): ChecklistGroupKey {
  if (by === 'owner') return row.responsibility;
  return row.applicable ? row.status : 'n/a';
}

/** The rows in groups, in a fixed order (customer, shared, provider, or to do, in progress, done, not applicable); empty groups are left out. */
export function groupRows(rows: readonly ChecklistRowInfo[], by: ChecklistGrouping): ChecklistGroup[] {
  const order = by === 'owner' ? OWNER_ORDER : STATUS_ORDER;
  return order
    .map((key) => ({ key, title: GROUP_TITLE[key], rows: rows.filter((r) => groupKeyOf(r, by) === key) }))
    .filter((g) => g.rows.length > 0);
}

/** `3/12 done` over the applicable rows of a group (all done when none applies). */
export function groupDescription(group: ChecklistGroup): string {
  const applicable = group.rows.filter((r) => r.applicable);
  const done = applicable.filter((r) => r.status === 'done').length;
  const failing = group.rows.filter((r) => r.conflict).length;
  const byOwner = (OWNER_ORDER as readonly string[]).includes(group.key);
  const parts = [byOwner ? `${done}/${applicable.length} done` : plural(group.rows.length, 'control')];
  if (failing > 0) parts.push(`${failing} failing`);
  return parts.join(' · ');
}

/** `18/44 done` (applicable controls), plus conflicts when there are any. */
export function progressText(c: ChecklistCounts, conflicts = 0): string {
  return `${c.done}/${c.total} done${conflicts > 0 ? ` · ${conflicts} failing` : ''}`;
}

/** The sum of several folders' progress. */
export function sumCounts(list: readonly ChecklistCounts[]): ChecklistCounts {
  const out: ChecklistCounts = { total: 0, todo: 0, inProgress: 0, done: 0, notApplicable: 0 };
  for (const c of list) for (const k of Object.keys(out) as Array<keyof ChecklistCounts>) out[k] += c[k];
  return out;
}

/** The view's description: progress over the folders that have a readable checklist. */
export function viewDescription(folders: readonly ChecklistFolderInfo[]): string | undefined {
  const ready = folders.filter((f) => f.state === 'ready');
  if (ready.length === 0) {
    // One invalid checklist: the view's welcome explains, the description names the first error.
    if (folders.length === 1 && folders[0]!.state === 'invalid') return folders[0]!.error ?? 'invalid checklist';
    return undefined;
  }
  return progressText(sumCounts(ready.map((f) => f.progress)), ready.reduce((n, f) => n + f.conflicts.length, 0));
}

/** A folder node's description. */
export function folderDescription(f: ChecklistFolderInfo): string {
  if (f.state === 'missing') return 'no checklist';
  if (f.state === 'invalid') return `invalid: ${f.problems.filter((p) => p.severity === 'error').length} error(s)`;
  return progressText(f.progress, f.conflicts.length);
}

/** A control's description: its status or who carries it (whichever the grouping does not show), its owner, and flags. */
export function rowDescription(row: ChecklistRowInfo, by: ChecklistGrouping): string {
  const parts: string[] = [];
  if (!row.applicable) parts.push('not applicable');
  else if (by === 'owner') parts.push(STATUS_LABEL[row.status]);
  if (by === 'status') parts.push(RESPONSIBILITY_LABEL[row.responsibility]);
  if (row.owner) parts.push(row.owner);
  if (row.conflict) parts.push(`${plural(row.openFindings, 'open finding')}`);
  if (!row.known) parts.push('not in catalog');
  return parts.join(' · ');
}

/** The accessible label and the tree label of a control. */
export function rowLabel(row: ChecklistRowInfo): string {
  return row.title ? `${row.controlId} ${row.title}` : row.controlId;
}

/** The icon of a control: a warning when it is done but failing, else its state. */
export function rowIcon(row: ChecklistRowInfo): { id: string; color?: string } {
  if (row.conflict) return { id: 'warning', color: 'problemsWarningIcon.foreground' };
  if (!row.known) return { id: 'question' };
  if (!row.applicable) return { id: 'circle-slash' };
  if (row.status === 'done') return { id: 'pass', color: 'testing.iconPassed' };
  if (row.status === 'in-progress') return { id: 'sync' };
  return { id: 'circle-large-outline' };
}

/** Escapes text for a MarkdownString. */
export function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()<>#+\-.!|~$]/g, '\\$&');
}

/** A location relative to the workspace folder, e.g. `infra/main.tf:8`. */
export function shortLocation(uri: string, folderUri: string, line: number): string {
  const base = folderUri.endsWith('/') ? folderUri : `${folderUri}/`;
  const rel = uri.startsWith(base) ? decodeURIComponent(uri.slice(base.length)) : decodeURIComponent(uri.replace(/^file:\/\//, ''));
  return `${rel}:${line + 1}`;
}

function evidenceText(e: ChecklistEvidenceRef): string {
  return `${e.kind} ${e.ref}${e.note ? ` (${e.note})` : ''}`;
}

/** The tooltip of a control as markdown: the decisions, the manual evidence and the automatic evidence. */
export function rowTooltip(row: ChecklistRowInfo, folderUri: string, maxLocations = 5): string {
  const out: string[] = [`**${escapeMd(rowLabel(row))}**`, ''];
  if (!row.known) out.push('$(question) Not in the catalog: kept in the file as it is.', '');
  const resp = `Responsibility: **${row.responsibility}**${row.defaultResponsibility && row.defaultResponsibility !== row.responsibility ? ` (catalog default: ${row.defaultResponsibility})` : ''}`;
  out.push(`${resp}  `);
  out.push(`Status: **${STATUS_LABEL[row.status]}**${row.applicable ? '' : ' · **not applicable**'}${row.owner ? ` · owner: ${escapeMd(row.owner)}` : ''}${row.lastReviewed ? ` · reviewed ${row.lastReviewed}` : ''}  `);
  if (row.source === 'default') out.push('*Not in the file yet: the catalog defaults apply.*  ');
  if (row.justification) out.push(`Justification: ${escapeMd(row.justification)}  `);
  if (row.customerDoes) out.push(`Customer does: ${escapeMd(row.customerDoes)}  `);
  if (row.providerDoes) out.push(`Provider does: ${escapeMd(row.providerDoes)}  `);
  if (row.notes.length > 0) out.push('', '**Notes**', '', ...row.notes.map((n) => `- ${escapeMd(n)}`));
  if (row.evidence.length > 0) out.push('', '**Evidence**', '', ...row.evidence.map((e) => `- ${escapeMd(evidenceText(e))}`));
  out.push('', '**Automatic evidence**', '');
  if (row.automatic.length === 0) out.push('No rule checks this control in code: it is a process control.');
  else {
    if (row.conflict) out.push(`$(warning) Marked done, but ${plural(row.openFindings, 'finding')} of its rules ${row.openFindings === 1 ? 'is' : 'are'} open.`, '');
    for (const r of row.automatic) {
      const name = r.title ? `${escapeMd(r.title)} (\`${r.ruleId}\`)` : `\`${r.ruleId}\``;
      if (r.findings === 0) {
        out.push(`- $(pass) ${name}: passing`);
        continue;
      }
      const shown = r.locations.slice(0, maxLocations).map((l) => `${escapeMd(shortLocation(l.uri, folderUri, l.range.start.line))}${l.resource ? ` ${escapeMd(l.resource)}` : ''}`);
      const more = r.findings > shown.length ? `, and ${r.findings - shown.length} more` : '';
      out.push(`- $(warning) ${name}: ${plural(r.findings, 'finding')}: ${shown.join(', ')}${more}`);
    }
  }
  return out.join('\n');
}

/** Checks a URL typed as evidence: http(s) only. */
export function validateUrl(v: string): string | undefined {
  const t = v.trim();
  if (!t) return 'Type a URL.';
  return /^https?:\/\/\S+$/i.test(t) ? undefined : 'Type a URL that starts with https:// or http://.';
}

/** Checks a ticket id typed as evidence. */
export function validateTicket(v: string): string | undefined {
  return v.trim() ? undefined : 'Type a ticket id, e.g. SEC-142.';
}

/** A path relative to a folder with forward slashes, or undefined when the file is outside it. */
export function relativePath(folderPath: string, filePath: string): string | undefined {
  const f = folderPath.replace(/\\/g, '/').replace(/\/+$/, '');
  const p = filePath.replace(/\\/g, '/');
  return p.startsWith(`${f}/`) ? p.slice(f.length + 1) : undefined;
}

function plural(n: number, one: string): string {
  return `${n} ${one}${n === 1 ? '' : 's'}`;
}
