// Reads AWS policy documents (IAM, bucket, key, queue, topic, repository and trust policies) into
// statements, whatever way the Terraform source writes them: a JSON string (quoted or heredoc, with
// `${...}` interpolations), `jsonencode({...})`, or `data.aws_iam_policy_document.x.json`.
// Parts that cannot be known before apply stay `Unknown`; they never make a finding on their own.

import type { Attribute, Block, Expr, TemplatePart } from '../../documents/terraform/ast';
import type { AttrView, BodyView, TerraformModel, TfResource } from '../../documents/terraform/model';
import { isObject, isUnknown, Unknown, type Value } from '../../documents/terraform/values';
import type { TerraformRuleContext } from '../../engine/rule';

/** A string from the policy, or `Unknown` when it depends on something not known before apply. */
export type PStr = string | Unknown;

/** One principal: `"*"` is `{ type: '*', id: '*' }`; `{"AWS": "arn"}` is `{ type: 'AWS', id: 'arn' }`. */
export interface PolicyPrincipal {
  type: PStr;
  id: PStr;
}

/** One condition: `{"StringEquals": {"aws:SourceAccount": ["1"]}}` is `{ test: 'StringEquals', variable: 'aws:SourceAccount', values: ['1'] }`. */
export interface PolicyCondition {
  test: PStr;
  variable: PStr;
  values: PStr[] | Unknown;
}

/** A policy statement; list fields are `undefined` when the element is absent and `Unknown` when it is wholly unknown. */
export interface PolicyStatement {
  sid: PStr | undefined;
  effect: PStr;
  principals: PolicyPrincipal[] | Unknown | undefined;
  notPrincipals: PolicyPrincipal[] | Unknown | undefined;
  actions: PStr[] | Unknown | undefined;
  notActions: PStr[] | Unknown | undefined;
  resources: PStr[] | Unknown | undefined;
  notResources: PStr[] | Unknown | undefined;
  conditions: PolicyCondition[] | Unknown | undefined;
}

export interface Policy {
  statements: PolicyStatement[];
  /** False when some statements may be missing (unknown or dynamic parts, unreadable source documents). */
  complete: boolean;
  /** The `aws_iam_policy_document` data source the statements came from, when the policy refers to one. */
  document?: TfResource;
}

const MAX_DOC_DEPTH = 4;

// ---------------------------------------------------------------------------------------------
// Entry points

/**
 * Reads the policy held by `attr` (an attribute of `view`). Returns undefined when nothing of the
 * policy can be known (a variable without default, `file(...)`, a template directive, invalid JSON).
 */
export function readPolicy(model: TerraformModel, view: BodyView, attr: AttrView): Policy | undefined {
  return readExpr(model, view, attr, attr.node.expr, 0);
}

/** Reads the policy in the attribute `name` of `view`, if the attribute is present. */
export function readPolicyAttr(model: TerraformModel, view: BodyView, name: string): { attr: AttrView; policy: Policy | undefined } | undefined {
  const attr = view.attr(name);
  if (!attr) return undefined;
  return { attr, policy: readPolicy(model, view, attr) };
}

/** How a policy document data source is read. */
export interface DocumentOptions {
  /**
   * Whether statements of other `aws_iam_policy_document` data sources named in
   * `source_policy_documents`/`override_policy_documents` are merged in (default true). JSON strings
   * written there are always read.
   */
  followDocuments?: boolean;
}

/** Converts the `statement` blocks of a `data "aws_iam_policy_document"` (and its source/override documents). */
export function readPolicyDocument(model: TerraformModel, doc: TfResource, options: DocumentOptions = {}): Policy {
  return readDocument(model, doc, 0, options.followDocuments ?? true);
}

