// Shared fixtures for the checklist tests: the catalog, a hand-written checklist with comments, assertions on edits.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Catalog } from '../../../server/src/catalog/catalog';
import { loadCatalogFromDir } from '../../../server/src/catalog/load-node';
import type { EditResult } from '../../../server/src/checklist/index';
import { repoRoot } from '../support/project';

let cached: Catalog | undefined;
export function catalog(): Catalog {
  cached ??= loadCatalogFromDir(join(repoRoot, 'controls-data'));
  return cached;
}

/** A checklist as a person might write it: comments, odd spacing, one-line items, unknown fields, trailing comma. */
export const HAND = `// Our checklist. Reviewed monthly.
{
  "version": 1,
  "x-team": {"name":  "platform", "tags": [1,2,  3]}, // unknown top-level field
  "catalog": { "standard": "ISO/IEC 27017", "edition": "2015", "dataVersion": "1.0.0" },
  "providers": ["aws"],
  "services": [
    { "name": "EC2", "provider": "aws", "model": "IaaS", "detectedFrom": ["aws_instance"] }
  ],
  "controls": {
    /* Policies */
    "5.1.1": {
      "responsibility": "shared", // agreed with the provider
      "applicable": true,
      "status": "todo" // to start in Q3
    },
    "6.1.1": { "responsibility": "customer", "applicable": true, "status": "in-progress" },
    "9.9.9": { "responsibility": "customer", "applicable": true, "status": "todo", "x-source": "old tool" },
    "11.2.7": {
      "responsibility": "provider",
      "applicable": false,
      "justification": "No own hardware.",
      "status": "done",
      "evidence": [
        { "kind": "url", "ref": "https://aws.amazon.com/compliance/data-center/" } /* AWS page */
      ],
      "owner": "Security team",
    },
  },
}
`;

/** Asserts that `after` equals `before` with `before[start, end)` replaced by `replacement`. */
export function assertReplaced(before: string, after: string, start: number, end: number, replacement: string): void {
  assert.equal(after.slice(0, start), before.slice(0, start), 'text before the edit is unchanged');
  assert.equal(after.slice(after.length - (before.length - end)), before.slice(end), 'text after the edit is unchanged');
  assert.equal(after.slice(start, after.length - (before.length - end)), replacement);
}

export function ok(r: EditResult): Extract<EditResult, { ok: true }> {
  if (!r.ok) assert.fail(`edit failed: ${r.reason}`);
  return r;
}

/** Applies a result's edits to the old text, as an editor would, and checks it gives the result's text. */
export function applyResult(before: string, r: Extract<EditResult, { ok: true }>): string {
  let out = before;
  for (const e of [...r.edits].sort((a, b) => b.offset - a.offset)) out = out.slice(0, e.offset) + e.newText + out.slice(e.offset + e.length);
  assert.equal(out, r.text, 'edits reproduce the new text');
  return out;
}
