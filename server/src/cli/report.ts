// Renders scan results as text, JSON or SARIF 2.1.0. Pure: no I/O.

import type { Catalog } from '../catalog/catalog';
import type { RuleMeta } from '../engine/types';
import type { FileError, Finding, Fix, Severity, SuppressedFinding } from '../engine/types';

export const TOOL_NAME = 'iso27017';

export interface ScanReport {
  findings: Finding[];
  errors: FileError[];
  /** Number of files analysed. */
  files: number;
  /** Absolute root that relative paths are reported against. */
  root: string;
  /** Findings silenced by suppression comments (listed, not counted as findings). */
  suppressed?: SuppressedFinding[];
}

export function relativePath(root: string, file: string): string {
  const r = root.endsWith('/') ? root : `${root}/`;
  return file.startsWith(r) ? file.slice(r.length) : file;
}

function counts(findings: Finding[]): Record<Severity, number> {
  const c: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const f of findings) c[f.severity]++;
  return c;
}

/** ESLint-style text: findings grouped by file, then a summary line. */
export function formatText(report: ScanReport, color = false): string {
  const paint = (code: string, s: string): string => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const sevColor: Record<Severity, string> = { error: '31', warning: '33', info: '36', hint: '90' };
  const out: string[] = [];
  const byFile = new Map<string, Finding[]>();
  for (const f of report.findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  for (const [file, fs] of byFile) {
    out.push(paint('4', relativePath(report.root, file)));
    for (const f of fs) {
      const pos = `${f.range.start.line + 1}:${f.range.start.character + 1}`;
      out.push(`  ${pos.padEnd(8)} ${paint(sevColor[f.severity], f.severity.padEnd(7))} ${f.message}  ${paint('90', f.ruleId)}`);
    }
    out.push('');
  }
  if (report.errors.length > 0) {
    out.push(paint('4', 'Files with problems'));
    for (const e of report.errors) {
      const pos = e.range ? `:${e.range.start.line + 1}:${e.range.start.character + 1}` : '';
      out.push(`  ${relativePath(report.root, e.file)}${pos}  ${e.message}`);
    }
    out.push('');
  }
  const c = counts(report.findings);
  const suppressed = report.suppressed?.length ?? 0;
  out.push(
    `${report.findings.length} finding${report.findings.length === 1 ? '' : 's'} (${c.error} error, ${c.warning} warning, ${c.info} info) in ${report.files} file${report.files === 1 ? '' : 's'}${report.errors.length ? `, ${report.errors.length} file problem${report.errors.length === 1 ? '' : 's'}` : ''}${suppressed ? `, ${suppressed} suppressed` : ''}`,
  );
  return `${out.join('\n')}\n`;
}

export function formatJson(report: ScanReport, version: string): string {
  const c = counts(report.findings);
  const fixJson = (x: Fix) => ({
    title: x.title,
    isPreferred: x.isPreferred === true,
    placeholder: x.placeholder === true,
    edits: x.edits.map((e) => ({ file: relativePath(report.root, e.file), range: e.range, newText: e.newText })),
  });
  const findingJson = (f: Finding) => ({
    ruleId: f.ruleId,
    severity: f.severity,
    message: f.message,
    file: relativePath(report.root, f.file),
    range: f.range,
    resource: f.resource ?? null,
    controls: f.controls,
    equivalents: f.equivalents,
    fixable: f.fixable,
    related: f.related.map((r) => ({ ...r, file: relativePath(report.root, r.file) })),
    fixes: f.fixes.map(fixJson),
  });
  const suppressed = report.suppressed ?? [];
  return `${JSON.stringify(
    {
      tool: TOOL_NAME,
      version,
      summary: { files: report.files, findings: report.findings.length, ...c, errors: report.errors.length, suppressed: suppressed.length },
      findings: report.findings.map(findingJson),
      suppressed: suppressed.map(({ finding, suppression: s }) => ({
        ...findingJson(finding),
        suppression: {
          syntax: s.syntax,
          scope: s.scope,
          ids: s.ids,
          reason: s.reason ?? null,
          expires: s.expires ?? null,
          file: relativePath(report.root, s.file),
          range: s.range,
          text: s.text,
        },
      })),
      errors: report.errors.map((e) => ({ ...e, file: relativePath(report.root, e.file) })),
    },
    null,
    2,
  )}\n`;
}

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

function sarifRegion(r: Finding['range']) {
  return { startLine: r.start.line + 1, startColumn: r.start.character + 1, endLine: r.end.line + 1, endColumn: r.end.character + 1 };
}

function encodeUri(p: string): string {
  return p.split('/').map(encodeURIComponent).join('/');
}

/** The help of a rule in SARIF: what it checks, why, its controls and the equivalent checks, as text and Markdown. */
function ruleHelp(r: RuleMeta, controls: ReadonlyMap<string, { title: string }>): { text: string; markdown: string } {
  const control = (id: string): string => (controls.get(id) ? `${id} ${controls.get(id)!.title}` : id);
  const eq = [
    ...(r.equivalents.checkov?.length ? [`Checkov ${r.equivalents.checkov.join(', ')}`] : []),
    ...(r.equivalents.trivy?.length ? [`Trivy/tfsec ${r.equivalents.trivy.filter((x) => x.startsWith('AVD-')).join(', ') || r.equivalents.trivy[0]}`] : []),
    ...(r.equivalents.kics?.length ? [`KICS ${r.equivalents.kics.join(', ')}`] : []),
  ];
  const fix = r.fixable ? 'A deterministic fix is offered (quick fix in the editor, `iso27017 fix` on the command line).' : '';
  const suppress = `To accept a finding, put \`# iso27017:ignore ${r.id} -- <reason>\` above the resource.`;
  const text = [
    `${r.title}.`,
    r.docs.summary,
    `ISO/IEC 27017 controls: ${r.controls.map(control).join('; ')}.`,
    ...(eq.length ? [`Same check as: ${eq.join('; ')}.`] : []),
    ...(fix ? [fix] : []),
    suppress,
  ].join('\n\n');
  const markdown = [
    `**${r.title}**`,
    r.docs.summary,
    `**ISO/IEC 27017 controls:** ${r.controls.map(control).join('; ')}`,
    ...(eq.length ? [`**Same check as:** ${eq.join('; ')}`] : []),
    ...(fix ? [fix] : []),
    suppress,
  ].join('\n\n');
  return { text, markdown };
}

/** SARIF 2.1.0 with the ISO 27017 controls as a taxonomy and each rule related to its controls. */
export function formatSarif(report: ScanReport, rules: readonly RuleMeta[], catalog: Catalog | undefined, version: string): string {
  const controlIds = [...new Set(rules.flatMap((r) => r.controls))].sort();
  const controlTitle = new Map((catalog?.controls ?? []).map((c) => [c.id, c]));
  const taxa = controlIds.map((id) => ({
    id,
    name: controlTitle.get(id)?.title ?? id,
    ...(controlTitle.get(id)?.summary ? { shortDescription: { text: controlTitle.get(id)!.summary } } : {}),
  }));
  const taxonIndex = new Map(controlIds.map((id, i) => [id, i]));
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const toRelative = (p: string): { uri: string; uriBaseId?: string } => {
    const rel = relativePath(report.root, p);
    return rel.startsWith('/') ? { uri: `file://${encodeUri(rel)}` } : { uri: encodeUri(rel), uriBaseId: '%SRCROOT%' };
  };
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            version,
            rules: rules.map((r) => ({
              id: r.id,
              name: r.id.split('/').pop()!.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase()),
              shortDescription: { text: r.title },
              fullDescription: { text: r.docs.summary },
              // Shown with each alert by code-scanning viewers (no help URI: the rule pages ship with the extension).
              help: ruleHelp(r, controlTitle),
              defaultConfiguration: { level: LEVEL[r.severity] },
              properties: { tags: ['security', r.platform, ...(r.provider ? [r.provider] : [])], controls: r.controls, equivalents: r.equivalents },
              relationships: r.controls.map((c) => ({
                target: { id: c, index: taxonIndex.get(c)!, toolComponent: { name: 'ISO 27017', index: 0 } },
                kinds: ['relevant'],
              })),
            })),
          },
        },
        taxonomies: [
          {
            name: 'ISO 27017',
            version: '2015',
            organization: 'ISO/IEC',
            shortDescription: { text: 'ISO/IEC 27017:2015 controls for cloud services (ids and short titles only)' },
            isComprehensive: false,
            taxa,
          },
        ],
        originalUriBaseIds: { '%SRCROOT%': { uri: `file://${encodeUri(report.root.endsWith('/') ? report.root : `${report.root}/`)}` } },
        results: [...report.findings.map((f) => ({ f, s: undefined as SuppressedFinding['suppression'] | undefined })), ...(report.suppressed ?? []).map((x) => ({ f: x.finding, s: x.suppression }))].map(({ f, s }) => ({
          ruleId: f.ruleId,
          ...(ruleIndex.has(f.ruleId) ? { ruleIndex: ruleIndex.get(f.ruleId)! } : {}),
          level: LEVEL[f.severity],
          message: { text: f.message },
          locations: [{ physicalLocation: { artifactLocation: toRelative(f.file), region: sarifRegion(f.range) } }],
          ...(f.related.length
            ? { relatedLocations: f.related.map((r, i) => ({ id: i + 1, message: { text: r.message }, physicalLocation: { artifactLocation: toRelative(r.file), region: sarifRegion(r.range) } })) }
            : {}),
          taxa: f.controls.filter((c) => taxonIndex.has(c)).map((c) => ({ id: c, index: taxonIndex.get(c)!, toolComponent: { name: 'ISO 27017', index: 0 } })),
          partialFingerprints: { 'iso27017/v1': `${f.ruleId}:${relativePath(report.root, f.file)}:${f.resource?.address ?? ''}` },
          properties: { controls: f.controls, resource: f.resource ?? null, fixable: f.fixable },
          // A suppressed finding is still listed, marked as suppressed in source (as code scanning expects).
          ...(s ? { suppressions: [{ kind: 'inSource', status: 'accepted', ...(s.reason ? { justification: s.reason } : {}) }] } : {}),
        })),
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: report.errors.map((e) => ({
              level: 'warning',
              message: { text: e.message },
              locations: [{ physicalLocation: { artifactLocation: toRelative(e.file), ...(e.range ? { region: sarifRegion(e.range) } : {}) } }],
            })),
          },
        ],
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
