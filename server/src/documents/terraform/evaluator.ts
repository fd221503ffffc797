// Project-wide Terraform evaluation: module instances, variables, locals, resources, count/for_each, module calls.
// Evaluation is lazy and memoised; cycles, missing names and unsupported features give unknown values, never errors.

import type { Attribute, Block, Body, Expr, HclFile, Span, TemplatePart } from './ast';
import { joinPath } from '../../engine/paths';
import { callFunction, deepEqual, EvalError } from './functions';
import type { AttrView, BodyView, TerraformModel, TfResource } from './model';
import { asBool, asNumber, asString, isObject, isUnknown, isWhollyKnown, refsOf, Unknown, type ObjectValue, type Value } from './values';

/** One parsed file of a module directory. */
export interface ModuleFile {
  path: string;
  ast: HclFile;
}

/** A module directory: its `.tf` files and (for roots) the auto-loaded tfvars files. */
export interface ModuleSource {
  dir: string;
  files: ModuleFile[];
  tfvars: ModuleFile[];
}

/** Finds the parsed module for a directory (pure: the project already holds every file). */
export type ModuleResolver = (dir: string) => ModuleSource | undefined;

/** A module `terraform init` installed (from a registry, git, …), as its root's module manifest lists it. */
export interface InstalledModule {
  /** Where its files are. */
  dir: string;
  /** The `source` it was installed from, e.g. `registry.terraform.io/terraform-aws-modules/vpc/aws`. */
  source: string;
  version?: string;
}

/** Finds an installed module by its root module's folder and its key (`vpc`, `vpc.nested`: the call names). */
export type InstalledModuleResolver = (rootDir: string, key: string) => InstalledModule | undefined;

const MAX_MODULE_DEPTH = 8;
const MAX_INSTANCES = 256;
const MAX_EVAL_DEPTH = 200;

// ---------------------------------------------------------------------------------------------
// Lazy references: names that stand for things evaluated on demand (resources, modules, namespaces).

abstract class Lazy {
  abstract getAttr(name: string): Value | Lazy;
  index(_key: Value): Value | Lazy {
    return this.toValue();
  }
  abstract toValue(): Value;
}

class NamespaceRef extends Lazy {
  constructor(private readonly get: (name: string) => Value | Lazy) {
    super();
  }
  getAttr(name: string): Value | Lazy {
    return this.get(name);
  }
  toValue(): Value {
    return Unknown.plain;
  }
}

// ---------------------------------------------------------------------------------------------

interface Scope {
  module: ModuleInstance;
  count?: Value;
  each?: { key: Value; value: Value };
  self?: ResourceInstance;
  vars?: Map<string, Value>;
}

interface ResourceDecl {
  mode: 'managed' | 'data';
  type: string;
  name: string;
  block: Block;
  file: string;
  address: string;
}

function spanOf(node: Span): Span {
  return { start: node.start, end: node.end };
}

function findAttr(body: Body, name: string): Attribute | undefined {
  for (const it of body.items) if (it.kind === 'attribute' && it.name === name) return it;
  return undefined;
}

/** An evaluated module instance (the root, or one instance of a module call). */
export class ModuleInstance {
  readonly resources: ResourceInstance[] = [];
  readonly children: ModuleInstance[] = [];
  private readonly variables = new Map<string, { block: Block; file: string }>();
  private readonly locals = new Map<string, { attr: Attribute; file: string }>();
  private readonly outputs = new Map<string, { block: Block; file: string }>();
  private readonly decls = new Map<string, ResourceDecl>();
  private readonly instancesByAddress = new Map<string, ResourceInstance[]>();
  private readonly calls = new Map<string, { block: Block; file: string; instances: ModuleInstance[] | undefined }>();
  private readonly memo = new Map<string, Value | typeof IN_PROGRESS>();
  private readonly tfvars = new Map<string, { attr: Attribute; file: string }>();

