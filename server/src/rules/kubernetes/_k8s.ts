// Shared helpers for the Kubernetes rules (not a rule: the index skips `_` files): security settings resolved from the
// container and its pod, where to point when a setting is missing, and YAML edits that merge into what is there.

import { isMap, isScalar, type Node, type Pair, type YAMLMap } from 'yaml';
import { mapAt, pairOf, pairSpan, scalarAt, seqAt, spanOf, type K8sContainer, type K8sObject, type KubernetesDoc } from '../../documents/kubernetes/model';
import type { Span } from '../../documents/terraform/ast';
import type { FileEdit, FixSpec } from '../../engine/fixer';
import type { DocumentReport, KubernetesRuleContext } from '../../engine/rule';

export { mapAt, pairOf, pairSpan, scalarAt, seqAt, spanOf };

/** What a finding is about: the container of an object. */
export function containerSubject(o: K8sObject, c: K8sContainer): NonNullable<DocumentReport['subject']> {
  return { type: o.kind, name: `${o.name || '(unnamed)'}/${c.name || '(unnamed)'}`, address: `${o.kind}/${o.name || '(unnamed)'} container ${c.name || '(unnamed)'}` };
}

export function objectSubject(o: K8sObject): NonNullable<DocumentReport['subject']> {
  return { type: o.kind, name: o.name || '(unnamed)', address: `${o.kind}/${o.name || '(unnamed)'}` };
}

/** Where a missing setting is reported: the deepest key of `path` (from the container) that exists, else the container. */
export function anchor(c: K8sContainer, path: readonly string[]): Span {
  let map: YAMLMap | undefined = c.node;
  let at: Span = spanOf(pairOf(c.node, 'name')?.key) ?? spanOf(c.node)!;
  for (const key of path) {
    const p = pairOf(map, key);
    if (!p) break;
    at = spanOf(p.key)!;
    map = isMap(p.value) ? p.value : undefined;
    if (!map) break;
  }
  return at;
}

/** A block collection's range runs up to the next item: the end of its last non-blank text is where a line goes. */
/** What the YAML edits need of a document (a manifest file, a Compose file). */
export type YamlText = Pick<KubernetesDoc, 'path' | 'text' | 'lines'>;

export function contentEnd(doc: YamlText, end: number): number {
  let at = end;
  while (at > 0 && /\s/.test(doc.text[at - 1]!)) at--;
  return at;
}

export function eolOf(doc: YamlText): string {
  return doc.text.includes('\r\n') ? '\r\n' : '\n';
}

/** The column of a map's first key (its indentation); undefined for an empty or flow map. */
export function keyIndent(doc: YamlText, map: YAMLMap): string | undefined {
  if (map.flow || map.items.length === 0) return undefined;
  const first = spanOf((map.items[0] as Pair<Node, Node | null>).key);
  if (!first) return undefined;
  return ' '.repeat(doc.lines.position(first.start).character);
}

/**
 * Edits that set `entries` (key → YAML text of a scalar) in a block map: an existing scalar value is replaced, missing
 * keys are added after the map's last line, at its indentation. Undefined for a flow map or a non-scalar value.
 */
export function setInMap(doc: YamlText, map: YAMLMap, entries: ReadonlyArray<[string, string]>): FileEdit[] | undefined {
  const indent = keyIndent(doc, map);
  if (indent === undefined || !map.range) return undefined;
  const edits: FileEdit[] = [];
  const added: string[] = [];
  for (const [key, value] of entries) {
    const p = pairOf(map, key);
    if (p) {
      if (!isScalar(p.value) || !p.value.range) return undefined;
      edits.push({ file: doc.path, start: p.value.range[0], end: p.value.range[1], newText: value });
    } else added.push(`${eolOf(doc)}${indent}${key}: ${value}`);
  }
  const at = contentEnd(doc, map.range[1]);
  if (added.length > 0) edits.push({ file: doc.path, start: at, end: at, newText: added.join('') });
  return edits;
}

/**
 * Edits that set `entries` in the container's `securityContext` (nested keys as `a.b`), creating it (or the nested
 * map) after the container's last line when it is missing. Undefined where the layout is not plain block YAML.
 */
