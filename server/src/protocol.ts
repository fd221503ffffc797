// Mirrors docs/protocol.md; the only server module the client may import.
// Keep this file free of runtime dependencies other than `vscode-jsonrpc` (a direct dependency), so that the
// client bundle stays small. After any change, update docs/protocol.md and the hash in its header.

import { NotificationType, RequestType } from 'vscode-jsonrpc';

/** How a user configures one rule: a severity, or `off`. Sent from the client to the server as part of {@link Iso27017Settings}. */
export type RuleSeverityOrOff = 'off' | 'error' | 'warning' | 'info' | 'hint';

/** The values a rule setting may take, in the order the settings UI lists them. */
export const RULE_SETTING_VALUES: readonly RuleSeverityOrOff[] = ['off', 'error', 'warning', 'info', 'hint'];

/**
 * The `iso27017` configuration section, per workspace folder.
 * Sent from the client to the server as the answer to `workspace/configuration` (section `iso27017`);
 * the client normalises it first, and the server falls back to {@link DEFAULT_SETTINGS} for anything missing.
 */
export interface Iso27017Settings {
  /** When false, the folder is not analysed and its diagnostics are cleared. */
  enable: boolean;
  /** Per-rule severity or `off`, by rule id (e.g. `terraform/s3-versioning-disabled`). */
  rules: Record<string, RuleSeverityOrOff>;
  /** Globs, relative to the workspace folder, of files and folders never analysed (picomatch syntax). */
  exclude: string[];
  /** Governance of suppression comments; absent means: a reason is required, nothing is forbidden. */
  suppressions?: SuppressionSettings;
}

/** Which suppressions count. Sent from the client to the server as part of {@link Iso27017Settings}. */
export interface SuppressionSettings {
  /** Findings of rules mapped to these controls, or at these severities, cannot be suppressed. */
  forbid?: { controls?: string[]; severities?: Array<'error' | 'warning' | 'info' | 'hint'> };
  /** `iso27017:ignore` comments must give a reason after `--` (default true). */
  requireReason?: boolean;
  /** Honour the suppression comments of Checkov, tfsec, Trivy and KICS for the same checks (default true). */
  honourOtherTools?: boolean;
}

/** The settings the server uses when the client sends none. */
export const DEFAULT_SETTINGS: Readonly<Iso27017Settings> = Object.freeze({ enable: true, rules: {}, exclude: [] });

/** The configuration section the server pulls with `workspace/configuration`. */
export const CONFIGURATION_SECTION = 'iso27017';

/**
 * `initializationOptions` of the `initialize` request.
 * Sent from the client to the server once, when the server starts.
 */
export interface InitializationOptions {
  /** Absolute path of the merged control catalog (`dist/controls.json` inside the extension). The server never guesses it. */
  catalogPath?: string;
}

/**
 * What the client adds under `capabilities.experimental.iso27017` of the `initialize` request.
 * Sent from the client to the server; every flag is optional and defaults to false.
 */
export interface ClientExperimentalCapabilities {
  /** The client shows the `iso27017/status` notification. */
  status?: boolean;
  /** The client implements the `iso27017.catalog.reveal` and `iso27017.rule.show` commands used by code actions. */
  commands?: boolean;
  /** The client shows the catalog in a tree view and listens to `iso27017/findingsChanged`. */
  treeViews?: boolean;
  /** The client shows the shared-responsibility checklist and listens to `iso27017/checklistChanged`. */
  checklist?: boolean;
  /** The client shows the Suppressions view and listens to `iso27017/suppressionsChanged`. */
  suppressions?: boolean;
}

/**
 * What the server answers under `capabilities.experimental.iso27017` of the `initialize` result.
 * Sent from the server to the client; the client checks `version` before using any `iso27017/*` method.
 */
export interface ServerExperimentalCapabilities {
  /** Protocol version; bumped on incompatible changes. */
  version: 1;
}

/** The protocol version this file describes. */
export const PROTOCOL_VERSION = 1 as const;

/** Commands the server executes (`workspace/executeCommand`); advertised in `executeCommandProvider`. */
export const ServerCommands = {
  /** Re-reads every workspace folder from disk and re-analyses it. No arguments; resolves when the scan has finished. */
  rescan: 'iso27017.server.rescan',
} as const;

/** Commands the client implements and the server refers to in code actions. Sent from the server to the client inside `CodeAction.command`. */
export const ClientCommands = {
  /** Reveals one control in the Controls view and opens its control page. Arguments: `[controlId: string]`. */
  revealControl: 'iso27017.catalog.reveal',
  /** Shows a read-only page about one rule. Arguments: `[ruleId: string]`. */
  showRule: 'iso27017.rule.show',
  /**
   * Asks the user for a reason, then inserts a suppression comment above the resource: the client gets the
   * edit from {@link SuppressionEditRequest} and applies it. Arguments: `[SuppressCommandArgs]`.
   */
  suppress: 'iso27017.suppress',
  /**
   * Fixes every finding of one rule across the workspace, after the editor's refactor preview: the client gets
   * the edit from {@link WorkspaceFixesRequest} and applies it. Arguments: `[ruleId?: string]` (without one, the
   * client asks which rule with a quick pick).
   */
  fixRuleInWorkspace: 'iso27017.fixRuleInWorkspace',
} as const;

