// The iso27017/* requests: findings, rules and controls for the client's views and commands.

import { ruleDocsHref } from './diagnostics';
import type { Finding, RuleMeta, Severity } from '../engine/types';
import {
  MAX_CONTROL_FINDINGS,
  type ControlGroupInfo,
  type ControlInfo,
  type ControlSummary,
  type FindingInfo,
  type GetControlParams,
  type GetControlResult,
  type ListControlsParams,
  type ListControlsResult,
  type ListFindingsParams,
  type ListFindingsResult,
  type ListRulesParams,
  type ListRulesResult,
  type RuleInfo,
} from '../protocol';
import { firstSentence, type CatalogIndex } from './catalog';
import { worse } from './catalogFindings';
import { findingToInfo } from './diagnostics';
import type { Workspace } from './workspace';

/** Orders findings by URI, then position, then rule id. */
function compareFindingInfos(a: FindingInfo, b: FindingInfo): number {
  return (
    (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0) ||
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)
  );
}

export function listFindings(ws: Workspace, params: ListFindingsParams | undefined): ListFindingsResult {
  const all = ws.allFindings().filter((x) => !params?.uri || x.uri === params.uri);
  const findings = all.map(({ uri, finding }) => ({ ...findingToInfo(finding, (p) => ws.uriFor(p)), uri }));
  findings.sort(compareFindingInfos);
  return { findings };
}

/** The source of the findings the catalog requests count: the workspace (absent before `initialize`). */
export interface FindingSource {
  allFindings(): Array<{ uri: string; finding: Finding }>;
  uriFor(path: string): string;
}

/** Findings per control and per rule, with the worst severity per control. */
function countFindings(findings: ReadonlyArray<{ finding: Finding }>): {
  byControl: Map<string, { count: number; worst: Severity | undefined }>;
  byRule: Map<string, number>;
} {
  const byControl = new Map<string, { count: number; worst: Severity | undefined }>();
  const byRule = new Map<string, number>();
  for (const { finding } of findings) {
    byRule.set(finding.ruleId, (byRule.get(finding.ruleId) ?? 0) + 1);
    for (const id of new Set(finding.controls)) {
      const e = byControl.get(id) ?? { count: 0, worst: undefined };
      e.count++;
      e.worst = worse(e.worst, finding.severity);
      byControl.set(id, e);
    }
  }
  return { byControl, byRule };
}

/** `iso27017/listControls`: the groups and controls of the catalog with rules and finding counts. */
export function listControls(catalog: CatalogIndex, ws: FindingSource | undefined, params: ListControlsParams | undefined): ListControlsResult {
  const all = ws?.allFindings() ?? [];
  const { byControl, byRule } = countFindings(all);
  const cat = catalog.catalog;
  const result: ListControlsResult = { loaded: cat !== undefined, groups: [], ruleFindings: Object.fromEntries([...byRule].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))), findings: all.length };
  if (!cat) return result;
  result.standard = cat.standard;
  result.edition = cat.edition;
  result.dataVersion = cat.dataVersion;
  result.groups = cat.groups.map(
    (g): ControlGroupInfo => ({
      id: g.id,
      title: g.title,
      controls: g.controls.flatMap((id): ControlSummary[] => {
        const c = catalog.control(id);
        if (!c) return [];
        const counted = byControl.get(id);
        const s: ControlSummary = {
          id: c.id,
          title: c.title,
          summary: firstSentence(c.summary),
          kind: c.kind,
          iacRelevant: c.iacRelevant,
          iacStrength: c.iacStrength,
          keywords: [...c.keywords],
          rules: catalog.rulesFor(c.id),
          findings: counted?.count ?? 0,
        };
        if (counted?.worst) s.worst = counted.worst;
        return [s];
      }),
    }),
  );
  if (params?.includeIso27018 === true) {
    result.iso27018 = {
      edition: cat.iso27018.edition,
      areas: cat.iso27018.areas.map((a) => ({
        id: a.id,
        title: a.title,
        summary: a.summary,
        controls: a.controls.map((c) => (c.iacHint ? { id: c.id, title: c.title, summary: c.summary, iacHint: c.iacHint } : { id: c.id, title: c.title, summary: c.summary })),
      })),
    };
  }
  return result;
}

export function ruleInfo(meta: RuleMeta, catalog: CatalogIndex): RuleInfo {
  const info: RuleInfo = {
    id: meta.id,
    platform: meta.platform,
    title: meta.title,
    defaultSeverity: meta.severity,
    controls: meta.controls.map((id) => {
      const title = catalog.control(id)?.title;
      return title ? { id, title } : { id };
    }),
    fixable: meta.fixable,
    summary: meta.docs.summary,
    messages: { ...meta.messages },
    equivalents: { ...meta.equivalents },
    docsUrl: ruleDocsHref(meta.id),
  };
  if (meta.provider) info.provider = meta.provider;
  if (meta.resourceTypes) info.resourceTypes = [...meta.resourceTypes];
  return info;
}

export function listRules(metas: readonly RuleMeta[], catalog: CatalogIndex, params: ListRulesParams | undefined): ListRulesResult {
  const rules = metas
    .filter((m) => !params?.id || m.id === params.id)
    .map((m) => ruleInfo(m, catalog))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { rules };
}

/**
 * `iso27017/getControl`: one control with everything its page shows. Without `ws` and `metas` (older callers)
 * the workspace-dependent fields are left out.
 */
export function getControl(
  catalog: CatalogIndex,
  params: GetControlParams | undefined,
  ws?: FindingSource,
  metas?: ReadonlyMap<string, RuleMeta>,
): GetControlResult {
  const id = params?.id;
  if (typeof id !== 'string') return {};
  const c = catalog.control(id);
  if (!c) return {};
  const rules = catalog.rulesFor(c.id);
  const control: ControlInfo = {
    id: c.id,
    title: c.title,
    summary: c.summary,
    guidance: { customer: [...c.guidance.customer], provider: [...c.guidance.provider] },
    rules,
    kind: c.kind,
    objective: { ...c.objective },
    guidanceFor: [...c.guidanceFor],
    iso27002_2022: [...c.iso27002_2022],
    iso27002_2022Official: c.iso27002_2022Official,
    responsibility: { ...c.responsibility },
    iacRelevant: c.iacRelevant,
    iacStrength: c.iacStrength,
    keywords: [...c.keywords],
  };
  const group = catalog.groupOf(c.id);
  if (group) control.group = { id: group.id, title: group.title };
  if (c.iacNote) control.iacNote = c.iacNote;
  if (ws) {
    const mine = ws.allFindings().filter((x) => x.finding.controls.includes(c.id));
    const byRule = new Map<string, number>();
    for (const { finding } of mine) byRule.set(finding.ruleId, (byRule.get(finding.ruleId) ?? 0) + 1);
    const infos = mine.map(({ uri, finding }) => ({ ...findingToInfo(finding, (p) => ws.uriFor(p)), uri })).sort(compareFindingInfos);
    control.findings = infos.slice(0, MAX_CONTROL_FINDINGS);
    control.findingCount = infos.length;
    if (metas) {
      control.ruleStatus = rules.map((r) => {
        const m = metas.get(r);
        return { id: r, title: m?.title ?? r, severity: m?.severity ?? 'warning', fixable: m?.fixable ?? false, findings: byRule.get(r) ?? 0 };
      });
    }
  }
  return { control };
}