function readDocument(model: TerraformModel, doc: TfResource, depth: number, follow: boolean): Policy {
  const out: Policy = { statements: [], complete: true, document: doc };
  if (depth > MAX_DOC_DEPTH) return { statements: [], complete: false, document: doc };
  // Source documents come first; the document's own statements replace those with the same sid.
  for (const name of ['source_policy_documents', 'source_json']) merge(out, sourcesOf(model, doc, name, depth, follow));
  const { views, uncertain } = certainBlocks(doc, 'statement');
  if (uncertain) out.complete = false;
  const own: PolicyStatement[] = views.map((st) => statementFromBlock(st));
  mergeStatements(out, own);
  for (const name of ['override_policy_documents', 'override_json']) merge(out, sourcesOf(model, doc, name, depth, follow));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Judging statements

export const isKnown = (v: PStr | undefined): v is string => typeof v === 'string';
const lower = (v: PStr | undefined): string | undefined => (typeof v === 'string' ? v.toLowerCase() : undefined);

/** True when the statement's effect is known to be Allow. */
export function isAllow(s: PolicyStatement): boolean {
  return lower(s.effect) === 'allow';
}

/** True when the statement's effect is known to be Deny. */
export function isDeny(s: PolicyStatement): boolean {
  return lower(s.effect) === 'deny';
}

/** True when a list holds a known value that satisfies `p`. */
export function someKnown(list: PStr[] | Unknown | undefined, p: (s: string) => boolean): boolean {
  return Array.isArray(list) && list.some((x) => isKnown(x) && p(x));
}

/** True when the principal is everybody: `"*"` or `{"AWS": "*"}`. */
export function isAnyonePrincipal(p: PolicyPrincipal): boolean {
  if (p.id !== '*') return false;
  return p.type === '*' || (typeof p.type === 'string' && p.type.toLowerCase() === 'aws');
}

/** True when the statement is known to apply to everybody (`Principal: "*"`, `{"AWS": "*"}`, or an Allow with `NotPrincipal`). */
export function appliesToAnyone(s: PolicyStatement): boolean {
  if (Array.isArray(s.principals) && s.principals.some(isAnyonePrincipal)) return true;
  if (isAllow(s) && Array.isArray(s.notPrincipals) && s.notPrincipals.length > 0) return true;
  return false;
}

/**
 * Condition keys that tie a statement to a known account, organisation, resource or network endpoint.
 * A source IP range is not among them: it lets anybody behind that address in without authentication.
 */
const RESTRICTING_KEYS = new Set([
  'aws:sourcearn',
  'aws:sourceaccount',
  'aws:sourceowner',
  'aws:sourceorgid',
  'aws:sourceorgpaths',
  'aws:principalorgid',
  'aws:principalorgpaths',
  'aws:principalaccount',
  'aws:principalarn',
  'aws:principalservicename',
  'aws:sourcevpc',
  'aws:sourcevpce',
  'aws:userid',
  'aws:username',
  'kms:calleraccount',
  's3:dataaccesspointaccount',
  's3:dataaccesspointarn',
]);

/**
 * How the conditions of a statement limit who it applies to: `restricted` when one of them narrows the
 * principals to a known account/organisation/resource, `open` when none does, `unknown` when they
 * cannot be read.
 */
export function principalRestriction(s: PolicyStatement): 'restricted' | 'open' | 'unknown' {
  if (s.conditions === undefined) return 'open';
  if (isUnknown(s.conditions)) return 'unknown';
  let unknown = false;
  for (const c of s.conditions) {
    if (!isKnown(c.test) || !isKnown(c.variable)) {
      unknown = true;
      continue;
    }
    const test = c.test.replace(/^for(any|all)value:/i, '');
    const key = c.variable.toLowerCase();
    if (!RESTRICTING_KEYS.has(key)) continue;
    // Negated operators, `...IfExists` (passes when the key is absent) and `Null` do not narrow anything.
    if (/not|ifexists$/i.test(test) || /^null$/i.test(test) || /^bool$/i.test(test)) continue;
    if (isUnknown(c.values)) return 'restricted';
    if (c.values.length === 0) continue;
    if (c.values.every((v) => isKnown(v) && v.trim() === '*')) continue;
    return 'restricted';
  }
  return unknown ? 'unknown' : 'open';
}

/**
 * True when the statement is known to grant something to everybody without a condition that narrows
 * who may use it.
 */
export function isPublicGrant(s: PolicyStatement): boolean {
  return isAllow(s) && appliesToAnyone(s) && principalRestriction(s) === 'open';
}

/** The values a statement's conditions give to `key` under an operator matching `test` (case-insensitive). */
export function conditionValues(s: PolicyStatement, test: RegExp, key: string): PStr[] | Unknown | undefined {
  if (s.conditions === undefined) return undefined;
  if (isUnknown(s.conditions)) return s.conditions;
  const out: PStr[] = [];
  let found = false;
  for (const c of s.conditions) {
    if (!isKnown(c.test) || !isKnown(c.variable)) return Unknown.plain;
    if (!test.test(c.test) || c.variable.toLowerCase() !== key.toLowerCase()) continue;
    found = true;
    if (isUnknown(c.values)) return c.values;
    out.push(...c.values);
  }
  return found ? out : undefined;
}

// ---------------------------------------------------------------------------------------------
// Reading expressions

function readExpr(model: TerraformModel, view: BodyView, attr: AttrView, expr: Expr, depth: number): Policy | undefined {
  if (depth > MAX_DOC_DEPTH) return undefined;
  switch (expr.kind) {
    case 'paren':
      return readExpr(model, view, attr, expr.expr, depth + 1);
    case 'template':
    case 'heredoc': {
      const parts = expr.parts;
      if (parts.length === 1 && parts[0]!.kind === 'interp') return readExpr(model, view, attr, parts[0]!.expr, depth + 1);
      const parsed = parseTemplateJson(view, parts);
      return parsed === undefined ? undefined : fromJson(parsed);
    }
    case 'call':
      if (expr.name === 'jsonencode' && expr.args.length === 1) {
        return fromJson(view.evaluate(expr.args[0]!));
      }
      break;
    default:
      break;
  }
  const value = view.evaluate(expr);
  if (typeof value === 'string') {
    const parsed = parseJson(value);
    return parsed === undefined ? undefined : fromJson(parsed);
  }
  if (isUnknown(value)) {
    const docs = referencedDocuments(model, attr, value);
    if (docs.length === 1) return readDocument(model, docs[0]!, depth + 1, true);
  }
  return undefined;
}

/** The policy documents an unknown value comes from, when it comes from nothing else. */
function referencedDocuments(model: TerraformModel, attr: AttrView, value: Unknown): TfResource[] {
  if (value.refs.length !== 1) return [];
  const view: AttrView = { file: attr.file, node: attr.node, span: attr.span, value };
  return model.referencedBy(view).filter((r) => r.mode === 'data' && r.type === 'aws_iam_policy_document');
}

function documentByAddress(model: TerraformModel, address: string): TfResource | undefined {
  return model.dataOfType('aws_iam_policy_document').find((d) => d.address === address);
}

/** The statements of one `source_policy_documents`/`override_policy_documents`-like attribute. */
function sourcesOf(model: TerraformModel, doc: TfResource, name: string, depth: number, follow: boolean): Policy | undefined {
  const a = doc.attr(name);
  if (!a) return undefined;
  const items: Value[] = Array.isArray(a.value) ? a.value : [a.value];
  const out: Policy = { statements: [], complete: true };
  for (const item of items) {
    if (typeof item === 'string') {
      const parsed = parseJson(item);
      const p = parsed === undefined ? undefined : fromJson(parsed);
      if (p) merge(out, p);
      else out.complete = false;
    } else if (isUnknown(item)) {
      const src = follow && item.refs.length === 1 ? documentByAddress(model, item.refs[0]!) : undefined;
      if (src && src.address !== doc.address) merge(out, readDocument(model, src, depth + 1, follow));
      else out.complete = false;
    } else if (item !== null) out.complete = false;
  }
  return out;
}

function merge(into: Policy, from: Policy | undefined): void {
  if (!from) return;
  if (!from.complete) into.complete = false;
  mergeStatements(into, from.statements);
}

/** Adds statements; one with a known sid replaces an earlier one with the same sid. */
function mergeStatements(into: Policy, statements: PolicyStatement[]): void {
  for (const s of statements) {
    if (isKnown(s.sid) && s.sid !== '') {
      const i = into.statements.findIndex((x) => x.sid === s.sid);
      if (i >= 0) {
        into.statements[i] = s;
        continue;
      }
    }
    into.statements.push(s);
  }
}

// ---------------------------------------------------------------------------------------------
// JSON templates with interpolations

const MARK = '__iso27017_unknown_';
const MARK_RE = /__iso27017_unknown_(\d+)__/;

interface Marked {
  text: string;
  unknowns: Unknown[];
}

/**
 * Builds the JSON text of a template, evaluating each interpolation. A known value is inserted as
 * text (escaped inside a JSON string); an unknown one becomes a placeholder that parses as a string.
 */
function parseTemplateJson(view: BodyView, parts: TemplatePart[]): Value | undefined {
  const m: Marked = { text: '', unknowns: [] };
  let inString = false;
  let escaped = false;
  const scan = (s: string): void => {
    for (const ch of s) {
      if (escaped) escaped = false;
      else if (ch === '\\' && inString) escaped = true;
      else if (ch === '"') inString = !inString;
    }
  };
  for (const p of parts) {
    if (p.kind === 'directive') return undefined;
    if (p.kind === 'text') {
      m.text += p.value;
      scan(p.value);
      continue;
    }
    const v = view.evaluate(p.expr);
    let s: string | undefined;
    if (typeof v === 'string') s = v;
    else if (typeof v === 'number' || typeof v === 'boolean') s = String(v);
    if (s === undefined) {
      const u = isUnknown(v) ? v : Unknown.plain;
      const token = `${MARK}${m.unknowns.length}__`;
      m.unknowns.push(u);
      m.text += inString ? token : `"${token}"`;
    } else if (inString) {
      m.text += JSON.stringify(s).slice(1, -1);
    } else {
      m.text += s;
      scan(s);
    }
  }
  const parsed = parseJson(m.text);
  if (parsed === undefined) return undefined;
  return m.unknowns.length > 0 ? restoreUnknowns(parsed, m.unknowns, 0) : parsed;
}

/** Turns strings holding a placeholder back into unknown values. */
function restoreUnknowns(v: Value, unknowns: Unknown[], depth: number): Value {
  if (depth > 64) return v;
  if (typeof v === 'string') {
    const match = MARK_RE.exec(v);
    return match ? (unknowns[Number(match[1])] ?? Unknown.plain) : v;
  }
  if (Array.isArray(v)) return v.map((x) => restoreUnknowns(x, unknowns, depth + 1));
  if (isObject(v)) {
    const out: Record<string, Value> = {};
    for (const [k, x] of Object.entries(v)) {
      if (MARK_RE.test(k)) return Unknown.plain;
      out[k] = restoreUnknowns(x, unknowns, depth + 1);
    }
    return out;
  }
  return v;
}

function parseJson(text: string): Value | undefined {
  try {
    return JSON.parse(text) as Value;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// JSON policy → statements

function fromJson(v: Value): Policy | undefined {
  if (isUnknown(v) || !isObject(v)) return undefined;
  const st = getKey(v, 'Statement');
  if (st === undefined) return { statements: [], complete: true };
  if (isUnknown(st)) return { statements: [], complete: false };
  const list = Array.isArray(st) ? st : [st];
  const out: Policy = { statements: [], complete: true };
  for (const s of list) {
    if (!isObject(s)) {
      out.complete = false;
      continue;
    }
    out.statements.push(statementFromJson(s));
  }
  return out;
}

/** Reads a JSON key case-insensitively (policy element names are case-sensitive in AWS, but tolerate variants). */
function getKey(o: Record<string, Value>, key: string): Value | undefined {
  if (Object.prototype.hasOwnProperty.call(o, key)) return o[key];
  const k = Object.keys(o).find((x) => x.toLowerCase() === key.toLowerCase());
  return k === undefined ? undefined : o[k];
}

function pstr(v: Value | undefined): PStr {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return isUnknown(v) ? v : Unknown.plain;
}

function strList(v: Value | undefined): PStr[] | Unknown | undefined {
  if (v === undefined || v === null) return undefined;
  if (isUnknown(v)) return v;
  if (Array.isArray(v)) return v.map(pstr);
  return [pstr(v)];
}

function principalsFromJson(v: Value | undefined): PolicyPrincipal[] | Unknown | undefined {
  if (v === undefined || v === null) return undefined;
  if (isUnknown(v)) return v;
  if (typeof v === 'string') return [{ type: '*', id: v }];
  if (!isObject(v)) return Unknown.plain;
  const out: PolicyPrincipal[] = [];
  for (const [type, ids] of Object.entries(v)) {
    const list = strList(ids);
    if (list === undefined) continue;
    if (isUnknown(list)) out.push({ type, id: list });
    else for (const id of list) out.push({ type, id });
  }
  return out;
}

function conditionsFromJson(v: Value | undefined): PolicyCondition[] | Unknown | undefined {
  if (v === undefined || v === null) return undefined;
  if (isUnknown(v) || !isObject(v)) return isUnknown(v) ? v : Unknown.plain;
  const out: PolicyCondition[] = [];
  for (const [test, body] of Object.entries(v)) {
    if (isUnknown(body) || !isObject(body)) {
      out.push({ test, variable: Unknown.plain, values: Unknown.plain });
      continue;
    }
    for (const [variable, values] of Object.entries(body)) {
      const list = strList(values);
      out.push({ test, variable, values: list === undefined ? [] : list });
    }
  }
  return out;
}

function statementFromJson(s: Record<string, Value>): PolicyStatement {
  const sid = getKey(s, 'Sid');
  const effect = getKey(s, 'Effect');
  return {
    sid: sid === undefined ? undefined : pstr(sid),
    effect: effect === undefined ? Unknown.plain : pstr(effect),
    principals: principalsFromJson(getKey(s, 'Principal')),
    notPrincipals: principalsFromJson(getKey(s, 'NotPrincipal')),
    actions: strList(getKey(s, 'Action')),
    notActions: strList(getKey(s, 'NotAction')),
    resources: strList(getKey(s, 'Resource')),
    notResources: strList(getKey(s, 'NotResource')),
    conditions: conditionsFromJson(getKey(s, 'Condition')),
  };
}

// ---------------------------------------------------------------------------------------------
// aws_iam_policy_document statement blocks → statements

/**
 * The nested blocks of `type` that certainly exist: written blocks, and blocks of `dynamic "type"`
 * whose `for_each` is known. `uncertain` is true when a dynamic block may add blocks we cannot see.
 */
function certainBlocks(view: BodyView, type: string): { views: BodyView[]; uncertain: boolean } {
  const unknownContents = new Set<Block>();
  for (const it of view.block.body.items) {
    if (it.kind !== 'block' || it.type !== 'dynamic' || it.labels[0]?.value !== type) continue;
    const content = it.body.items.find((b): b is Block => b.kind === 'block' && b.type === 'content');
    const fe = it.body.items.find((a): a is Attribute => a.kind === 'attribute' && a.name === 'for_each');
    const coll = fe ? view.evaluate(fe.expr) : Unknown.plain;
    const known = Array.isArray(coll) ? !coll.some(isUnknown) : isObject(coll);
    if (!known) {
      if (content) unknownContents.add(content);
      else unknownContents.add(it);
    }
  }
  const views = view.blocks(type).filter((v) => !unknownContents.has(v.block));
  return { views, uncertain: unknownContents.size > 0 };
}

function attrList(view: BodyView, name: string): PStr[] | Unknown | undefined {
  const a = view.attr(name);
  return a ? strList(a.value) : undefined;
}

function principalsFromBlocks(st: BodyView, type: string): PolicyPrincipal[] | Unknown | undefined {
  const { views: blocks, uncertain } = certainBlocks(st, type);
  if (blocks.length === 0) return uncertain ? Unknown.plain : undefined;
  // Principals a dynamic block may add are unknown; the ones that are certain still count.
  const out: PolicyPrincipal[] = uncertain ? [{ type: Unknown.plain, id: Unknown.plain }] : [];
  for (const b of blocks) {
    const t = b.attr('type');
    const ptype = t ? pstr(t.value) : Unknown.plain;
    const ids = attrList(b, 'identifiers');
    if (ids === undefined) continue;
    if (isUnknown(ids)) out.push({ type: ptype, id: ids });
    else for (const id of ids) out.push({ type: ptype, id });
  }
  return out;
}

function conditionsFromBlocks(st: BodyView): PolicyCondition[] | Unknown | undefined {
  // Conditions that may or may not exist make the whole condition set unknown.
  if (st.hasDynamic('condition')) return Unknown.plain;
  const blocks = st.blocks('condition');
  if (blocks.length === 0) return undefined;
  return blocks.map((b) => {
    const test = b.attr('test');
    const variable = b.attr('variable');
    const values = attrList(b, 'values');
    return {
      test: test ? pstr(test.value) : Unknown.plain,
      variable: variable ? pstr(variable.value) : Unknown.plain,
      values: values === undefined ? [] : values,
    };
  });
}

function statementFromBlock(st: BodyView): PolicyStatement {
  const sid = st.attr('sid');
  const effect = st.attr('effect');
  return {
    sid: sid ? pstr(sid.value) : undefined,
    effect: effect ? pstr(effect.value) : 'Allow',
    principals: principalsFromBlocks(st, 'principals'),
    notPrincipals: principalsFromBlocks(st, 'not_principals'),
    actions: attrList(st, 'actions'),
    notActions: attrList(st, 'not_actions'),
    resources: attrList(st, 'resources'),
    notResources: attrList(st, 'not_resources'),
    conditions: conditionsFromBlocks(st),
  };
}

/**
 * Reports a policy finding on the resource's `policy` attribute, with the policy document (when the policy
 * comes from a `data "aws_iam_policy_document"`) as a related location described by `docMessage`.
 */
export function reportOnPolicy(ctx: TerraformRuleContext, res: TfResource, read: { attr: AttrView; policy: Policy }, docMessage: string): void {
  const doc = read.policy.document;
  ctx.report({
    resource: res,
    messageId: 'incorrect',
    span: read.attr.span,
    file: read.attr.file,
    related: doc ? [{ file: doc.file, span: doc.headerSpan, message: docMessage }] : undefined,
  });
}

/**
 * The shared check of the "resource policy open to everyone" rules: every resource of `types` whose
 * `policy` allows Principal "*" without a narrowing condition, reported on the `policy` attribute.
 */
export function reportPublicPolicies(ctx: TerraformRuleContext, types: string[]): void {
  for (const res of ctx.model.resourcesOfType(...types)) {
    const read = readPolicyAttr(ctx.model, res, 'policy');
    if (!read || !read.policy || !read.policy.statements.some(isPublicGrant)) continue;
    reportOnPolicy(ctx, res, { attr: read.attr, policy: read.policy }, 'policy document granting access to "*"');
  }
}
