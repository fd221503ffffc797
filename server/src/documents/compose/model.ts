// Docker Compose files as the rules see them: each service's map, with offsets. Parsed with `yaml` like the Kubernetes
// manifests (ranges kept, aliases and merge keys never expanded: an alias is an unknown value).

import { isMap, isScalar, parseAllDocuments, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Span } from '../terraform/ast';
import { LineMap } from '../../engine/lines';
import { mapAt, spanOf, yamlComments, type YamlComment } from '../kubernetes/model';

export interface ComposeService {
  name: string;
  /** The service's key (`web:`). */
  keySpan: Span;
  /** The key and its map. */
  span: Span;
  node: YAMLMap;
}

export interface ComposeDoc {
  readonly path: string;
  readonly text: string;
  readonly lines: LineMap;
  readonly services: ComposeService[];
  readonly comments: YamlComment[];
  readonly errors: Array<{ message: string; offset: number }>;
}

/** Parses a Compose file. Never throws. */
export function parseCompose(path: string, text: string, lines = new LineMap(text)): ComposeDoc {
  const services: ComposeService[] = [];
  const errors: Array<{ message: string; offset: number }> = [];
  for (const d of parseAllDocuments(text, { uniqueKeys: false, strict: false, prettyErrors: false, merge: false }) as Array<ReturnType<typeof parseAllDocuments> extends Array<infer D> ? D : never>) {
    for (const e of d.errors) errors.push({ message: e.message.split('\n')[0]!, offset: e.pos[0] });
    const root = d.contents;
    if (!isMap(root)) continue;
    for (const p of (mapAt(root, 'services')?.items ?? []) as Array<Pair<Node, Node | null>>) {
      if (!isScalar(p.key) || !isMap(p.value)) continue;
      const keySpan = spanOf(p.key)!;
      services.push({ name: String(p.key.value), keySpan, span: { start: keySpan.start, end: spanOf(p.value)!.end }, node: p.value });
    }
  }
  return { path, text, lines, services, comments: yamlComments(text), errors };
}
