// Test helpers: load a folder of files into an engine Project and run a chosen set of rules.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Project } from '../../../server/src/engine/project';
import type { Rule } from '../../../server/src/engine/rule';
import { rules as allRules } from '../../../server/src/rules/index';
import { loadCatalogFromDir } from '../../../server/src/catalog/load-node';

export const repoRoot = resolve(__dirname, '../../..');
export const corpusRoot = resolve(repoRoot, '../shared/corpus');

let controlsCache: Array<{ id: string; title: string }> | undefined;
/** The controls from controls-data, for rendering messages. */
export function controls(): Array<{ id: string; title: string }> {
  controlsCache ??= loadCatalogFromDir(join(repoRoot, 'controls-data')).controls.map((c) => ({ id: c.id, title: c.title }));
  return controlsCache;
}

/** Every file below `dir` (relative paths), skipping dot-folders. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string): void => {
    for (const name of readdirSync(d).sort()) {
      if (name.startsWith('.')) continue;
      const abs = join(d, name);
      if (statSync(abs).isDirectory()) walk(abs, rel ? `${rel}/${name}` : name);
      else out.push(rel ? `${rel}/${name}` : name);
    }
  };
  walk(dir, '');
  return out;
}

/** A project holding every file below `dir`, analysing with `rules` (default: all). */
export function projectFor(dir: string, rules: readonly Rule[] = allRules): Project {
  const p = new Project({ rules, controls: controls() });
  for (const rel of listFiles(dir)) p.setFile(join(dir, rel), readFileSync(join(dir, rel), 'utf8'));
  return p;
}

export function ruleById(id: string): Rule {
  const r = allRules.find((x) => x.meta.id === id);
  if (!r) throw new Error(`no rule ${id}`);
  return r;
}