  constructor(
    readonly model: Model,
    readonly source: ModuleSource,
    /** Module call names from the root. */
    readonly path: readonly string[],
    /** Input expressions from the calling module, evaluated in the caller's scope. */
    readonly inputs: Map<string, () => Value>,
    readonly isRoot: boolean,
    /** The calling module instance (none for a root). */
    readonly parent?: ModuleInstance,
    /** Set when this instance's code is a module `terraform init` installed. */
    readonly installed?: InstalledModule,
  ) {
    this.prefix = path.map((p) => `module.${p}.`).join('');
    for (const f of source.files) this.collect(f);
    if (isRoot) {
      for (const f of source.tfvars) {
        for (const it of f.ast.body.items) if (it.kind === 'attribute') this.tfvars.set(it.name, { attr: it, file: f.path });
      }
    }
  }

  readonly prefix: string;

  private collect(f: ModuleFile): void {
    for (const it of f.ast.body.items) {
      if (it.kind !== 'block') continue;
      const l0 = it.labels[0]?.value;
      const l1 = it.labels[1]?.value;
      switch (it.type) {
        case 'variable':
          if (l0 !== undefined) this.variables.set(l0, { block: it, file: f.path });
          break;
        case 'locals':
          for (const a of it.body.items) if (a.kind === 'attribute') this.locals.set(a.name, { attr: a, file: f.path });
          break;
        case 'output':
          if (l0 !== undefined) this.outputs.set(l0, { block: it, file: f.path });
          break;
        case 'resource':
        case 'data':
          if (l0 !== undefined && l1 !== undefined) {
            const mode = it.type === 'resource' ? 'managed' : 'data';
            const key = `${mode === 'data' ? 'data.' : ''}${l0}.${l1}`;
            if (!this.decls.has(key)) this.decls.set(key, { mode, type: l0, name: l1, block: it, file: f.path, address: this.prefix + key });
          }
          break;
        case 'module':
          if (l0 !== undefined) this.calls.set(l0, { block: it, file: f.path, instances: undefined });
          break;
        default:
          break;
      }
    }
  }

  /** Creates resource instances and child module instances. */
  expand(depth: number): void {
    for (const decl of this.decls.values()) {
      const instances = this.instantiate(decl);
      this.instancesByAddress.set(decl.address, instances);
      this.resources.push(...instances);
    }
    if (depth >= MAX_MODULE_DEPTH) return;
    for (const [name, call] of this.calls) {
      call.instances = this.callModule(name, call.block, call.file, depth);
      this.children.push(...call.instances);
    }
  }

  private scope(): Scope {
    return { module: this };
  }

  /** Expands count/for_each into instances; unknown repetition gives one instance with unknown keys. */
  private instantiate(decl: ResourceDecl): ResourceInstance[] {
    const count = findAttr(decl.block.body, 'count');
    const forEach = findAttr(decl.block.body, 'for_each');
    if (count) {
      const n = asNumber(this.model.eval(count.expr, this.scope()));
      if (isUnknown(n)) return [new ResourceInstance(this, decl, { count: Unknown.plain })];
      const k = Math.max(0, Math.min(MAX_INSTANCES, Math.trunc(n)));
      return Array.from({ length: k }, (_, i) => new ResourceInstance(this, decl, { count: i }, i));
    }
    if (forEach) {
      const coll = this.model.eval(forEach.expr, this.scope());
      const entries = iterationEntries(coll);
      if (!entries) return [new ResourceInstance(this, decl, { each: { key: Unknown.plain, value: Unknown.of(coll) } })];
      return entries.slice(0, MAX_INSTANCES).map(([k, v]) => new ResourceInstance(this, decl, { each: { key: k, value: v } }, typeof k === 'number' ? k : String(k)));
    }
    return [new ResourceInstance(this, decl, {})];
  }

