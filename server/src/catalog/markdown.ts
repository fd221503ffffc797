// Readable documentation of the whole catalog as Markdown (`iso27017 controls --format md`): every control with
// its summary, guidance for both parties, 27002:2022 mapping, responsibility by service model and its rules.

import type { Catalog, ControlRecord } from './catalog';
import { SERVICE_MODELS } from './catalog';
import { rulesByControl, type RuleRef } from './evidence';

/** Escapes characters that Markdown would read as markup (`Action "*"` must not start emphasis). */
export function escapeMd(s: string): string {
  return s.replace(/[\\`*_[\]<>|#~]/g, '\\$&');
}

const KIND: Record<ControlRecord['kind'], string> = {
  'cloud-specific': 'cloud-specific control (ISO/IEC 27017 only)',
  '27002-extended': 'ISO/IEC 27002 control with cloud guidance',
};

const STRENGTH: Record<ControlRecord['iacStrength'], string> = {
  strong: 'strong: most of it is visible in resource settings',
  medium: 'medium: parts of it are visible in resource settings',
  weak: 'weak: only a few settings reflect it',
  none: 'none: it is a process control',
};

function partyList(parties: readonly string[]): string {
  return parties.length === 2 ? 'both the customer and the provider' : `the ${parties[0] ?? 'customer'} only`;
}

/** The Markdown section of one control (a `###` heading and its body). */
export function controlMarkdown(c: ControlRecord, rules: readonly RuleRef[]): string {
  const out: string[] = [];
  out.push(`### ${escapeMd(c.id)} ${escapeMd(c.title)}`, '');
  out.push(`*Objective ${escapeMd(c.objective.id)} ${escapeMd(c.objective.title)} · ${KIND[c.kind]}*`, '');
  out.push(escapeMd(c.summary), '');
  out.push('**Cloud service customer**', '', ...c.guidance.customer.map((g) => `- ${escapeMd(g)}`), '');
  out.push('**Cloud service provider**', '', ...c.guidance.provider.map((g) => `- ${escapeMd(g)}`), '');
  out.push(`The standard's own guidance for this control addresses ${partyList(c.guidanceFor)}.`, '');
  const mapping = c.iso27002_2022.map(escapeMd).join(', ');
  out.push(
    c.iso27002_2022Official
      ? `**ISO/IEC 27002:2022:** ${mapping} (official correspondence).`
      : `**ISO/IEC 27002:2022:** ${mapping} (unofficial: our inference, no official mapping exists for this control).`,
    '',
  );
  out.push('**Responsibility by service model** (default owner)', '');
  out.push(`| ${SERVICE_MODELS.join(' | ')} |`, `|${SERVICE_MODELS.map(() => '---').join('|')}|`, `| ${SERVICE_MODELS.map((m) => c.responsibility[m]).join(' | ')} |`, '');
  out.push(`Basis: ${escapeMd(c.responsibility.basis)}`, '');
  out.push(`**Evidence in infrastructure code:** ${c.iacRelevant ? STRENGTH[c.iacStrength] : STRENGTH.none}${c.iacNote ? ` (${escapeMd(c.iacNote)})` : ''}.`, '');
  if (rules.length === 0) {
    out.push('**Rules:** none. No rule evidences this control, so it is tracked in the shared-responsibility checklist.', '');
  } else {
    out.push(`**Rules** (${rules.length})`, '', '| Rule | Checks that | Severity |', '|---|---|---|');
    for (const r of rules) out.push(`| \`${r.id}\` | ${escapeMd(r.title)} | ${r.severity} |`);
    out.push('');
  }
  return out.join('\n');
}

/** The whole catalog as one Markdown document, in catalog order. */
export function catalogMarkdown(catalog: Catalog, rules: readonly RuleRef[]): string {
  const index = rulesByControl(rules);
  const byId = new Map(rules.map((r) => [r.id, r]));
  const records = new Map(catalog.controls.map((c) => [c.id, c]));
  const evidenced = catalog.controls.filter((c) => (index.get(c.id)?.length ?? 0) > 0).length;
  const out: string[] = [
    `# ${catalog.standard}:${catalog.edition} controls`,
    '',
    `Catalog data ${catalog.dataVersion}: ${catalog.controls.length} controls in ${catalog.groups.length} groups; ${rules.length} rules evidence ${evidenced} of them.`,
    '',
    'Control ids and short titles come from the standard.',
    'Summaries and guidance are our own practical advice, not the text of the standard.',
    'Responsibility by service model is a default inferred from the usual shared-responsibility layering.',
    'Controls without rules are process controls: track them in the shared-responsibility checklist.',
    '',
  ];
  for (const g of catalog.groups) {
    out.push(`## ${escapeMd(g.id === 'CLD' ? g.title : `${g.id} ${g.title}`)}`, '');
    for (const id of g.controls) {
      const c = records.get(id);
      if (!c) continue;
      const rs = (index.get(id) ?? []).map((r) => byId.get(r)).filter((r): r is RuleRef => r !== undefined);
      out.push(controlMarkdown(c, rs));
    }
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}
