// A Dockerfile as the rules see it: stages, instructions with their arguments and flags, comments, all with offsets.
// Parsed by dockerfile-ast (the parser of the Docker language server), which tolerates half-typed input; positions
// are turned into offsets here so that findings, fixes and suppressions share the engine's conventions.

import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import type { Span } from '../terraform/ast';
import { LineMap } from '../../engine/lines';

/** One word of an instruction's arguments (as the builder splits them; quotes kept). */
export interface DockerArg extends Span {
  value: string;
}

/** A `--name=value` flag of an instruction (`COPY --chown=…`, `FROM --platform=…`, `RUN --mount=…`). */
export interface DockerFlag extends Span {
  name: string;
  value: string | undefined;
}

/** An `ENV`/`ARG`/`LABEL` property (`KEY=value` or the legacy `KEY value`). */
export interface DockerProperty extends Span {
  name: string;
  value: string | undefined;
  valueSpan: Span | undefined;
}

export interface DockerInstruction extends Span {
  /** Upper case, e.g. `RUN`. */
  keyword: string;
  keywordSpan: Span;
  /** The arguments as written (continuations joined as the builder joins them), '' when there are none. */
  argsText: string;
  argsSpan: Span | undefined;
  args: DockerArg[];
  flags: DockerFlag[];
  /** For ENV, ARG and LABEL. */
  properties: DockerProperty[];
  /** The zero-based line the instruction starts on. */
  line: number;
  /** Index of the stage (`FROM` … up to the next `FROM`); -1 before the first `FROM` (global `ARG`s). */
  stage: number;
}

export interface DockerStage {
  from: DockerInstruction;
  /** `FROM <image>` as written (`node:20-alpine`, `${BASE}`, `scratch`), if any. */
  image: string | undefined;
  imageSpan: Span | undefined;
  /** The tag and digest, when given. */
  tag: string | undefined;
  digest: string | undefined;
  /** `AS <name>`. */
  alias: string | undefined;
  /** Every instruction of the stage after its `FROM`. */
  instructions: DockerInstruction[];
}

export interface DockerComment extends Span {
  /** The text after `#`, trimmed. */
  text: string;
}

export interface DockerfileDoc {
  readonly path: string;
  readonly text: string;
  readonly lines: LineMap;
  readonly instructions: DockerInstruction[];
  readonly stages: DockerStage[];
  readonly comments: DockerComment[];
}

/** Parses a Dockerfile. Never throws: unparsable parts are simply not instructions. */
export function parseDockerfile(path: string, text: string, lines = new LineMap(text)): DockerfileDoc {
  const df = DockerfileParser.parse(text);
  const off = (p: { line: number; character: number }): number => lines.offset(p);
  const span = (r: { start: { line: number; character: number }; end: { line: number; character: number } }): Span => ({ start: off(r.start), end: off(r.end) });
  const instructions: DockerInstruction[] = [];
  const stages: DockerStage[] = [];
  for (const ins of df.getInstructions()) {
    const r = span(ins.getRange());
    const argsRange = ins.getArgumentsRange();
    const keyword = ins.getKeyword().toUpperCase();
    const i: DockerInstruction = {
      ...r,
      keyword,
      keywordSpan: span(ins.getInstructionRange()),
      argsText: argsRange ? text.slice(off(argsRange.start), off(argsRange.end)) : '',
      argsSpan: argsRange ? span(argsRange) : undefined,
      args: ins.getArguments().map((a) => ({ value: a.getValue(), ...span(a.getRange()) })),
      flags: flagsOf(ins).map((f) => ({ name: f.getName(), value: f.getValue() ?? undefined, ...span(f.getRange()) })),
      properties: propertiesOf(ins).map((p) => {
        const vr = p.getValueRange();
        return { name: p.getName(), value: p.getValue() ?? undefined, valueSpan: vr ? span(vr) : undefined, ...span(p.getRange()) };
      }),
      line: ins.getRange().start.line,
      stage: keyword === 'FROM' ? stages.length : stages.length - 1,
    };
    instructions.push(i);
    if (keyword === 'FROM') {
      const from = ins as unknown as FromLike;
      const imageRange = from.getImageRange?.();
      stages.push({
        from: i,
        image: from.getImage?.() ?? undefined,
        imageSpan: imageRange ? span(imageRange) : undefined,
        tag: from.getImageTag?.() ?? undefined,
        digest: from.getImageDigest?.() ?? undefined,
        alias: from.getBuildStage?.() ?? undefined,
        instructions: [],
      });
    } else if (stages.length > 0) stages[stages.length - 1]!.instructions.push(i);
  }
  const comments = df.getComments().map((c) => ({ text: c.getContent().trim(), ...span(c.getRange()) }));
  return { path, text, lines, instructions, stages, comments };
}

interface FromLike {
  getImage?(): string | null;
  getImageRange?(): { start: { line: number; character: number }; end: { line: number; character: number } } | null;
  getImageTag?(): string | null;
  getImageDigest?(): string | null;
  getBuildStage?(): string | null;
}

interface FlagLike {
  getName(): string;
  getValue(): string | null;
  getRange(): { start: { line: number; character: number }; end: { line: number; character: number } };
}

interface PropertyLike {
  getName(): string;
  getValue(): string | null;
  getRange(): { start: { line: number; character: number }; end: { line: number; character: number } };
  getValueRange(): { start: { line: number; character: number }; end: { line: number; character: number } } | null;
}

function flagsOf(ins: Instruction): FlagLike[] {
  const f = (ins as unknown as { getFlags?: () => FlagLike[] }).getFlags;
  return typeof f === 'function' ? f.call(ins) : [];
}

function propertiesOf(ins: Instruction): PropertyLike[] {
  const p = (ins as unknown as { getProperties?: () => PropertyLike[] }).getProperties;
  return typeof p === 'function' ? p.call(ins) : [];
}

/** The stage an image is finally built from: the last one. */
export function finalStage(doc: DockerfileDoc): DockerStage | undefined {
  return doc.stages[doc.stages.length - 1];
}