/** The stable documentation URL of a rule; used as `codeDescription.href` of every diagnostic. */
export const RULE_DOCS_BASE_URL = 'https://iso27017.dev/rules/';

/** The documentation URL of one rule, e.g. `https://iso27017.dev/rules/terraform/s3-versioning-disabled`. */
export function ruleDocsUrl(ruleId: string): string {
  return `${RULE_DOCS_BASE_URL}${ruleId}`;
}

/** `source` of every diagnostic the server publishes. */
export const DIAGNOSTIC_SOURCE = 'iso27017';

/** `code` of the diagnostic that marks the first syntax error of a file. */
export const SYNTAX_ERROR_CODE = 'iso27017/syntax';

/** `code` of a diagnostic about a file that could not be analysed for another reason. */
export const FILE_ERROR_CODE = 'iso27017/file-error';

/**
 * `data` of a diagnostic produced by a rule, so that code actions need no server-side lookup.
 * Sent from the server to the client inside `textDocument/publishDiagnostics`, and back in `textDocument/codeAction`.
 */
export interface DiagnosticData {
  ruleId: string;
  /** ISO 27017 control ids the rule evidences. */
  controls: string[];
  /** Whether the rule offers a deterministic fix. */
  fixable: boolean;
}

/** A zero-based position (UTF-16 code units), as in LSP. */
export interface WirePosition {
  line: number;
  character: number;
}

/** A zero-based range with an exclusive end, as in LSP. */
export interface WireRange {
  start: WirePosition;
  end: WirePosition;
}

/** One finding as the protocol carries it. Sent from the server to the client in {@link ListFindingsResult}. */
export interface FindingInfo {
  /** `file:` URI of the file the finding is in. */
  uri: string;
  ruleId: string;
  messageId: string;
  severity: 'error' | 'warning' | 'info' | 'hint';
  /** Rendered message, ending with the controls. */
  message: string;
  range: WireRange;
  resource?: { type: string; name: string; address: string };
  controls: string[];
  fixable: boolean;
  related: Array<{ uri: string; range: WireRange; message: string }>;
}

/** The two states of the server's analysis. */
export type AnalysisState = 'scanning' | 'idle';

/** Params of {@link StatusNotification}. */
export interface StatusParams {
  /** `scanning` while a workspace scan runs; `idle` otherwise. */
  state: AnalysisState;
  /** Analysable files currently held across all workspace folders. */
  files: number;
  /** Findings currently published across all workspace folders. */
  findings: number;
  /** Wall-clock time of the last analysis, in milliseconds (0 before the first). */
  lastAnalysisMs: number;
  /** Problems that have no place in a file (unreadable catalog, a file too large, a rule that failed), newest last; at most 20. */
  problems: string[];
  /** False when `iso27017.enable` is false for every workspace folder. */
  enabled: boolean;
  /** The loaded catalog: edition and number of controls; absent when it could not be loaded. */
  catalog?: { controls: number; dataVersion?: string };
}

/**
 * `iso27017/status`: the analysis state changed (a scan started or ended, an analysis finished).
 * Sent from the server to the client, as a notification.
 */
export namespace StatusNotification {
  export const method = 'iso27017/status' as const;
  export const type = new NotificationType<StatusParams>(method);
}

/** Params of {@link ListFindingsRequest}. */
export interface ListFindingsParams {
  /** Only the findings of this file URI; all files when absent. */
  uri?: string;
}

/** Result of {@link ListFindingsRequest}. */
export interface ListFindingsResult {
  /** Sorted by URI, then by position. */
  findings: FindingInfo[];
}

/**
 * `iso27017/listFindings`: every current finding (the ones published as diagnostics), for views and reports.
 * Sent from the client to the server, as a request.
 */
export namespace ListFindingsRequest {
  export const method = 'iso27017/listFindings' as const;
  export const type = new RequestType<ListFindingsParams, ListFindingsResult, void>(method);
}

/** The code action kind of the server's fix-all (every safe fix of one file), for `editor.codeActionsOnSave`. */
export const FIX_ALL_CODE_ACTION_KIND = 'source.fixAll.iso27017';

/** A text edit as LSP carries it. */
export interface WireTextEdit {
  range: WireRange;
  newText: string;
}

/** An LSP `WorkspaceEdit` with `changes` only (URI → edits). */
export interface WireWorkspaceEdit {
  changes: Record<string, WireTextEdit[]>;
}

/** The argument of the {@link ClientCommands.suppress} command. Sent from the server to the client inside `CodeAction.command`. */
export interface SuppressCommandArgs {
  /** The document of the finding. */
  uri: string;
  ruleId: string;
  /** The finding's range. */
  range: WireRange;
}