  private callModule(name: string, block: Block, file: string, depth: number): ModuleInstance[] {
    const srcAttr = findAttr(block.body, 'source');
    if (!srcAttr) return [];
    const src = this.model.eval(srcAttr.expr, this.scope());
    if (typeof src !== 'string') return [];
    let dir: string;
    let installed: InstalledModule | undefined;
    if (src.startsWith('./') || src.startsWith('../')) dir = joinPath(this.source.dir, src);
    else {
      // A registry, git, … source: evaluated only when `terraform init` installed it (nothing is downloaded).
      installed = this.model.installed?.(this.rootDir, [...this.path, name].join('.'));
      if (!installed) return [];
      dir = installed.dir;
    }
    const child = this.model.resolve(dir);
    if (!child) return [];
    const make = (extra: Partial<Scope>): ModuleInstance => {
      const inputs = new Map<string, () => Value>();
      for (const it of block.body.items) {
        if (it.kind !== 'attribute' || META_ARGS.has(it.name)) continue;
        inputs.set(it.name, () => this.model.eval(it.expr, { module: this, ...extra }));
      }
      const inst = new ModuleInstance(this.model, child, [...this.path, name], inputs, false, this, installed);
      inst.callSite = { file, block };
      return inst;
    };
    const count = findAttr(block.body, 'count');
    const forEach = findAttr(block.body, 'for_each');
    let instances: ModuleInstance[];
    if (count) {
      const n = asNumber(this.model.eval(count.expr, this.scope()));
      instances = isUnknown(n) ? [make({ count: Unknown.plain })] : Array.from({ length: Math.max(0, Math.min(16, Math.trunc(n))) }, (_, i) => make({ count: i }));
    } else if (forEach) {
      const coll = this.model.eval(forEach.expr, this.scope());
      const entries = iterationEntries(coll);
      instances = entries ? entries.slice(0, 16).map(([k, v]) => make({ each: { key: k, value: v } })) : [make({ each: { key: Unknown.plain, value: Unknown.of(coll) } })];
    } else {
      instances = [make({})];
    }
    for (const inst of instances) inst.expand(depth + 1);
    return instances;
  }

  callSite: { file: string; block: Block } | undefined;

  /** The folder of the root module this instance belongs to (where `terraform init` ran). */
  get rootDir(): string {
    return this.parent ? this.parent.rootDir : this.source.dir;
  }

  // ---- name resolution ----

  variable(name: string): Value {
    return this.memoised(`var.${name}`, () => {
      const input = this.inputs.get(name);
      if (input) return input();
      const tv = this.tfvars.get(name);
      if (tv) return this.model.eval(tv.attr.expr, { module: this });
      const decl = this.variables.get(name);
      const def = decl && findAttr(decl.block.body, 'default');
      if (def) return this.model.eval(def.expr, { module: this });
      return Unknown.plain;
    });
  }

  local(name: string): Value {
    return this.memoised(`local.${name}`, () => {
      const l = this.locals.get(name);
      // A reference to an undeclared name is a Terraform error; here it is simply not known.
      if (!l) return Unknown.plain;
      return this.model.eval(l.attr.expr, { module: this });
    });
  }

  output(name: string): Value {
    return this.memoised(`output.${name}`, () => {
      const o = this.outputs.get(name);
      const v = o && findAttr(o.block.body, 'value');
      if (!v) return Unknown.plain;
      return this.model.eval(v.expr, { module: this });
    });
  }

  resourceRef(key: string): Value | Lazy {
    const decl = this.decls.get(key);
    if (!decl) return Unknown.plain;
    const instances = this.instancesByAddress.get(decl.address) ?? [];
    return new ResourceRef(decl, instances);
  }

  moduleRef(name: string): Value | Lazy {
    const call = this.calls.get(name);
    if (!call) return Unknown.plain;
    const insts = call.instances;
    const addr = `${this.prefix}module.${name}`;
    if (!insts || insts.length === 0) return new Unknown([addr]);
    const one = insts[0]!;
    const isRepeated = !!(findAttr(call.block.body, 'count') || findAttr(call.block.body, 'for_each'));
    const outputs = (m: ModuleInstance): Lazy => new NamespaceRef((out) => m.output(out));
    if (!isRepeated) return outputs(one);
    return new (class extends Lazy {
      getAttr(): Value {
        return new Unknown([addr]);
      }
      override index(k: Value): Value | Lazy {
        if (typeof k === 'number' && insts[k]) return outputs(insts[k]!);
        return new Unknown([addr]);
      }
      toValue(): Value {
        return new Unknown([addr]);
      }
    })();
  }

  memoised(key: string, compute: () => Value): Value {
    const m = this.memo.get(key);
    if (m === IN_PROGRESS) return Unknown.plain;
    if (m !== undefined) return m;
    this.memo.set(key, IN_PROGRESS);
    let v: Value;
    try {
      v = compute();
    } catch (e) {
      this.memo.delete(key);
      throw e;
    }
    this.memo.set(key, v);
    return v;
  }
}

