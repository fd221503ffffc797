// Every control that infrastructure code can evidence well has a rule, or an honest written reason why not
// (test/unit/meta/uncovered-controls.txt, an explicit and reviewable allow-list in the style of KICS and Checkov).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectsRules, rulesByControl } from '../../../server/src/catalog/evidence';
import { loadCatalogFromDir } from '../../../server/src/catalog/load-node';
import { rules } from '../../../server/src/rules/index';
import { repoRoot } from '../support/project';

const listPath = join(repoRoot, 'test/unit/meta/uncovered-controls.txt');

/** Parses `<id> — <reason>` lines; `#` comments and blank lines are skipped. */
export function parseUncovered(text: string): { entries: Map<string, string>; problems: string[] } {
  const entries = new Map<string, string>();
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const l = line.trim();
    if (l === '' || l.startsWith('#')) return;
    const m = /^(\S+) — (.+)$/.exec(l);
    if (!m) {
      problems.push(`line ${i + 1}: expected "<id> — <reason>", found "${l}"`);
      return;
    }
    const [, id, reason] = m as unknown as [string, string, string];
    if (entries.has(id)) problems.push(`line ${i + 1}: ${id} is listed twice`);
    if (reason.trim().length < 20) problems.push(`line ${i + 1}: ${id} needs a real reason, not "${reason}"`);
    entries.set(id, reason);
  });
  return { entries, problems };
}

describe('uncovered controls (test/unit/meta/uncovered-controls.txt)', () => {
  const catalog = loadCatalogFromDir(join(repoRoot, 'controls-data'));
  const byControl = rulesByControl(rules.map((r) => r.meta));
  const { entries, problems } = parseUncovered(readFileSync(listPath, 'utf8'));

  it('is well formed: one "<id> — <reason>" per line, ids unique, reasons written out', () => {
    assert.deepEqual(problems, []);
  });

  it('names only controls of the catalog', () => {
    const known = new Set(catalog.controls.map((c) => c.id));
    const unknown = [...entries.keys()].filter((id) => !known.has(id));
    assert.deepEqual(unknown, [], `not in controls-data: ${unknown.join(', ')}`);
  });

  it('every control with iacRelevant and iacStrength strong or medium has a rule or a written reason', () => {
    const missing = catalog.controls.filter((c) => expectsRules(c) && (byControl.get(c.id)?.length ?? 0) === 0 && !entries.has(c.id)).map((c) => c.id);
    assert.deepEqual(missing, [], `add a rule for these controls, or a line "<id> — <reason>" to uncovered-controls.txt: ${missing.join(', ')}`);
  });

  it('lists no control that has a rule now, or that code cannot evidence well anyway', () => {
    const stale = [...entries.keys()].filter((id) => (byControl.get(id)?.length ?? 0) > 0);
    assert.deepEqual(stale, [], `these controls have rules now: remove them from uncovered-controls.txt: ${stale.join(', ')}`);
    const records = new Map(catalog.controls.map((c) => [c.id, c]));
    const unneeded = [...entries.keys()].filter((id) => records.has(id) && !expectsRules(records.get(id)!));
    assert.deepEqual(unneeded, [], `these controls are not expected to have rules (iacStrength weak/none); remove them: ${unneeded.join(', ')}`);
  });

  it('parseUncovered rejects malformed lines and empty reasons', () => {
    const r = parseUncovered('# c\n\n9.2.1 — a reason that is long enough\n9.2.1 — a reason that is long enough\n12.6.1 - dash\n18.1.5 — short\n');
    assert.equal(r.problems.length, 3, r.problems.join('\n'));
  });
});