/** Params of {@link SuppressionEditRequest}. */
export interface SuppressionEditParams extends SuppressCommandArgs {
  /** Why the finding is accepted; required (a suppression without a reason does not count). */
  reason: string;
  /** Optional expiry, `YYYY-MM-DD`. */
  until?: string;
}

/** Result of {@link SuppressionEditRequest}. */
export interface SuppressionEditResult {
  /** The edit to apply; absent when it cannot be made (then `error` says why). */
  edit?: WireWorkspaceEdit;
  error?: string;
}

/**
 * `iso27017/suppressionEdit`: the edit that inserts `# iso27017:ignore <ruleId> [until=…] -- <reason>` above the
 * resource holding a finding. The server does not apply it: the client applies it, so it goes through undo.
 * Sent from the client to the server, as a request.
 */
export namespace SuppressionEditRequest {
  export const method = 'iso27017/suppressionEdit' as const;
  export const type = new RequestType<SuppressionEditParams, SuppressionEditResult, void>(method);
}

/** A suppression comment as the protocol carries it. */
export interface SuppressionInfo {
  /** `iso27017`, or the rival syntax honoured through the rule's equivalents: `checkov`, `tfsec`, `trivy`, `kics`. */
  syntax: 'iso27017' | 'checkov' | 'tfsec' | 'trivy' | 'kics';
  /** What it covers. */
  scope: 'line' | 'block' | 'file';
  /** The ids as written in the comment. */
  ids: string[];
  reason?: string;
  /** `YYYY-MM-DD`. */
  expires?: string;
  /** Where the comment is. */
  uri: string;
  range: WireRange;
  /** The comment's text without its marker. */
  text: string;
}

/** A finding silenced by a suppression comment. Sent from the server to the client in {@link ListSuppressionsResult}. */
export interface SuppressedFindingInfo extends FindingInfo {
  suppression: SuppressionInfo;
}

/** A suppression whose expiry is this many days away or less is flagged as expiring soon. */
export const SUPPRESSION_EXPIRY_WARNING_DAYS = 30;

/** How a suppression's expiry stands on the server's today. Sent from the server to the client in {@link SuppressionCommentInfo}. */
export interface SuppressionExpiryInfo {
  /**
   * `expired`: the date is past (the comment no longer counts); `soon`: at most {@link SUPPRESSION_EXPIRY_WARNING_DAYS}
   * days away (the expiry day itself is the last day it counts); `ok`: later; `invalid`: not a date.
   */
  status: 'ok' | 'soon' | 'expired' | 'invalid';
  /** Days from today to the expiry date: 0 on the day itself, negative once expired; absent when `invalid`. */
  daysLeft?: number;
}

/**
 * One suppression comment of the workspace with the server's verdict, whether or not it silences anything.
 * Sent from the server to the client in {@link ListSuppressionsResult}.
 */
export interface SuppressionCommentInfo extends SuppressionInfo {
  /**
   * `valid`: it counts (it may silence nothing right now); `invalid`: it suppresses nothing because it names no
   * known rule, gives no reason, has expired, is misplaced or is forbidden by the settings (ours are also
   * findings of `iso27017/invalid-suppression`); `ignored`: another tool's comment the server does not honour
   * here (switched off, an attribute filter or another workspace, or no rule of ours is the same check).
   */
  status: 'valid' | 'invalid' | 'ignored';
  /** Why it is not valid: `code` is the messageId of `iso27017/invalid-suppression` or the reason it is ignored. */
  problem?: { code: string; message: string };
  /** The rule ids it applies to (see docs/protocol.md); empty for a KICS comment without ids that silences nothing. */
  rules: string[];
  /** Present when the comment has an expiry. */
  expiry?: SuppressionExpiryInfo;
  /** The findings it silences now, sorted by position. */
  findings: FindingInfo[];
}

/** Params of {@link ListSuppressionsRequest}. */
export interface ListSuppressionsParams {
  /** Only the suppressions of this file URI; all files when absent. */
  uri?: string;
}

/** Result of {@link ListSuppressionsRequest}. */
export interface ListSuppressionsResult {
  /** Sorted by URI, then by position. */
  suppressed: SuppressedFindingInfo[];
  /** Every suppression comment of the analysed Terraform files, valid or not, sorted by URI, then by position. */
  comments?: SuppressionCommentInfo[];
  /** The server's today (`YYYY-MM-DD`), which expiries were judged with. */
  today?: string;
}

/**
 * `iso27017/listSuppressions`: every finding currently silenced by a suppression comment, with the comment, and
 * every suppression comment with its verdict (valid, invalid or ignored, and why) and expiry status, for the
 * Suppressions view and reports.
 * Sent from the client to the server, as a request.
 */
export namespace ListSuppressionsRequest {
  export const method = 'iso27017/listSuppressions' as const;
  export const type = new RequestType<ListSuppressionsParams, ListSuppressionsResult, void>(method);
}

