// Terraform's built-in functions that matter for security settings; anything else evaluates to unknown.

import { asBool, asNumber, asString, isObject, isUnknown, isWhollyKnown, Unknown, type ObjectValue, type Value } from './values';

/** Thrown by a function given arguments it cannot work with; `try`/`can` catch it, elsewhere it becomes unknown. */
export class EvalError extends Error {}

type Fn = (args: Value[]) => Value;

/** If any argument is unknown (at the top level), the result is unknown with the union of refs. */
function strict(fn: Fn): Fn {
  return (args) => {
    if (args.some((a) => isUnknown(a))) return Unknown.of(...args);
    return fn(args);
  };
}

/** Like strict, but also requires every nested value to be known. */
function deep(fn: Fn): Fn {
  return (args) => {
    if (!args.every((a) => isWhollyKnown(a))) return Unknown.of(...args);
    return fn(args);
  };
}

function str(v: Value): string {
  const s = asString(v);
  if (isUnknown(s)) throw new EvalError('not a string');
  return s;
}

function num(v: Value): number {
  const n = asNumber(v);
  if (isUnknown(n)) throw new EvalError('not a number');
  return n;
}

function list(v: Value): Value[] {
  if (Array.isArray(v)) return v;
  throw new EvalError('not a list');
}

function obj(v: Value): ObjectValue {
  if (isObject(v)) return v;
  throw new EvalError('not a map');
}

export function deepEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]!));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k]!, b[k]!));
  }
  if (typeof a === 'number' && typeof b === 'string') return String(a) === b;
  if (typeof a === 'string' && typeof b === 'number') return a === String(b);
  return false;
}

function distinct(xs: Value[]): Value[] {
  const out: Value[] = [];
  for (const x of xs) if (!out.some((y) => deepEqual(x, y))) out.push(x);
  return out;
}

function toJson(v: Value): unknown {
  return v;
}

