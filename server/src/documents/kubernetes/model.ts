// Kubernetes manifests as the rules see them: every YAML document that is an object (`apiVersion` + `kind`), its
// annotations, and for workloads their pod spec and containers, all with offsets. Parsed with `yaml`, which keeps
// ranges and tolerates half-typed input. Aliases are never expanded (no alias bombs): an alias is an unknown value.

import { isAlias, isMap, isScalar, isSeq, Parser, parseAllDocuments, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Span } from '../terraform/ast';
import { LineMap } from '../../engine/lines';

export type YNode = Node;

export interface K8sContainer {
  /** `containers`, `initContainers` or `ephemeralContainers`. */
  list: string;
  name: string;
  node: YAMLMap;
}

export interface K8sObject {
  kind: string;
  name: string;
  namespace: string | undefined;
  /** The document's top-level map. */
  node: YAMLMap;
  /** Span of the document's content. */
  span: Span;
  /** Span of `kind: X` (where object-level findings point). */
  kindSpan: Span;
  /** The pod spec of a Pod or a workload's template (CronJob: its job template's), if any. */
  podSpec: YAMLMap | undefined;
  /** The `spec:` key whose value is the pod spec. */
  podSpecKey: Span | undefined;
  containers: K8sContainer[];
  annotations: Map<string, { value: string; span: Span }>;
}

export interface YamlComment extends Span {
  /** The text after `#`, trimmed. */
  text: string;
}

export interface KubernetesDoc {
  readonly path: string;
  readonly text: string;
  readonly lines: LineMap;
  readonly objects: K8sObject[];
  readonly comments: YamlComment[];
  /** Syntax errors (message and offset), for the file's error line. */
  readonly errors: Array<{ message: string; offset: number }>;
}

const WORKLOAD_TEMPLATE = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job']);

/** A node's span: start to the end of its value. */
export function spanOf(n: { range?: [number, number, number] | null } | null | undefined): Span | undefined {
  return n?.range ? { start: n.range[0], end: n.range[1] } : undefined;
}

/** The pair of a block or flow map with a plain key. */
export function pairOf(map: YAMLMap | undefined, key: string): Pair<Node, Node | null> | undefined {
  if (!map) return undefined;
  for (const p of map.items as Array<Pair<Node, Node | null>>) if (isScalar(p.key) && String(p.key.value) === key) return p;
  return undefined;
}

/** The value of a key, if it is a map. */
export function mapAt(map: YAMLMap | undefined, key: string): YAMLMap | undefined {
  const v = pairOf(map, key)?.value;
  return isMap(v) ? v : undefined;
}

/** The value of a key, if it is a sequence. */
export function seqAt(map: YAMLMap | undefined, key: string): YAMLSeq | undefined {
  const v = pairOf(map, key)?.value;
  return isSeq(v) ? v : undefined;
}

/**
 * The scalar value of a key: a string, number, boolean or null; `undefined` when the key is absent; `unknown` when
 * the value is not a scalar (an alias, a map).
 */
export function scalarAt(map: YAMLMap | undefined, key: string): string | number | boolean | null | undefined | 'unknown' {
  const p = pairOf(map, key);
  if (!p) return undefined;
  if (isAlias(p.value)) return 'unknown';
  if (isScalar(p.value)) return p.value.value as string | number | boolean | null;
  if (p.value === null) return null;
  return 'unknown';
}

/** Span of a pair, from its key to the end of its value. */
export function pairSpan(p: Pair<Node, Node | null>): Span {
  const k = spanOf(p.key)!;
  const v = spanOf(p.value);
  return { start: k.start, end: v ? v.end : k.end };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

/** Parses a manifest file (several documents). Never throws; aliases are not expanded. */
export function parseKubernetes(path: string, text: string, lines = new LineMap(text)): KubernetesDoc {
  const objects: K8sObject[] = [];
  const errors: Array<{ message: string; offset: number }> = [];
  const docs = parseAllDocuments(text, { uniqueKeys: false, strict: false, prettyErrors: false });
  for (const d of Array.isArray(docs) ? docs : []) {
    for (const e of d.errors) errors.push({ message: e.message.split('\n')[0]!, offset: e.pos[0] });
    const root = d.contents;
    if (!isMap(root)) continue;
    const kindPair = pairOf(root, 'kind');
    const kind = str(scalarAt(root, 'kind'));
    if (!kind || !kindPair || scalarAt(root, 'apiVersion') === undefined) continue;
    const metadata = mapAt(root, 'metadata');
    const annotations = new Map<string, { value: string; span: Span }>();
    for (const p of (mapAt(metadata, 'annotations')?.items ?? []) as Array<Pair<Node, Node | null>>) {
      if (isScalar(p.key) && isScalar(p.value)) annotations.set(String(p.key.value), { value: String(p.value.value ?? ''), span: pairSpan(p) });
    }
    // The map that holds the pod spec under its `spec` key.
    let holder: YAMLMap | undefined;
    if (kind === 'Pod') holder = root;
    else if (WORKLOAD_TEMPLATE.has(kind)) holder = mapAt(mapAt(root, 'spec'), 'template');
    else if (kind === 'CronJob') holder = mapAt(mapAt(mapAt(mapAt(root, 'spec'), 'jobTemplate'), 'spec'), 'template');
    else if (kind === 'PodTemplate') holder = mapAt(root, 'template');
    // Other workload kinds (Knative, Argo Rollouts, operators' CRDs) that embed a pod template the same way.
    else if (seqAt(mapAt(mapAt(mapAt(root, 'spec'), 'template'), 'spec'), 'containers')) holder = mapAt(mapAt(root, 'spec'), 'template');
    const podSpec = mapAt(holder, 'spec');
    const specPair = podSpec ? pairOf(holder, 'spec') : undefined;
    const containers: K8sContainer[] = [];
    for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
      for (const c of seqAt(podSpec, list)?.items ?? []) {
        if (isMap(c)) containers.push({ list, name: str(scalarAt(c, 'name')) ?? '', node: c });
      }
    }
    objects.push({
      kind,
      name: str(scalarAt(metadata, 'name')) ?? '',
      namespace: str(scalarAt(metadata, 'namespace')),
      node: root,
      span: spanOf(root)!,
      kindSpan: pairSpan(kindPair),
      podSpec,
      podSpecKey: specPair ? spanOf(specPair.key) : undefined,
      containers,
      annotations,
    });
  }
  const comments = yamlComments(text);
  return { path, text, lines, objects, comments, errors };
}

/** `Deployment web` or `Pod api (namespace prod)`, for messages. */
export function describe(o: K8sObject): string {
  return `${o.kind} ${o.name || '(unnamed)'}`;
}

/** The comments of a YAML text, from its concrete syntax tree: `#` inside block scalars and quoted strings is text. */
export function yamlComments(text: string): YamlComment[] {
  const comments: YamlComment[] = [];
  const walk = (n: unknown, depth: number): void => {
    if (n === null || typeof n !== 'object' || depth > 400) return;
    if (Array.isArray(n)) {
      for (const x of n) walk(x, depth + 1);
      return;
    }
    const t = n as { type?: string; offset?: number; source?: string };
    if (t.type === 'comment' && typeof t.offset === 'number' && typeof t.source === 'string') {
      comments.push({ start: t.offset, end: t.offset + t.source.length, text: t.source.replace(/^#/, '').trim() });
      return;
    }
    for (const v of Object.values(n)) if (v !== null && typeof v === 'object') walk(v, depth + 1);
  };
  for (const tok of new Parser().parse(text)) walk(tok, 0);
  return comments.sort((a, b) => a.start - b.start);
}