/** Params of {@link SuppressionsChangedNotification}. */
export interface SuppressionsChangedParams {
  /** The files whose suppression comments, verdicts or silenced findings changed (their URIs), sorted. */
  uris: string[];
}

/**
 * `iso27017/suppressionsChanged`: what `iso27017/listSuppressions` answers for some files changed (a comment was
 * added, edited or removed, or a new analysis or new settings changed its verdict or what it silences); the
 * Suppressions view re-queries. Sent only to clients that advertise `experimental.iso27017.suppressions`.
 * Sent from the server to the client, as a notification, at most once per event-loop turn.
 */
export namespace SuppressionsChangedNotification {
  export const method = 'iso27017/suppressionsChanged' as const;
  export const type = new NotificationType<SuppressionsChangedParams>(method);
}

/** One rule as the protocol carries it. Sent from the server to the client in {@link ListRulesResult}. */
export interface RuleInfo {
  id: string;
  platform: string;
  provider?: string;
  /** What good looks like, e.g. "S3 buckets have versioning enabled". */
  title: string;
  /** The rule's default severity. */
  defaultSeverity: 'error' | 'warning' | 'info' | 'hint';
  controls: Array<{ id: string; title?: string }>;
  fixable: boolean;
  /** The rationale, in our own words. */
  summary: string;
  /** Message templates by messageId. */
  messages: Record<string, string>;
  /** Ids of the same check in other tools. */
  equivalents: { checkov?: string[]; trivy?: string[]; kics?: string[] };
  resourceTypes?: string[];
  /** {@link ruleDocsUrl} of the rule. */
  docsUrl: string;
}

/** Params of {@link ListRulesRequest}. */
export interface ListRulesParams {
  /** Only the rule with this id. */
  id?: string;
}

/** Result of {@link ListRulesRequest}. */
export interface ListRulesResult {
  /** Sorted by id. */
  rules: RuleInfo[];
}

/**
 * `iso27017/listRules`: the metadata of every rule the server runs.
 * Sent from the client to the server, as a request.
 */
export namespace ListRulesRequest {
  export const method = 'iso27017/listRules' as const;
  export const type = new RequestType<ListRulesParams, ListRulesResult, void>(method);
}

/** Default owner of a control under one service model. */
export type ControlOwner = 'customer' | 'provider' | 'shared';

/** How one rule that evidences a control fares in the workspace. Sent from the server to the client in {@link ControlInfo}. */
export interface ControlRuleStatus {
  id: string;
  /** What good looks like, e.g. "S3 buckets have versioning enabled". */
  title: string;
  /** The rule's default severity. */
  severity: 'error' | 'warning' | 'info' | 'hint';
  fixable: boolean;
  /** Findings of this rule currently published (0 = passing, or turned off). */
  findings: number;
}

/** One control as the protocol carries it. Sent from the server to the client in {@link GetControlResult}. */
export interface ControlInfo {
  id: string;
  title: string;
  /** Our own paraphrase of the control (never ISO text). */
  summary: string;
  guidance: { customer: string[]; provider: string[] };
  /** Ids of the rules that evidence this control (the reverse index the server builds). */
  rules: string[];
  /** `cloud-specific` (the CLD controls) or `27002-extended`. */
  kind?: 'cloud-specific' | '27002-extended';
  /** The catalog group (clause) the control belongs to. */
  group?: { id: string; title: string };
  /** The control objective it sits under, e.g. `{ id: "12.3", title: "Backup" }`. */
  objective?: { id: string; title: string };
  /** Which parties the standard's own guidance addresses. */
  guidanceFor?: Array<'customer' | 'provider'>;
  /** Corresponding ISO/IEC 27002:2022 control ids. */
  iso27002_2022?: string[];
  /** False when that mapping is our inference (all CLD controls), true for the official correspondence. */
  iso27002_2022Official?: boolean;
  /** Default owner per service model, with the basis of that default. */
  responsibility?: { IaaS: ControlOwner; PaaS: ControlOwner; SaaS: ControlOwner; basis: string };
  /** Whether infrastructure code can evidence the control, and how well. */
  iacRelevant?: boolean;
  iacStrength?: 'strong' | 'medium' | 'weak' | 'none';
  iacNote?: string;
  keywords?: string[];
  /** The rules of {@link rules} with their titles and status in the workspace, in the same order. */
  ruleStatus?: ControlRuleStatus[];
  /** Findings currently published that name this control, sorted by URI and position; at most {@link MAX_CONTROL_FINDINGS}. */
  findings?: FindingInfo[];
  /** The number of such findings, which may exceed the length of {@link findings}. */
  findingCount?: number;
}

/** The most findings {@link GetControlRequest} returns for one control. */
export const MAX_CONTROL_FINDINGS = 500;

/** Params of {@link GetControlRequest}. */
export interface GetControlParams {
  id: string;
}