const IN_PROGRESS = Symbol('in progress');
const META_ARGS = new Set(['source', 'version', 'count', 'for_each', 'providers', 'depends_on']);

class ResourceRef extends Lazy {
  constructor(
    private readonly decl: ResourceDecl,
    private readonly instances: ResourceInstance[],
  ) {
    super();
  }
  getAttr(name: string): Value | Lazy {
    const inst = this.instances[0];
    const repeated = !!(findAttr(this.decl.block.body, 'count') || findAttr(this.decl.block.body, 'for_each'));
    if (repeated) return new Unknown([this.decl.address]); // `aws_x.y.attr` on a repeated resource is an error in Terraform.
    if (!inst) return new Unknown([this.decl.address]);
    return inst.referenceAttr(name);
  }
  override index(key: Value): Value | Lazy {
    const found = this.instances.find((i) => i.instanceKey !== undefined && (i.instanceKey === key || String(i.instanceKey) === String(key)));
    if (!found) {
      // Every instance is known (a known count or for_each) and none has this key: Terraform's "invalid index",
      // which `try()` skips (`try(aws_x.y[0].id, aws_z.w.id)` with `count = 0`). Elsewhere it is an unknown value.
      const repeated = !!(findAttr(this.decl.block.body, 'count') || findAttr(this.decl.block.body, 'for_each'));
      if (repeated && !isUnknown(key) && this.instances.every((i) => i.instanceKey !== undefined)) throw new EvalError(`${this.decl.address} has no instance ${String(key)}`);
      return new Unknown([this.decl.address]);
    }
    return new NamespaceRef((n) => found.referenceAttr(n));
  }
  toValue(): Value {
    return new Unknown([this.decl.address]);
  }
}

/** For `for_each`/`for`: key/value pairs of a known map or set, or undefined when unknown. */
function iterationEntries(coll: Value): Array<[Value, Value]> | undefined {
  if (isUnknown(coll)) return undefined;
  if (Array.isArray(coll)) {
    if (coll.some((x) => isUnknown(x))) return undefined;
    return coll.map((x, i) => [typeof x === 'string' ? x : i, x]);
  }
  if (isObject(coll)) return Object.keys(coll).map((k) => [k, coll[k]!]);
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Views over evaluated bodies.

class BodyViewImpl implements BodyView {
  private attrMemo = new Map<string, AttrView | null>();
  constructor(
    readonly file: string,
    readonly block: Block,
    protected readonly scopeOf: () => Scope,
    protected readonly model: Model,
  ) {}

  attr(name: string): AttrView | undefined {
    let v = this.attrMemo.get(name);
    if (v === undefined) {
      const node = findAttr(this.block.body, name);
      v = node ? { file: this.file, node, span: spanOf(node.expr), value: this.model.eval(node.expr, this.scopeOf()) } : null;
      this.attrMemo.set(name, v);
    }
    return v ?? undefined;
  }

  blocks(type: string): BodyView[] {
    const out: BodyView[] = [];
    for (const it of this.block.body.items) {
      if (it.kind !== 'block') continue;
      if (it.type === type) out.push(new BodyViewImpl(this.file, it, this.scopeOf, this.model));
      else if (it.type === 'dynamic' && it.labels[0]?.value === type) {
        const content = it.body.items.find((b): b is Block => b.kind === 'block' && b.type === 'content');
        if (!content) continue;
        const iterName = ((): string => {
          const a = findAttr(it.body, 'iterator');
          return a && a.expr.kind === 'variable' ? a.expr.name : type;
        })();
        const fe = findAttr(it.body, 'for_each');
        const coll = fe ? this.model.eval(fe.expr, this.scopeOf()) : Unknown.plain;
        const entries = iterationEntries(coll);
        const base = this.scopeOf;
        if (entries) {
          for (const [k, v] of entries.slice(0, 64)) {
            out.push(new BodyViewImpl(this.file, content, () => withVar(base(), iterName, { key: k, value: v }), this.model));
          }
        } else {
          out.push(new BodyViewImpl(this.file, content, () => withVar(base(), iterName, { key: Unknown.plain, value: Unknown.of(coll) }), this.model));
        }
      }
    }
    return out;
  }

  hasDynamic(type: string): boolean {
    return this.block.body.items.some((it) => it.kind === 'block' && it.type === 'dynamic' && it.labels[0]?.value === type);
  }

  get(path: string): AttrView | undefined {
    const steps = path.split('.');
    let view: BodyView = this;
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!;
      const a = view.attr(step);
      if (a) return descend(a, steps.slice(i + 1));
      const bs = view.blocks(step);
      if (bs.length === 0 || i === steps.length - 1) return undefined;
      view = bs[0]!;
    }
    return undefined;
  }

  evaluate(expr: Expr): Value {
    return this.model.eval(expr, this.scopeOf());
  }
}

