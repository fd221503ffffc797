// Hover over a finding (or the header of the flagged resource): the rule, its controls and why it matters.

import { MarkupKind, type Hover, type Position, type Range } from 'vscode-languageserver/node';
import { LineMap } from '../engine/lines';
import type { Finding, RuleMeta } from '../engine/types';
import { ClientCommands } from '../protocol';
import { firstSentence, type CatalogIndex } from './catalog';

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

/** True when `pos` lies in `r` (both ends inclusive, so that a hover right after the last character still counts). */
export function contains(r: Range, pos: Position): boolean {
  return !before(pos, r.start) && !before(r.end, pos);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The range of `resource "type" "name"` (or `data "type" "name"`) in a text, if it is there. */
export function resourceHeaderRange(text: string, resource: { type: string; name: string }, lines = new LineMap(text)): Range | undefined {
  const isData = resource.type.startsWith('data.');
  const type = isData ? resource.type.slice(5) : resource.type;
  const re = new RegExp(`^[ \\t]*(${isData ? 'data' : 'resource'})\\s+"${escapeRegExp(type)}"\\s+"${escapeRegExp(resource.name)}"`, 'm');
  const m = re.exec(text);
  if (!m) return undefined;
  const start = m.index + m[0].indexOf(m[1]!);
  return lines.range(start, m.index + m[0].length);
}

/** Escapes text that comes from the user's files, so that it cannot inject links or markup into trusted markdown. */
export function escapeMarkdown(s: string): string {
  // Brackets and angle brackets are what links and HTML need; the rest is emphasis, code and tables.
  return s.replace(/[\\`*_[\]<>|~#]/g, '\\$&');
}

function commandLink(label: string, command: string, args: unknown[]): string {
  return `[${label}](command:${command}?${encodeURIComponent(JSON.stringify(args))})`;
}

/** The findings that a hover at `pos` is about: the finding's range or the flagged resource's header contains it. */
export function findingsAt(findings: readonly Finding[], text: string | undefined, pos: Position): Finding[] {
  const lines = text !== undefined ? new LineMap(text) : undefined;
  const headers = new Map<string, Range | undefined>();
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const f of findings) {
    let hit = contains(f.range, pos);
    if (!hit && f.resource && text !== undefined) {
      const key = `${f.resource.type}|${f.resource.name}`;
      if (!headers.has(key)) headers.set(key, resourceHeaderRange(text, f.resource, lines));
      const h = headers.get(key);
      hit = h !== undefined && contains(h, pos);
    }
    // A resource of a module used twice is reported once per call; one section per rule is enough.
    if (hit && !seen.has(f.ruleId)) {
      seen.add(f.ruleId);
      out.push(f);
    }
  }
  return out;
}

/** Removes the `(ISO 27017 …)` suffix the engine appends; the hover lists the controls itself. */
function messageWithoutControls(message: string): string {
  return message.replace(/\s*\(ISO 27017[^()]*(\([^()]*\)[^()]*)*\)\s*$/, '');
}

/** The markdown of one finding's section. */
export function findingMarkdown(f: Finding, meta: RuleMeta | undefined, catalog: CatalogIndex): string {
  const parts: string[] = [];
  parts.push(`**${escapeMarkdown(meta?.title ?? f.ruleId)}** · \`${f.ruleId}\``);
  parts.push(escapeMarkdown(messageWithoutControls(f.message)));
  const controls = f.controls.map((id) => {
    const c = catalog.control(id);
    // The control page (customer and provider guidance, mapping, responsibility, findings) is one click away.
    const link = commandLink('control page', ClientCommands.revealControl, [id]);
    if (!c) return `- **${id}** (${link})`;
    return `- **${id}** ${escapeMarkdown(c.title)}: ${escapeMarkdown(firstSentence(c.summary))} (${link})`;
  });
  parts.push(`ISO 27017 controls:\n\n${controls.join('\n')}`);
  if (meta?.docs.summary) parts.push(`*Why it matters:* ${escapeMarkdown(meta.docs.summary)}`);
  parts.push(commandLink(`Learn more about ${f.ruleId}`, ClientCommands.showRule, [f.ruleId]));
  return parts.join('\n\n');
}

export function hoverFor(
  findings: readonly Finding[],
  text: string | undefined,
  pos: Position,
  rules: ReadonlyMap<string, RuleMeta>,
  catalog: CatalogIndex,
): Hover | null {
  const hits = findingsAt(findings, text, pos);
  if (hits.length === 0) return null;
  const value = hits.map((f) => findingMarkdown(f, rules.get(f.ruleId), catalog)).join('\n\n---\n\n');
  const first = hits[0]!;
  return { contents: { kind: MarkupKind.Markdown, value }, range: contains(first.range, pos) ? first.range : undefined } as Hover;
}