/** Result of {@link GetControlRequest}. */
export interface GetControlResult {
  /** Absent when the id is unknown or the catalog could not be loaded. */
  control?: ControlInfo;
}

/**
 * `iso27017/getControl`: one control of the loaded catalog, with the rules that evidence it.
 * Sent from the client to the server, as a request.
 */
export namespace GetControlRequest {
  export const method = 'iso27017/getControl' as const;
  export const type = new RequestType<GetControlParams, GetControlResult, void>(method);
}

/** One control in {@link ListControlsResult}: enough for a tree item and a quick pick. */
export interface ControlSummary {
  id: string;
  title: string;
  /** The first sentence of the control's summary, for one-line displays. */
  summary: string;
  kind: 'cloud-specific' | '27002-extended';
  iacRelevant: boolean;
  iacStrength: 'strong' | 'medium' | 'weak' | 'none';
  keywords: string[];
  /** Ids of the rules that evidence the control; empty for a process control (it lives in the checklist). */
  rules: string[];
  /** Findings currently published that name this control. */
  findings: number;
  /** The highest severity among those findings; absent without findings. */
  worst?: 'error' | 'warning' | 'info' | 'hint';
}

/** One clause group of the catalog, in catalog order. */
export interface ControlGroupInfo {
  /** Clause number (`5` … `18`) or `CLD`. */
  id: string;
  title: string;
  controls: ControlSummary[];
}

/** The ISO/IEC 27018 Annex A catalog (PII protection in public clouds), in our words. */
export interface Iso27018Info {
  edition: string;
  areas: Array<{
    /** e.g. `A.11`. */
    id: string;
    title: string;
    summary: string;
    /** Empty when the area adds no control. */
    controls: Array<{ id: string; title: string; summary: string; iacHint?: string }>;
  }>;
}

/** Params of {@link ListControlsRequest}. */
export interface ListControlsParams {
  /** Also return the ISO/IEC 27018 catalog (the client's `iso27017.catalogs.iso27018` setting). */
  includeIso27018?: boolean;
}

/** Result of {@link ListControlsRequest}. */
export interface ListControlsResult {
  /** False when no catalog is loaded; `groups` is then empty. */
  loaded: boolean;
  /** `ISO/IEC 27017`. */
  standard?: string;
  edition?: string;
  dataVersion?: string;
  groups: ControlGroupInfo[];
  /** Findings currently published per rule id (rules without findings are absent). */
  ruleFindings: Record<string, number>;
  /** All findings currently published. */
  findings: number;
  /** Present when asked for and loaded. */
  iso27018?: Iso27018Info;
}

/**
 * `iso27017/listControls`: the catalog's groups and controls, with the rules that evidence each control and
 * the number of findings that name it, for the Controls view and the control quick pick.
 * Sent from the client to the server, as a request.
 */
export namespace ListControlsRequest {
  export const method = 'iso27017/listControls' as const;
  export const type = new RequestType<ListControlsParams, ListControlsResult, void>(method);
}

/** Params of {@link FindingsChangedNotification}. */
export interface FindingsChangedParams {
  /** The files whose findings changed (their published URIs), sorted. */
  uris: string[];
  /** All findings currently published, after the change. */
  findings: number;
}

/**
 * `iso27017/findingsChanged`: the published findings of some files changed (an analysis or a scan found,
 * lost or moved findings); views re-query `iso27017/listControls` or `iso27017/listFindings`.
 * Sent from the server to the client, as a notification, at most once per analysis and never when nothing changed.
 */
export namespace FindingsChangedNotification {
  export const method = 'iso27017/findingsChanged' as const;
  export const type = new NotificationType<FindingsChangedParams>(method);
}

// ---- The shared-responsibility checklist (`.iso27017/checklist.json`, see docs/checklist.md) ----

/** Progress of one control in the checklist. */
export type ChecklistItemStatus = 'todo' | 'in-progress' | 'done';

/** A cloud service model. */
export type ChecklistServiceModel = 'IaaS' | 'PaaS' | 'SaaS';

/** A piece of manual evidence: a file of the workspace folder (relative path), a URL or a ticket id. */
export interface ChecklistEvidenceRef {
  kind: 'file' | 'url' | 'ticket';
  ref: string;
  note?: string;
}

/** A cloud service in use, as the checklist records it (or as the server detected it). */
export interface ChecklistServiceInfo {
  name: string;
  provider: string;
  model: ChecklistServiceModel;
  /** Resource types it was detected from. */
  detectedFrom?: string[];
}

/** One problem of a checklist file, at its exact place. Sent from the server to the client in {@link ChecklistFolderInfo}. */
export interface ChecklistProblemInfo {
  severity: 'error' | 'warning' | 'info';
  /** `syntax`, `duplicate-key`, `schema`, `justification-required`, `unknown-control`, `catalog-version`, `missing-controls`. */
  code: string;
  message: string;
  /** JSON Pointer of the value concerned; `''` for the whole file. */
  pointer: string;
  range: WireRange;
  controlId?: string;
}

