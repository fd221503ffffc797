// Notices when the published findings of a file really change and tells the client once per analysis
// (`iso27017/findingsChanged`), so that views re-query without polling and without redrawing for nothing.

import type { Finding, Severity } from '../engine/types';
import type { FindingsChangedParams } from '../protocol';

/** A string that is equal for two finding lists exactly when a view would show them the same way. */
export function findingsFingerprint(list: readonly Finding[]): string {
  return list
    .map((f) => {
      const r = f.range;
      return [f.ruleId, f.messageId, f.severity, f.message, r.start.line, r.start.character, r.end.line, r.end.character, f.resource?.address ?? ''].join('\u0001');
    })
    .sort()
    .join('\u0002');
}

/** True when two finding lists would be shown the same way. */
export function sameFindings(a: readonly Finding[], b: readonly Finding[]): boolean {
  if (a.length !== b.length) return false;
  if (a.length === 0) return true;
  return findingsFingerprint(a) === findingsFingerprint(b);
}

/**
 * Collects the files whose findings changed and sends one notification after the current turn of the event
 * loop: a whole-folder analysis publishes every file synchronously, so it yields a single notification.
 */
export class FindingsChangeTracker {
  private readonly changed = new Set<string>();
  private scheduled = false;
  private disposed = false;

  constructor(
    private readonly send: (params: FindingsChangedParams) => void,
    /** All findings currently published, for the notification's `findings`. */
    private readonly total: () => number,
    private readonly defer: (fn: () => void) => void = (fn) => void setImmediate(fn),
  ) {}

  /** Records that the findings published for `uri` went from `before` to `after`. */
  note(uri: string, before: readonly Finding[], after: readonly Finding[]): void {
    if (this.disposed || sameFindings(before, after)) return;
    this.changed.add(uri);
    if (this.scheduled) return;
    this.scheduled = true;
    this.defer(() => this.flush());
  }

  /** Sends the pending notification now, if any. */
  flush(): void {
    this.scheduled = false;
    if (this.disposed || this.changed.size === 0) return;
    const uris = [...this.changed].sort();
    this.changed.clear();
    this.send({ uris, findings: this.total() });
  }

  dispose(): void {
    this.disposed = true;
    this.changed.clear();
  }
}

const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1, hint: 0 };

/** The more severe of two severities (`undefined` counts as none). */
export function worse(a: Severity | undefined, b: Severity): Severity {
  return a === undefined || RANK[b] > RANK[a] ? b : a;
}
