// Values produced by evaluating HCL expressions, with an explicit "unknown" that remembers what it came from.

/**
 * A value that cannot be known before `terraform apply` (a computed attribute such as an id, a variable
 * with no default, a function we do not model). `refs` holds the addresses of the resources the value
 * was derived from (e.g. `aws_s3_bucket.logs`, `module.x.aws_kms_key.k`), which is how a companion
 * resource is linked to the resource it configures.
 */
export class Unknown {
  readonly refs: readonly string[];
  constructor(refs: readonly string[] = []) {
    this.refs = refs;
  }
  static readonly plain = new Unknown();
  static of(...sources: unknown[]): Unknown {
    const refs = new Set<string>();
    for (const s of sources) collectRefs(s, refs, 0);
    return refs.size === 0 ? Unknown.plain : new Unknown([...refs]);
  }
}

export type Value = null | string | number | boolean | Value[] | ObjectValue | Unknown;
export interface ObjectValue {
  [key: string]: Value;
}

export function isUnknown(v: unknown): v is Unknown {
  return v instanceof Unknown;
}

export function isObject(v: unknown): v is ObjectValue {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Unknown);
}

/** True when the value, and everything inside it, is known. */
export function isWhollyKnown(v: Value, depth = 0): boolean {
  if (v instanceof Unknown) return false;
  if (depth > 64) return false;
  if (Array.isArray(v)) return v.every((x) => isWhollyKnown(x, depth + 1));
  if (isObject(v)) return Object.values(v).every((x) => isWhollyKnown(x, depth + 1));
  return true;
}

/** Every resource address an unknown value (or a collection holding unknowns) was derived from. */
export function refsOf(v: unknown): string[] {
  const out = new Set<string>();
  collectRefs(v, out, 0);
  return [...out];
}

function collectRefs(v: unknown, out: Set<string>, depth: number): void {
  if (depth > 64) return;
  if (v instanceof Unknown) {
    for (const r of v.refs) out.add(r);
  } else if (Array.isArray(v)) {
    for (const x of v) collectRefs(x, out, depth + 1);
  } else if (isObject(v)) {
    for (const x of Object.values(v)) collectRefs(x, out, depth + 1);
  }
}

/** HCL truthiness for conditionals: only a known `true` (or `"true"`) is true. */
export function asBool(v: Value): boolean | Unknown {
  if (v instanceof Unknown) return v;
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return Unknown.plain;
}

/** Converts a known primitive to a string the way Terraform does for interpolation. */
export function asString(v: Value): string | Unknown {
  if (v instanceof Unknown) return v;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return Unknown.plain;
}

export function asNumber(v: Value): number | Unknown {
  if (v instanceof Unknown) return v;
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  if (typeof v === 'boolean') return Unknown.plain;
  return Unknown.plain;
}