/** What one rule says about a control: its open findings and where they are. */
export interface ChecklistRuleEvidence {
  ruleId: string;
  title?: string;
  /** Open (published, not suppressed) findings of the rule in the folder. */
  findings: number;
  /** Where they are, sorted; at most {@link MAX_CHECKLIST_EVIDENCE_LOCATIONS}. */
  locations: Array<{ uri: string; range: WireRange; resource?: string }>;
}

/** The most finding locations {@link ChecklistRuleEvidence} carries per rule. */
export const MAX_CHECKLIST_EVIDENCE_LOCATIONS = 50;

/**
 * One control as the checklist sees it: the file's item, or the catalog defaults when the file lacks it.
 * Sent from the server to the client in {@link ChecklistFolderInfo}.
 */
export interface ChecklistRowInfo {
  controlId: string;
  /** Absent for an id the catalog does not know. */
  title?: string;
  /** The catalog group (clause); absent for an id the catalog does not know. */
  group?: { id: string; title: string };
  /** False for an id the catalog does not know (kept in the file, reported as a warning). */
  known: boolean;
  /** `checklist`: the file has the item; `default`: it does not, so the catalog defaults apply. */
  source: 'checklist' | 'default';
  /** Who carries the control in this folder. */
  responsibility: ControlOwner;
  /** The catalog default for the checklist's service models, when known. */
  defaultResponsibility?: ControlOwner;
  customerDoes?: string;
  providerDoes?: string;
  applicable: boolean;
  justification?: string;
  status: ChecklistItemStatus;
  /** A person or team. */
  owner?: string;
  notes: string[];
  evidence: ChecklistEvidenceRef[];
  /** `YYYY-MM-DD`. */
  lastReviewed?: string;
  /** Automatic evidence: every rule that evidences the control, sorted by id (rules turned off are left out). */
  automatic: ChecklistRuleEvidence[];
  /** Open findings over all of {@link automatic}. */
  openFindings: number;
  /** True when the control is marked done (and applicable) while its rules have open findings. */
  conflict: boolean;
  /** The item's key in the checklist file, when the file has the item. */
  keyRange?: WireRange;
}

/** Controls by status. `total` counts applicable controls; `notApplicable` the others. */
export interface ChecklistCounts {
  total: number;
  todo: number;
  inProgress: number;
  done: number;
  notApplicable: number;
}

/** A control marked done whose rules have open findings. */
export interface ChecklistConflictInfo {
  controlId: string;
  openFindings: number;
  /** Ids of the rules with open findings. */
  rules: string[];
  message: string;
  /** The item's key in the checklist file. */
  range?: WireRange;
}

/**
 * The checklist of one workspace folder. `missing`: there is no file; `invalid`: the file has errors (see
 * `problems`; it is shown and edited only once they are fixed); `ready`: it reads cleanly.
 */
export interface ChecklistFolderInfo {
  /** The workspace folder's URI. */
  folder: string;
  /** The workspace folder's name. */
  name: string;
  /** The checklist file's URI (`<folder>/.iso27017/checklist.json`), whether or not it exists. */
  uri: string;
  state: 'missing' | 'invalid' | 'ready';
  /** True when the text came from an open editor (it may be unsaved), false when from disk. */
  fromEditor: boolean;
  /** Every problem of the file, in text order (errors, warnings such as unknown control ids, and notes). */
  problems: ChecklistProblemInfo[];
  /** When `invalid`: the first error as one sentence with its line and column. */
  error?: string;
  /** When `ready`: every catalog control in catalog order, then the ids the catalog does not know; else empty. */
  rows: ChecklistRowInfo[];
  /** Progress over the catalog's controls (ids the catalog does not know are not counted). */
  progress: ChecklistCounts;
  byResponsibility: Record<ControlOwner, ChecklistCounts>;
  conflicts: ChecklistConflictInfo[];
  /** Ids in the file that the catalog does not know. */
  unknownControls: string[];
  providers: string[];
  models: ChecklistServiceModel[];
  services: ChecklistServiceInfo[];
  /** The catalog data version the file was created from. */
  catalogVersion?: string;
}

/** Params of {@link GetChecklistRequest}. */
export interface GetChecklistParams {
  /** Only this workspace folder (its URI); every folder when absent. */
  folder?: string;
}

/** Result of {@link GetChecklistRequest}. */
export interface GetChecklistResult {
  /** False when no catalog is loaded (rows then carry no titles or defaults). */
  loaded: boolean;
  /** The catalog's data version. */
  dataVersion?: string;
  /** One entry per workspace folder, in the order of the workspace. */
  folders: ChecklistFolderInfo[];
}

/**
 * `iso27017/getChecklist`: the checklist of each workspace folder, with progress, problems, automatic evidence
 * from the current findings and conflicts, for the Shared Responsibility view.
 * Sent from the client to the server, as a request.
 */