function withVar(scope: Scope, name: string, value: Value): Scope {
  const vars = new Map(scope.vars ?? []);
  vars.set(name, value);
  return { ...scope, vars };
}

/** Follows the rest of a dotted path into an attribute's object value (`tags.Name`). */
function descend(a: AttrView, rest: string[]): AttrView | undefined {
  let value = a.value;
  let span: Span = a.span;
  let expr: Expr | undefined = a.node.expr;
  for (const step of rest) {
    if (isUnknown(value)) return { ...a, span, value };
    let next: Value | undefined;
    if (isObject(value)) next = Object.prototype.hasOwnProperty.call(value, step) ? value[step] : undefined;
    else if (Array.isArray(value) && /^\d+$/.test(step)) next = value[Number(step)];
    if (next === undefined) return undefined;
    value = next;
    if (expr && expr.kind === 'object') {
      const item: import('./ast').ObjectItem | undefined = expr.items.find((it) => it.keyName === step);
      expr = item?.value;
      if (item) span = spanOf(item.value);
    } else expr = undefined;
  }
  return { file: a.file, node: a.node, span, value };
}

export class ResourceInstance extends BodyViewImpl implements TfResource {
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  readonly address: string;
  readonly modulePath: readonly string[];
  readonly headerSpan: Span;

  constructor(
    readonly moduleInstance: ModuleInstance,
    decl: ResourceDecl,
    private readonly extra: Partial<Scope>,
    readonly instanceKey: number | string | undefined = undefined,
  ) {
    super(decl.file, decl.block, () => ({ module: moduleInstance, ...this.extra, self: this }), moduleInstance.model);
    this.mode = decl.mode;
    this.type = decl.type;
    this.name = decl.name;
    this.address = decl.address;
    this.modulePath = moduleInstance.path;
    const b = decl.block;
    const lastLabel = b.labels[b.labels.length - 1];
    this.headerSpan = { start: b.start, end: lastLabel ? lastLabel.end : b.typeSpan.end };
  }

  /** The value another resource sees for `this.<name>`: configured attributes are known, computed ones are not. */
  referenceAttr(name: string): Value | Lazy {
    if (COMPUTED.has(name)) return new Unknown([this.address]);
    const a = this.attr(name);
    if (a) return isUnknown(a.value) ? new Unknown([...a.value.refs, this.address]) : a.value;
    return new Unknown([this.address]);
  }
}

const COMPUTED = new Set(['id', 'arn', 'json', 'minified_json', 'self_link', 'name_prefix', 'bucket_domain_name', 'bucket_regional_domain_name', 'key_id', 'unique_id']);

// ---------------------------------------------------------------------------------------------

/** The evaluated model of one root module and its local module calls. */
export class Model implements TerraformModel {
  readonly roots: ModuleInstance[] = [];
  private all: ResourceInstance[] | undefined;
  private byType: Map<string, ResourceInstance[]> | undefined;
  private depth = 0;

  constructor(
    readonly resolve: ModuleResolver,
    readonly installed?: InstalledModuleResolver,
  ) {}

  addRoot(source: ModuleSource): ModuleInstance {
    const root = new ModuleInstance(this, source, [], new Map(), true);
    root.expand(0);
    this.roots.push(root);
    this.all = undefined;
    return root;
  }

  get resources(): ResourceInstance[] {
    if (!this.all) {
      const out: ResourceInstance[] = [];
      const walk = (m: ModuleInstance): void => {
        out.push(...m.resources);
        m.children.forEach(walk);
      };
      this.roots.forEach(walk);
      this.all = out;
      this.byType = new Map();
      for (const r of out) {
        const key = r.mode === 'data' ? `data.${r.type}` : r.type;
        const list = this.byType.get(key);
        if (list) list.push(r);
        else this.byType.set(key, [r]);
      }
    }
    return this.all;
  }

