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
  /** Shows one control of the catalog. Arguments: `[controlId: string]`. */
  revealControl: 'iso27017.catalog.reveal',
  /** Shows a read-only page about one rule. Arguments: `[ruleId: string]`. */
  showRule: 'iso27017.rule.show',
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

/** One control as the protocol carries it. Sent from the server to the client in {@link GetControlResult}. */
export interface ControlInfo {
  id: string;
  title: string;
  /** Our own paraphrase of the control (never ISO text). */
  summary: string;
  guidance: { customer: string[]; provider: string[] };
  /** Ids of the rules that evidence this control (the reverse index the server builds). */
  rules: string[];
}

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