export namespace GetChecklistRequest {
  export const method = 'iso27017/getChecklist' as const;
  export const type = new RequestType<GetChecklistParams, GetChecklistResult, void>(method);
}

/**
 * Params of {@link SetChecklistItemRequest}: the control, and what to change (any combination; absent fields
 * are left as they are). The changes are made in this order: responsibility, applicability, status, owner,
 * note, evidence, removeEvidence, reviewed.
 */
export interface SetChecklistItemParams {
  /** The workspace folder's URI; may be left out when there is one folder. */
  folder?: string;
  controlId: string;
  status?: ChecklistItemStatus;
  responsibility?: ControlOwner;
  /** What the customer does for the control; `null` removes the text. */
  customerDoes?: string | null;
  /** What the provider does for the control; `null` removes the text. */
  providerDoes?: string | null;
  /** `false` requires a {@link justification} (here or already in the file). */
  applicable?: boolean;
  justification?: string;
  /** A person or team; `null` or blank removes it. */
  owner?: string | null;
  /** A note to append. */
  note?: string;
  /** Manual evidence to append (the same kind and ref twice is a no-op). */
  evidence?: ChecklistEvidenceRef;
  /** The index of a piece of manual evidence to remove. */
  removeEvidence?: number;
  /** Records a review: a date `YYYY-MM-DD`, or `true` for the server's today. */
  reviewed?: string | true;
}

/** Result of {@link SetChecklistItemRequest}. */
export interface SetChecklistItemResult {
  /** True when the editor applied the edit, or when nothing needed to change. */
  applied: boolean;
  /** True when the file's text changed. */
  changed: boolean;
  /** Why nothing was changed, as a sentence for the user (an invalid file names its first error with line and column). */
  error?: string;
  /** The file's errors, when they are the reason. */
  problems?: ChecklistProblemInfo[];
}

/**
 * `iso27017/setChecklistItem`: changes one control of a folder's checklist. The server computes the smallest
 * edit (comments, order, layout and unknown fields are kept) and sends it with `workspace/applyEdit`, versioned
 * against the open document, so that it goes through the editor: undo works and a dirty file is edited as it
 * is, not overwritten. The server answers after the client applied the edit. A file with errors is never
 * edited: the answer then names the first error.
 * Sent from the client to the server, as a request.
 */
export namespace SetChecklistItemRequest {
  export const method = 'iso27017/setChecklistItem' as const;
  export const type = new RequestType<SetChecklistItemParams, SetChecklistItemResult, void>(method);
}

/** Params of {@link CreateChecklistRequest}. */
export interface CreateChecklistParams {
  /** The workspace folder's URI; may be left out when there is one folder. */
  folder?: string;
  /** Providers to record; default: the detected ones. */
  providers?: string[];
  /** Service models to derive responsibilities for; default: the detected ones (all three when none). */
  models?: ChecklistServiceModel[];
  /** False or absent: only propose. True: create the file (never over an existing one). */
  create?: boolean;
}

/** Result of {@link CreateChecklistRequest}. */
export interface CreateChecklistResult {
  folder: string;
  /** The checklist file's URI. */
  uri: string;
  /** True when the file already exists (it is then never created). */
  exists: boolean;
  /** What the folder's infrastructure code uses. */
  detected: {
    providers: string[];
    models: ChecklistServiceModel[];
    services: ChecklistServiceInfo[];
    /** Cloud resource types without a known service. */
    unmapped: string[];
    /** Files and managed resources analysed. */
    files: number;
    resources: number;
  };
  /** The providers and models the proposal uses. */
  providers: string[];
  models: ChecklistServiceModel[];
  /** The proposed file text. */
  text: string;
  /** Remarks for the user (e.g. models left out that the code uses). */
  notes: string[];
  /** True when the file was created (only with `create: true`). */
  created: boolean;
  /** Why it was not created, as a sentence for the user. */
  error?: string;
}

/**
 * `iso27017/createChecklist`: proposes a checklist for a folder from the cloud services its infrastructure code
 * uses and, with `create: true`, creates `.iso27017/checklist.json` through `workspace/applyEdit` (a `CreateFile`
 * that fails when the file exists, then one insert), so that the editor holds the new file.
 * Sent from the client to the server, as a request.
 */
export namespace CreateChecklistRequest {
  export const method = 'iso27017/createChecklist' as const;
  export const type = new RequestType<CreateChecklistParams, CreateChecklistResult, void>(method);
}

/** Params of {@link RenderSoaRequest}. */
export interface RenderSoaParams {
  /** The workspace folder's URI; may be left out when there is one folder. */
  folder?: string;
  format: 'md' | 'csv' | 'html' | 'json';
}

/** Result of {@link RenderSoaRequest}. */
export interface RenderSoaResult {
  /** The report; absent when it cannot be made (then `error` says why). */
  text?: string;
  /** `checklist`: from the folder's checklist; `defaults`: there is none, the catalog defaults were used. */
  source?: 'checklist' | 'defaults';
  /** Controls in the report. */
  controls?: number;
  error?: string;
}