  /** Every module instance (roots and calls). */
  moduleInstances(): ModuleInstance[] {
    const out: ModuleInstance[] = [];
    const walk = (m: ModuleInstance): void => {
      out.push(m);
      m.children.forEach(walk);
    };
    this.roots.forEach(walk);
    return out;
  }

  resourcesOfType(...types: string[]): TfResource[] {
    void this.resources;
    return types.flatMap((t) => this.byType!.get(t) ?? []);
  }

  dataOfType(...types: string[]): TfResource[] {
    void this.resources;
    return types.flatMap((t) => this.byType!.get(`data.${t}`) ?? []);
  }

  linked(target: TfResource, type: string, via?: string[], names?: string[]): TfResource[] {
    const literalNames = new Set<string>();
    for (const n of names ?? []) {
      const a = target.attr(n);
      if (a && typeof a.value === 'string') literalNames.add(a.value);
    }
    return this.resourcesOfType(type).filter((r) => {
      const attrs = via ?? r.block.body.items.filter((i): i is Attribute => i.kind === 'attribute').map((i) => i.name);
      return attrs.some((name) => {
        const a = r.attr(name);
        if (!a) return false;
        if (refsOf(a.value).includes(target.address)) return true;
        return typeof a.value === 'string' && literalNames.has(a.value);
      });
    });
  }

  referencedBy(view: AttrView): TfResource[] {
    const refs = new Set(refsOf(view.value));
    if (refs.size === 0) return [];
    // One instance per address: the first, as for `aws_x.y` on a resource without count/for_each.
    const seen = new Set<string>();
    return this.resources.filter((r) => {
      if (!refs.has(r.address) || seen.has(r.address)) return false;
      seen.add(r.address);
      return true;
    });
  }

  // ---- expressions ----

  eval(expr: Expr, scope: Scope): Value {
    try {
      const v = this.evalAny(expr, scope);
      return v instanceof Lazy ? v.toValue() : v;
    } catch (e) {
      if (e instanceof EvalError || e instanceof RangeError) return Unknown.plain;
      throw e;
    }
  }

  private evalValue(expr: Expr, scope: Scope): Value {
    const v = this.evalAny(expr, scope);
    return v instanceof Lazy ? v.toValue() : v;
  }

  private evalAny(expr: Expr, scope: Scope): Value | Lazy {
    if (++this.depth > MAX_EVAL_DEPTH) {
      this.depth--;
      throw new EvalError('expression too deep');
    }
    try {
      return this.evalInner(expr, scope);
    } finally {
      this.depth--;
    }
  }