function fromJson(x: unknown, depth = 0): Value {
  if (depth > 200) throw new EvalError('too deep');
  if (x === null || typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') return x;
  if (Array.isArray(x)) return x.map((y) => fromJson(y, depth + 1));
  if (typeof x === 'object') {
    const o: ObjectValue = {};
    for (const [k, y] of Object.entries(x as Record<string, unknown>)) o[k] = fromJson(y, depth + 1);
    return o;
  }
  throw new EvalError('bad json');
}

function format(spec: string, args: Value[]): string {
  let i = 0;
  return spec.replace(/%(-?\d*(?:\.\d+)?)([sdvqtfx%])/g, (_m, _w: string, verb: string) => {
    if (verb === '%') return '%';
    const a = args[i++];
    if (a === undefined) throw new EvalError('too few arguments to format');
    if (verb === 'd') return String(Math.trunc(num(a)));
    if (verb === 'q') return JSON.stringify(str(a));
    if (verb === 'v' && typeof a !== 'string') return JSON.stringify(a);
    return str(a);
  });
}

function regexFrom(pattern: string): RegExp {
  try {
    return new RegExp(pattern, 'g');
  } catch {
    throw new EvalError('bad regex');
  }
}

function b64decode(s: string): string {
  return Buffer.from(s, 'base64').toString('utf8');
}

const functions: Record<string, Fn> = {
  abs: strict(([a]) => Math.abs(num(a!))),
  alltrue: deep(([a]) => list(a!).every((x) => asBool(x) === true)),
  anytrue: deep(([a]) => list(a!).some((x) => asBool(x) === true)),
  base64decode: strict(([a]) => b64decode(str(a!))),
  base64encode: strict(([a]) => Buffer.from(str(a!), 'utf8').toString('base64')),
  base64gzip: () => Unknown.plain,
  ceil: strict(([a]) => Math.ceil(num(a!))),
  chomp: strict(([a]) => str(a!).replace(/(\r?\n)+$/, '')),
  coalesce: (args) => {
    for (const a of args) {
      if (isUnknown(a)) return Unknown.of(...args);
      if (a !== null && a !== '') return a;
    }
    throw new EvalError('no non-null argument');
  },
  coalescelist: (args) => {
    for (const a of args) {
      if (isUnknown(a)) return Unknown.of(...args);
      if (Array.isArray(a) && a.length > 0) return a;
    }
    throw new EvalError('no non-empty list');
  },
  compact: strict(([a]) => list(a!).filter((x) => x !== null && x !== '')),
  concat: strict((args) => args.flatMap((a) => list(a))),
  contains: (args) => {
    const [l, v] = args;
    if (isUnknown(l) || isUnknown(v)) return Unknown.of(l, v);
    const xs = list(l!);
    if (xs.some((x) => deepEqual(x, v!))) return true;
    if (xs.some((x) => isUnknown(x))) return Unknown.of(...xs);
    return false;
  },
  distinct: strict(([a]) => distinct(list(a!))),
  element: strict(([l, i]) => {
    const xs = list(l!);
    if (xs.length === 0) throw new EvalError('empty list');
    const n = Math.trunc(num(i!));
    return xs[((n % xs.length) + xs.length) % xs.length]!;
  }),
  endswith: strict(([a, b]) => str(a!).endsWith(str(b!))),
  flatten: strict(([a]) => {
    const out: Value[] = [];
    const walk = (v: Value, d: number): void => {
      if (d > 64) throw new EvalError('too deep');
      if (Array.isArray(v)) v.forEach((x) => walk(x, d + 1));
      else out.push(v);
    };
    walk(a!, 0);
    return out;
  }),
  floor: strict(([a]) => Math.floor(num(a!))),
  format: strict(([f, ...rest]) => format(str(f!), rest)),
  formatlist: () => Unknown.plain,
  index: strict(([l, v]) => {
    const i = list(l!).findIndex((x) => deepEqual(x, v!));
    if (i < 0) throw new EvalError('not found');
    return i;
  }),
  join: strict(([sep, ...ls]) => {
    const items = ls.flatMap((l) => list(l));
    if (items.some((x) => isUnknown(x))) return Unknown.of(...items);
    return items.map((x) => str(x)).join(str(sep!));
  }),
  jsondecode: strict(([a]) => {
    try {
      return fromJson(JSON.parse(str(a!)));
    } catch (e) {
      if (e instanceof EvalError) throw e;
      throw new EvalError('invalid JSON');
    }
  }),
  jsonencode: deep(([a]) => JSON.stringify(toJson(a!))),
  keys: strict(([a]) => Object.keys(obj(a!)).sort()),
  length: strict(([a]) => {
    if (typeof a === 'string') return [...a].length;
    if (Array.isArray(a)) return a.length;
    return Object.keys(obj(a!)).length;
  }),
  lookup: (args) => {
    const [m, k, d] = args;
    if (isUnknown(m) || isUnknown(k)) return Unknown.of(m, k);
    const o = obj(m!);
    const key = str(k!);
    if (Object.prototype.hasOwnProperty.call(o, key)) return o[key]!;
    if (d !== undefined) return d;
    throw new EvalError(`no key ${key}`);
  },
  lower: strict(([a]) => str(a!).toLowerCase()),
  max: strict((args) => Math.max(...args.map(num))),
  merge: strict((args) => {
    const out: ObjectValue = {};
    for (const a of args) if (a !== null) Object.assign(out, obj(a));
    return out;
  }),
  min: strict((args) => Math.min(...args.map(num))),
  one: strict(([a]) => {
    const xs = list(a!);
    if (xs.length === 0) return null;
    if (xs.length === 1) return xs[0]!;
    throw new EvalError('more than one element');
  }),
  range: strict((args) => {
    const ns = args.map(num);
    const [start, end, step] = ns.length === 1 ? [0, ns[0]!, 1] : [ns[0]!, ns[1]!, ns[2] ?? (ns[0]! <= ns[1]! ? 1 : -1)];
    if (step === 0) throw new EvalError('step 0');
    const out: number[] = [];
    for (let i = start; step > 0 ? i < end : i > end; i += step) {
      out.push(i);
      if (out.length > 1024) throw new EvalError('range too long');
    }
    return out;
  }),
  replace: strict(([s, a, b]) => {
    const subject = str(s!);
    const search = str(a!);
    const repl = str(b!);
    if (search.length > 1 && search.startsWith('/') && search.endsWith('/')) {
      return subject.replace(regexFrom(search.slice(1, -1)), repl.replace(/\$\{(\d+)\}/g, '$$$1'));
    }
    return subject.split(search).join(repl);
  }),
  reverse: strict(([a]) => [...list(a!)].reverse()),
  setunion: strict((args) => distinct(args.flatMap(list))),
  slice: strict(([l, a, b]) => list(l!).slice(num(a!), num(b!))),
  sort: strict(([a]) => [...list(a!)].map((x) => str(x)).sort()),
  split: strict(([sep, s]) => str(s!).split(str(sep!))),
  startswith: strict(([a, b]) => str(a!).startsWith(str(b!))),
  strrev: strict(([a]) => [...str(a!)].reverse().join('')),
  substr: strict(([s, o, l]) => {
    const chars = [...str(s!)];
    let off = num(o!);
    if (off < 0) off = chars.length + off;
    const len = num(l!);
    return chars.slice(off, len < 0 ? undefined : off + len).join('');
  }),
  sum: strict(([a]) => list(a!).reduce<number>((acc, x) => acc + num(x), 0)),
  title: strict(([a]) => str(a!).replace(/\b\w/g, (c) => c.toUpperCase())),
  tobool: strict(([a]) => {
    if (a === null) return null;
    const b = asBool(a!);
    if (isUnknown(b)) throw new EvalError('not a bool');
    return b;
  }),
  tolist: strict(([a]) => list(a!)),
  tomap: strict(([a]) => obj(a!)),
  tonumber: strict(([a]) => (a === null ? null : num(a!))),
  toset: strict(([a]) => distinct(list(a!))),
  tostring: strict(([a]) => (a === null ? null : str(a!))),
  trim: strict(([s, cut]) => {
    const set = new Set([...str(cut!)]);
    const chars = [...str(s!)];
    let i = 0;
    let j = chars.length;
    while (i < j && set.has(chars[i]!)) i++;
    while (j > i && set.has(chars[j - 1]!)) j--;
    return chars.slice(i, j).join('');
  }),
  trimprefix: strict(([s, p]) => (str(s!).startsWith(str(p!)) ? str(s!).slice(str(p!).length) : str(s!))),
  trimspace: strict(([a]) => str(a!).trim()),
  trimsuffix: strict(([s, p]) => (str(s!).endsWith(str(p!)) ? str(s!).slice(0, str(s!).length - str(p!).length) : str(s!))),
  upper: strict(([a]) => str(a!).toUpperCase()),
  values: strict(([a]) => {
    const o = obj(a!);
    return Object.keys(o)
      .sort()
      .map((k) => o[k]!);
  }),
  yamlencode: () => Unknown.plain,
  zipmap: strict(([k, v]) => {
    const ks = list(k!);
    const vs = list(v!);
    const out: ObjectValue = {};
    ks.forEach((key, i) => {
      out[str(key)] = vs[i] ?? null;
    });
    return out;
  }),
};

/** Calls a built-in by name; unknown functions (file, templatefile, timestamp, uuid, cidrsubnet…) return unknown. */
export function callFunction(name: string, args: Value[]): Value {
  const base = name.includes('::') ? name.slice(name.lastIndexOf('::') + 2) : name;
  const fn = Object.prototype.hasOwnProperty.call(functions, base) ? functions[base] : undefined;
  if (!fn || name.startsWith('provider::')) return Unknown.of(...args);
  return fn(args);
}