/**
 * `iso27017/renderSoa`: the Statement of Applicability of a folder (every control, applicability and
 * justification, responsibility, status, owner, manual and automatic evidence) in one format. An invalid
 * checklist gives an error rather than a misleading report.
 * Sent from the client to the server, as a request.
 */
export namespace RenderSoaRequest {
  export const method = 'iso27017/renderSoa' as const;
  export const type = new RequestType<RenderSoaParams, RenderSoaResult, void>(method);
}

/** Params of {@link ChecklistChangedNotification}. */
export interface ChecklistChangedParams {
  /** The URIs of the workspace folders whose checklist view changed, sorted. */
  folders: string[];
}

/**
 * `iso27017/checklistChanged`: what `iso27017/getChecklist` answers for some folders changed: their checklist
 * file changed on disk or in the editor, or new findings changed its automatic evidence or conflicts.
 * Sent from the server to the client, as a notification, at most once per event-loop turn.
 */
export namespace ChecklistChangedNotification {
  export const method = 'iso27017/checklistChanged' as const;
  export const type = new NotificationType<ChecklistChangedParams>(method);
}

/** `code` prefix of the diagnostics the server publishes in a checklist file: `checklist/<problem code>`. */
export const CHECKLIST_DIAGNOSTIC_PREFIX = 'checklist/';

/** `code` of the warning on a control marked done while its rules have open findings. */
export const CHECKLIST_CONFLICT_CODE = 'checklist/done-but-failing';

/** `data` of a checklist diagnostic about one control. Sent from the server to the client in `textDocument/publishDiagnostics`. */
export interface ChecklistDiagnosticData {
  controlId: string;
  /** For {@link CHECKLIST_CONFLICT_CODE}: the rules with open findings. */
  rules?: string[];
}

// ---- Fixing one rule across the workspace ----

/** A change annotation as LSP carries it. */
export interface WireChangeAnnotation {
  label: string;
  /** True: the editor shows its refactor preview and the user confirms before anything is applied. */
  needsConfirmation?: boolean;
  description?: string;
}

/** A text edit that refers to a change annotation of its workspace edit. */
export interface WireAnnotatedTextEdit extends WireTextEdit {
  annotationId: string;
}

/** The edits of one document; `version` is the open document's version, or null for a file that is not open. */
export interface WireTextDocumentEdit {
  textDocument: { uri: string; version: number | null };
  edits: WireAnnotatedTextEdit[];
}

/** An LSP `WorkspaceEdit` with `documentChanges` of annotated text edits and their `changeAnnotations`. */
export interface WireAnnotatedWorkspaceEdit {
  documentChanges: WireTextDocumentEdit[];
  changeAnnotations: Record<string, WireChangeAnnotation>;
}

/** Params of {@link WorkspaceFixesRequest}. */
export interface WorkspaceFixesParams {
  /** The rule whose findings to fix; absent: only list the rules that have fixable findings. */
  ruleId?: string;
  /** Also fixes that write a placeholder (`"REPLACE_ME: …"`) for a value only the user can choose (default false). */
  placeholders?: boolean;
}

/** A rule with fixable findings in the workspace. Sent from the server to the client in {@link WorkspaceFixesResult}. */
export interface FixableRuleInfo {
  ruleId: string;
  /** The rule's title. */
  title?: string;
  /** Findings of the rule that carry a fix (without placeholders unless asked for). */
  findings: number;
  /** Files those findings are in. */
  files: number;
}

/** Result of {@link WorkspaceFixesRequest}. */
export interface WorkspaceFixesResult {
  /** Every rule with fixable findings, sorted by id (always present). */
  rules: FixableRuleInfo[];
  /**
   * When `ruleId` was given and something can be fixed: the edit, every text edit annotated with a change
   * annotation that has `needsConfirmation: true`, so that the editor previews it before applying.
   */
  edit?: WireAnnotatedWorkspaceEdit;
  /** Fixes in {@link edit}. */
  fixes: number;
  /** Files {@link edit} changes. */
  files: number;
  /** Findings of the rule left out: their fixes overlap another one, or their file changed since it was analysed. */
  skipped: number;
  /** Why there is no edit, as a sentence for the user. */
  error?: string;
}

/**
 * `iso27017/workspaceFixes`: the fixes of one rule across every analysed file of the workspace, as one workspace
 * edit with change annotations that need confirmation (the client applies it with `isRefactoring`, so that VS
 * Code shows its refactor preview first); without a rule, the rules that have fixable findings, with counts.
 * The server does not apply anything.
 * Sent from the client to the server, as a request.
 */
export namespace WorkspaceFixesRequest {
  export const method = 'iso27017/workspaceFixes' as const;
  export const type = new RequestType<WorkspaceFixesParams, WorkspaceFixesResult, void>(method);
}