export function setInSecurityContext(doc: KubernetesDoc, c: K8sContainer, entries: ReadonlyArray<[string, string]>): FileEdit[] | undefined {
  const indent = keyIndent(doc, c.node);
  if (indent === undefined || !c.node.range) return undefined;
  const eol = eolOf(doc);
  const sc = pairOf(c.node, 'securityContext');
  const flat = entries.filter(([k]) => !k.includes('.'));
  const nested = new Map<string, Array<[string, string]>>();
  for (const [k, v] of entries) {
    if (!k.includes('.')) continue;
    const [head, tail] = [k.slice(0, k.indexOf('.')), k.slice(k.indexOf('.') + 1)];
    nested.set(head, [...(nested.get(head) ?? []), [tail, v]]);
  }
  const block = (level: string, list: ReadonlyArray<[string, string]>, sub: Map<string, Array<[string, string]>>): string =>
    [...list.map(([k, v]) => `${eol}${level}${k}: ${v}`), ...[...sub].map(([k, l]) => `${eol}${level}${k}:${l.map(([kk, vv]) => `${eol}${level}  ${kk}: ${vv}`).join('')}`)].join('');
  if (!sc) {
    const at = contentEnd(doc, c.node.range[1]);
    return [{ file: doc.path, start: at, end: at, newText: `${eol}${indent}securityContext:${block(`${indent}  `, flat, nested)}` }];
  }
  if (!isMap(sc.value)) return undefined;
  const edits = setInMap(doc, sc.value, flat);
  if (!edits) return undefined;
  for (const [head, list] of nested) {
    const child = pairOf(sc.value, head);
    if (child) {
      if (!isMap(child.value)) return undefined;
      const more = setInMap(doc, child.value, list);
      if (!more) return undefined;
      edits.push(...more);
    } else {
      const scIndent = keyIndent(doc, sc.value);
      if (scIndent === undefined || !sc.value.range) return undefined;
      const at = contentEnd(doc, sc.value.range[1]);
      edits.push({ file: doc.path, start: at, end: at, newText: block(scIndent, [], new Map([[head, list]])) });
    }
  }
  return mergeInsertions(edits);
}

/** Insertions at the same offset, joined into one edit (in order). */
function mergeInsertions(edits: FileEdit[]): FileEdit[] {
  const out: FileEdit[] = [];
  for (const e of edits) {
    const same = out.find((x) => x.start === e.start && x.end === e.start && e.end === e.start);
    if (same) same.newText += e.newText;
    else out.push({ ...e });
  }
  return out;
}

/** A fix from edits (none when the edits could not be made). */
export function fixOf(title: string, edits: FileEdit[] | undefined): FixSpec | undefined {
  return edits && edits.length > 0 ? { title, edits } : undefined;
}

/** A container's setting, falling back to the pod's `securityContext` for the keys a pod can set. */
export function effective(o: K8sObject, c: K8sContainer, key: string): { value: ReturnType<typeof scalarAt>; pair: Pair<Node, Node | null> | undefined } {
  const own = mapAt(c.node, 'securityContext');
  const p = pairOf(own, key);
  if (p) return { value: scalarAt(own, key), pair: p };
  const pod = mapAt(o.podSpec, 'securityContext');
  return { value: scalarAt(pod, key), pair: pairOf(pod, key) };
}

/** The items of a sequence in the object's pod spec (e.g. `volumes`). */
export function seqAtPod(o: K8sObject, key: string): unknown[] {
  return seqAt(o.podSpec, key)?.items ?? [];
}

/** `"api" in Deployment/web`, for messages about a container. */
export function containerLabel(o: K8sObject, c: K8sContainer): string {
  return `"${c.name || '(unnamed)'}" in ${o.kind}/${o.name || '(unnamed)'}`;
}

/**
 * The check shared by the boolean `securityContext` settings of containers: a container whose `key` is not `want`
 * is reported on the setting (`messageIds.wrong`) or, when it is missing, where it belongs (`messageIds.missing`),
 * with a fix that sets it. Unknown values (aliases) are never findings.
 */
export function checkContainerFlag(ctx: KubernetesRuleContext, key: string, want: boolean, messageIds: { wrong: string; missing: string }): void {
  const { doc } = ctx;
  for (const o of doc.objects) {
    for (const c of o.containers) {
      const sc = mapAt(c.node, 'securityContext');
      const v = scalarAt(sc, key);
      if (v === want || v === 'unknown') continue;
      ctx.report({
        span: v === undefined ? anchor(c, ['securityContext']) : pairSpan(pairOf(sc, key)!),
        messageId: v === undefined ? messageIds.missing : messageIds.wrong,
        subject: containerSubject(o, c),
        data: { name: containerLabel(o, c) },
        fix: fixOf(`Set ${key}: ${want}`, setInSecurityContext(doc, c, [[key, String(want)]])),
      });
    }
  }
}
