// Types shared by the engine, the rules, the server and the CLI: findings, rule metadata, positions.

/** A zero-based LSP position: `line` and `character` (UTF-16 code units). */
export interface Position {
  line: number;
  character: number;
}

/** A zero-based LSP range; `end` is exclusive. */
export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info', 'hint'];

/** How a user configures one rule: a severity, or `off`. */
export type RuleSetting = Severity | 'off';

/** The same check in rival tools, so that their suppression comments keep working. */
export interface Equivalents {
  /** Checkov ids, e.g. `CKV_AWS_19`. */
  checkov?: string[];
  /** Trivy/tfsec ids: the AVD id, the current id and the long id, e.g. `AVD-AWS-0088`, `AWS-0088`, `aws-s3-enable-bucket-encryption`. */
  trivy?: string[];
  /** KICS query ids (UUIDs) for the rule's platform. */
  kics?: string[];
}

export type Platform = 'terraform' | 'cloudformation' | 'kubernetes' | 'dockerfile' | 'compose' | 'appconfig';

/** Static facts about a rule; everything a report, a doc page or the catalog needs. */
export interface RuleMeta {
  /** Permanent id, `<platform>/<problem-in-kebab-case>`. */
  id: string;
  platform: Platform;
  /** Cloud provider the rule is about, when it is provider-specific. */
  provider?: 'aws' | 'azure' | 'gcp';
  /** One line, imperative: what good looks like ("S3 buckets have versioning enabled"). */
  title: string;
  severity: Severity;
  /** ISO 27017 control ids the rule evidences; each must exist in controls-data. */
  controls: string[];
  /** Message templates by messageId; `{{name}}` placeholders are filled from report data. */
  messages: Record<string, string>;
  /** Whether the rule offers a deterministic fix. */
  fixable: boolean;
  docs: {
    /** The rationale, in our own words. */
    summary: string;
  };
  equivalents: Equivalents;
  /** Resource types the rule inspects (for docs and for `iso27017 rules`). */
  resourceTypes?: string[];
}

/** A related location shown with a finding (e.g. the linked resource that decides it). */
export interface RelatedInfo {
  file: string;
  range: Range;
  message: string;
}

/** One problem found: what the CLI prints and the server turns into a diagnostic. */
export interface Finding {
  ruleId: string;
  messageId: string;
  severity: Severity;
  /** Rendered message, ending with the controls, e.g. `… (ISO 27017 10.1.1 Policy on the use of cryptographic controls)`. */
  message: string;
  file: string;
  range: Range;
  resource?: { type: string; name: string; address: string };
  controls: string[];
  equivalents: Equivalents;
  /** True when the finding carries at least one fix. */
  fixable: boolean;
  related: RelatedInfo[];
  /** Deterministic edits that resolve the finding; the preferred one first. Empty when none is safe. */
  fixes: Fix[];
}

/** One text replacement in a file (LSP-style: zero-based range, exclusive end). */
export interface TextEdit {
  file: string;
  range: Range;
  newText: string;
}

/** A way to resolve a finding: edits, possibly in several files, applied together. */
export interface Fix {
  /** Imperative, e.g. `Set enable_key_rotation = true`. */
  title: string;
  edits: TextEdit[];
  /** The fix an editor should offer first (`isPreferred` of the code action). */
  isPreferred?: boolean;
  /**
   * True when the fix writes a clearly marked placeholder (`"REPLACE_ME: …"`) for a value only the user can
   * choose (a KMS key ARN, a CIDR, a log bucket). Such fixes are left out of fix-all unless asked for.
   */
  placeholder?: boolean;
}

/** The comment syntaxes that suppress findings: ours and the rivals' (honoured through rule `equivalents`). */
export type SuppressionSyntax = 'iso27017' | 'checkov' | 'tfsec' | 'trivy' | 'kics';

/** One suppression comment, as it applied to a finding. */
export interface Suppression {
  syntax: SuppressionSyntax;
  /** What it covers: the line, the block or attribute it precedes (or the block it is inside, for Checkov), or the file. */
  scope: 'line' | 'block' | 'file';
  /** The ids as written in the comment (rule ids, Checkov/Trivy/KICS ids); empty for id-less KICS commands. */
  ids: string[];
  /** The reason given, when the syntax has one. */
  reason?: string;
  /** `YYYY-MM-DD` after which the suppression no longer applies, when given. */
  expires?: string;
  /** The file and range of the comment. */
  file: string;
  range: Range;
  /** The comment's text without its marker, trimmed. */
  text: string;
}

/** A finding that a suppression comment silenced; kept so that views and reports can list it. */
export interface SuppressedFinding {
  finding: Finding;
  suppression: Suppression;
}

/** A file that could not be read or parsed; listed, never fatal. */
export interface FileError {
  file: string;
  message: string;
  range?: Range;
}

/** The controls the engine needs to name in messages. */
export interface ControlInfo {
  id: string;
  title: string;
}