  private evalInner(expr: Expr, scope: Scope): Value | Lazy {
    switch (expr.kind) {
      case 'literal':
        return expr.value;
      case 'template':
      case 'heredoc':
        return this.template(expr.parts, scope);
      case 'paren':
        return this.evalAny(expr.expr, scope);
      case 'variable':
        return this.name(expr.name, scope);
      case 'getattr': {
        const obj = this.evalAny(expr.object, scope);
        return getAttr(obj, expr.name);
      }
      case 'index': {
        const obj = this.evalAny(expr.object, scope);
        const key = this.evalValue(expr.key, scope);
        if (obj instanceof Lazy) return isUnknown(key) ? Unknown.of(obj.toValue(), key) : obj.index(key);
        return indexValue(obj, key);
      }
      case 'splat': {
        const obj = this.evalValue(expr.object, scope);
        if (isUnknown(obj)) return obj;
        const items = Array.isArray(obj) ? obj : obj === null ? [] : [obj];
        return items.map((item) => {
          let v: Value | Lazy = item;
          for (const step of expr.steps) v = step.kind === 'attr' ? getAttr(v, step.name) : indexValue(v instanceof Lazy ? v.toValue() : v, this.evalValue(step.key, scope));
          return v instanceof Lazy ? v.toValue() : v;
        });
      }
      case 'call': {
        if (expr.name === 'try' || expr.name === 'can') {
          for (const a of expr.args) {
            try {
              const v = this.evalValue(a, scope);
              return expr.name === 'can' ? (isUnknown(v) ? v : true) : v;
            } catch (e) {
              if (!(e instanceof EvalError)) throw e;
            }
          }
          if (expr.name === 'can') return false;
          throw new EvalError('no try argument succeeded');
        }
        const args = expr.args.map((a) => this.evalValue(a, scope));
        if (expr.expandFinal && args.length > 0) {
          const last = args.pop()!;
          if (!Array.isArray(last)) return Unknown.of(last, ...args);
          args.push(...last);
        }
        return callFunction(expr.name, args);
      }
      case 'tuple':
        return expr.items.map((i) => this.evalValue(i, scope));
      case 'object': {
        const out: ObjectValue = {};
        for (const item of expr.items) {
          const key = item.keyName ?? this.evalValue(item.key, scope);
          if (isUnknown(key)) return Unknown.of(key);
          const k = asString(key);
          if (isUnknown(k)) return k;
          out[k] = this.evalValue(item.value, scope);
        }
        return out;
      }
      case 'conditional': {
        const c = asBool(this.evalValue(expr.condition, scope));
        if (c === true) return this.evalAny(expr.then, scope);
        if (c === false) return this.evalAny(expr.else, scope);
        // Either branch may be taken: one that fails (e.g. an index into `count = 0`) only counts as unknown.
        const branch = (e: Expr): Value => {
          try {
            return this.evalValue(e, scope);
          } catch (err) {
            if (err instanceof EvalError) return Unknown.plain;
            throw err;
          }
        };
        const a = branch(expr.then);
        const b = branch(expr.else);
        if (isWhollyKnown(a) && isWhollyKnown(b) && deepEqual(a, b)) return a;
        return Unknown.of(c, a, b);
      }
      case 'unary': {
        const v = this.evalValue(expr.operand, scope);
        if (isUnknown(v)) return v;
        if (expr.op === '!') {
          const b = asBool(v);
          return isUnknown(b) ? b : !b;
        }
        const n = asNumber(v);
        return isUnknown(n) ? n : -n;
      }
      case 'binary':
        return this.binary(expr.op, expr.left, expr.right, scope);
      case 'for':
        return this.forExpr(expr, scope);
      case 'invalid':
        return Unknown.plain;
    }
  }

  private binary(op: string, l: Expr, r: Expr, scope: Scope): Value {
    const a = this.evalValue(l, scope);
    if (op === '&&' || op === '||') {
      const ab = asBool(a);
      if (op === '&&' && ab === false) return false;
      if (op === '||' && ab === true) return true;
      const bb = asBool(this.evalValue(r, scope));
      if (isUnknown(ab) || isUnknown(bb)) {
        if (op === '&&' && bb === false) return false;
        if (op === '||' && bb === true) return true;
        return Unknown.of(ab, bb);
      }
      return op === '&&' ? ab && bb : ab || bb;
    }
    const b = this.evalValue(r, scope);
    if (op === '==' || op === '!=') {
      if (!isWhollyKnown(a) || !isWhollyKnown(b)) return Unknown.of(a, b);
      const eq = deepEqual(a, b) && typeof a === typeof b;
      return op === '==' ? eq : !eq;
    }
    const x = asNumber(a);
    const y = asNumber(b);
    if (isUnknown(x) || isUnknown(y)) return Unknown.of(a, b);
    switch (op) {
      case '<':
        return x < y;
      case '>':
        return x > y;
      case '<=':
        return x <= y;
      case '>=':
        return x >= y;
      case '+':
        return x + y;
      case '-':
        return x - y;
      case '*':
        return x * y;
      case '/':
        if (y === 0) throw new EvalError('division by zero');
        return x / y;
      case '%':
        if (y === 0) throw new EvalError('division by zero');
        return x % y;
      default:
        return Unknown.plain;
    }
  }

