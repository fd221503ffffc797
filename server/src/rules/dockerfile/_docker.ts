// Shared helpers for the Dockerfile rules (not a rule: the index skips `_` files).

import type { DockerfileDoc, DockerInstruction, DockerStage } from '../../documents/dockerfile/model';
import type { FixSpec } from '../../engine/fixer';

/** The global `ARG` defaults (before the first `FROM`), which `FROM` lines may use. */
export function globalArgs(doc: DockerfileDoc): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  for (const i of doc.instructions) {
    if (i.stage !== -1) break;
    if (i.keyword === 'ARG') for (const p of i.properties) out.set(p.name, p.value);
  }
  return out;
}

/** Expands `$X` and `${X}` (with `:-default`) from known values; undefined when a variable has no known value. */
export function expand(text: string, vars: ReadonlyMap<string, string | undefined>): string | undefined {
  let unknown = false;
  const out = text.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g, (_m, a: string | undefined, def: string | undefined, b: string | undefined) => {
    const v = vars.get((a ?? b)!);
    if (v !== undefined && v !== '') return v;
    if (def !== undefined) return def;
    unknown = true;
    return '';
  });
  return unknown ? undefined : out;
}

/** The stage a `FROM` names by its alias (`FROM build AS final`), if any, before `stageIndex`. */
export function parentStage(doc: DockerfileDoc, stageIndex: number): DockerStage | undefined {
  const image = doc.stages[stageIndex]?.image?.toLowerCase();
  if (!image) return undefined;
  for (let i = stageIndex - 1; i >= 0; i--) if (doc.stages[i]!.alias?.toLowerCase() === image) return doc.stages[i];
  return undefined;
}

/**
 * The `USER` in effect at the end of a stage: its own last `USER`, else that of the stage it is built `FROM`.
 * Undefined when none sets one (the base image's user applies, root for most images).
 */
export function effectiveUser(doc: DockerfileDoc, stageIndex: number): DockerInstruction | undefined {
  const seen = new Set<number>();
  for (let i: number | undefined = stageIndex; i !== undefined && !seen.has(i); ) {
    seen.add(i);
    const stage: DockerStage = doc.stages[i]!;
    const users = stage.instructions.filter((x) => x.keyword === 'USER');
    if (users.length > 0) return users[users.length - 1];
    const parent = parentStage(doc, i);
    i = parent ? doc.stages.indexOf(parent) : undefined;
  }
  return undefined;
}

/** True for a `USER` value that means root: `root`, `0`, with or without a group. */
export function isRootUser(value: string): boolean {
  const user = value.split(':')[0]!.trim().toLowerCase();
  return user === 'root' || user === '0';
}

/** The shell commands of a `RUN` (split on `&&`, `||`, `;`, `|`), each as its words, with their offsets. */
export function commands(i: DockerInstruction): Array<Array<{ value: string; start: number; end: number }>> {
  const out: Array<Array<{ value: string; start: number; end: number }>> = [[]];
  for (const a of i.args) {
    if (/^(&&|\|\||;|\|)$/.test(a.value)) {
      out.push([]);
      continue;
    }
    // `cmd;` or `a&&b` written without spaces: split the word, keeping offsets.
    const parts = a.value.split(/(&&|\|\||;)/);
    let off = a.start;
    for (const p of parts) {
      if (p === '&&' || p === '||' || p === ';') out.push([]);
      else if (p !== '') out[out.length - 1]!.push({ value: p, start: off, end: off + p.length });
      off += p.length;
    }
  }
  return out.filter((c) => c.length > 0);
}

/** A one-edit fix of one document. */
export function fix(doc: DockerfileDoc, title: string, start: number, end: number, newText: string, extra: Partial<FixSpec> = {}): FixSpec {
  return { title, edits: [{ file: doc.path, start, end, newText }], ...extra };
}

/**
 * The edit that removes one word (an argument or a flag) from an instruction, with the blanks before it; the whole
 * word including a `=value` glued to it.
 */
export function removeWord(doc: DockerfileDoc, start: number, end: number): { start: number; end: number } {
  let s = start;
  while (s > 0 && (doc.text[s - 1] === ' ' || doc.text[s - 1] === '\t')) s--;
  return { start: s, end };
}

/** The final stage's `CMD` or `ENTRYPOINT` (the first of them), before which a `USER` goes. */
export function firstRunInstruction(stage: DockerStage): DockerInstruction | undefined {
  return stage.instructions.find((x) => x.keyword === 'CMD' || x.keyword === 'ENTRYPOINT');
}

/** The line break a document uses. */
export function eolOf(doc: DockerfileDoc): string {
  return doc.text.includes('\r\n') ? '\r\n' : '\n';
}

/** Words of the form `$X`/`${X}` are not literal values. */
export function isLiteral(value: string): boolean {
  return !/\$\{?[A-Za-z_]/.test(value);
}
