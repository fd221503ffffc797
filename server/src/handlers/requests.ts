// The iso27017/* requests: findings, rules and controls for the client's views and commands.

import type { RuleMeta } from '../engine/types';
import {
  ruleDocsUrl,
  type GetControlParams,
  type GetControlResult,
  type ListFindingsParams,
  type ListFindingsResult,
  type ListRulesParams,
  type ListRulesResult,
  type RuleInfo,
} from '../protocol';
import type { CatalogIndex } from './catalog';
import { findingToInfo } from './diagnostics';
import type { Workspace } from './workspace';

export function listFindings(ws: Workspace, params: ListFindingsParams | undefined): ListFindingsResult {
  const all = ws.allFindings().filter((x) => !params?.uri || x.uri === params.uri);
  const findings = all.map(({ uri, finding }) => ({ ...findingToInfo(finding, (p) => ws.uriFor(p)), uri }));
  findings.sort(
    (a, b) =>
      (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0) ||
      a.range.start.line - b.range.start.line ||
      a.range.start.character - b.range.start.character ||
      (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0),
  );
  return { findings };
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
    docsUrl: ruleDocsUrl(meta.id),
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

export function getControl(catalog: CatalogIndex, params: GetControlParams | undefined): GetControlResult {
  const id = params?.id;
  if (typeof id !== 'string') return {};
  const c = catalog.control(id);
  if (!c) return {};
  return {
    control: {
      id: c.id,
      title: c.title,
      summary: c.summary,
      guidance: { customer: [...c.guidance.customer], provider: [...c.guidance.provider] },
      rules: catalog.rulesFor(c.id),
    },
  };
}