  private forExpr(expr: Extract<Expr, { kind: 'for' }>, scope: Scope): Value {
    const coll = this.evalValue(expr.collection, scope);
    const entries = iterationEntries(coll);
    if (!entries) return Unknown.of(coll);
    const tuple: Value[] = [];
    const object: ObjectValue = {};
    for (const [k, v] of entries.slice(0, 4096)) {
      const vars = new Map(scope.vars ?? []);
      if (expr.keyVar) vars.set(expr.keyVar, k);
      vars.set(expr.valueVar, v);
      const s: Scope = { ...scope, vars };
      if (expr.condition) {
        const c = asBool(this.evalValue(expr.condition, s));
        if (isUnknown(c)) return c;
        if (!c) continue;
      }
      if (!expr.object) {
        tuple.push(this.evalValue(expr.valueExpr, s));
        continue;
      }
      const key = asString(this.evalValue(expr.keyExpr!, s));
      if (isUnknown(key)) return key;
      const val = this.evalValue(expr.valueExpr, s);
      if (expr.grouping) {
        const prev = object[key];
        object[key] = Array.isArray(prev) ? [...prev, val] : [val];
      } else object[key] = val;
    }
    return expr.object ? object : tuple;
  }

  private template(parts: TemplatePart[], scope: Scope): Value {
    if (parts.length === 1 && parts[0]!.kind === 'interp') return this.evalValue(parts[0]!.expr, scope);
    let out = '';
    const unknowns: Value[] = [];
    for (const p of parts) {
      if (p.kind === 'text') out += p.value;
      else if (p.kind === 'directive') unknowns.push(Unknown.plain);
      else {
        const v = this.evalValue(p.expr, scope);
        const s = asString(v);
        if (isUnknown(s)) unknowns.push(isUnknown(v) ? v : s);
        else out += s;
      }
    }
    return unknowns.length > 0 ? Unknown.of(...unknowns) : out;
  }

  private name(name: string, scope: Scope): Value | Lazy {
    const local = scope.vars?.get(name);
    if (local !== undefined) return local;
    const m = scope.module;
    switch (name) {
      case 'var':
        return new NamespaceRef((n) => m.variable(n));
      case 'local':
        return new NamespaceRef((n) => m.local(n));
      case 'module':
        return new NamespaceRef((n) => m.moduleRef(n));
      case 'data':
        return new NamespaceRef((t) => new NamespaceRef((n) => m.resourceRef(`data.${t}.${n}`)));
      case 'count':
        return new NamespaceRef((n) => (n === 'index' && scope.count !== undefined ? scope.count : Unknown.plain));
      case 'each':
        return new NamespaceRef((n) => (scope.each ? (n === 'key' ? scope.each.key : n === 'value' ? scope.each.value : Unknown.plain) : Unknown.plain));
      case 'self':
        return scope.self ? new NamespaceRef((n) => scope.self!.referenceAttr(n)) : Unknown.plain;
      case 'path':
        return new NamespaceRef((n) => (n === 'module' ? m.source.dir : n === 'root' || n === 'cwd' ? Unknown.plain : Unknown.plain));
      case 'terraform':
        return new NamespaceRef((n) => (n === 'workspace' ? 'default' : Unknown.plain));
      default:
        return new NamespaceRef((n) => m.resourceRef(`${name}.${n}`));
    }
  }
}

function getAttr(obj: Value | Lazy, name: string): Value | Lazy {
  if (obj instanceof Lazy) return obj.getAttr(name);
  if (isUnknown(obj)) return obj;
  if (isObject(obj)) {
    if (Object.prototype.hasOwnProperty.call(obj, name)) return obj[name]!;
    throw new EvalError(`no attribute ${name}`);
  }
  if (Array.isArray(obj) && /^\d+$/.test(name)) return indexValue(obj, Number(name));
  if (obj === null) throw new EvalError('attribute of null');
  throw new EvalError(`no attribute ${name}`);
}

function indexValue(obj: Value, key: Value): Value {
  if (isUnknown(obj) || isUnknown(key)) return Unknown.of(obj, key);
  if (Array.isArray(obj)) {
    const n = asNumber(key);
    if (isUnknown(n) || !Number.isInteger(n) || n < 0 || n >= obj.length) throw new EvalError('index out of range');
    return obj[n]!;
  }
  if (isObject(obj)) {
    const k = asString(key);
    if (isUnknown(k)) return k;
    if (Object.prototype.hasOwnProperty.call(obj, k)) return obj[k]!;
    throw new EvalError(`no key ${k}`);
  }
  throw new EvalError('cannot index');
}
