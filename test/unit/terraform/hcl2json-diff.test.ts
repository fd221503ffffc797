// Differential test: our HCL parser against HashiCorp's (hclsyntax compiled to wasm, through
// @cdktf/hcl2json) over every .tf and .tfvars file of the shared corpus.
//
// Both trees are brought to hcl2json's JSON shape: blocks become `{ type: { label1: { label2: [ body ] } } }`
// (repeated blocks append to the array), attributes become their value. Literal values are compared
// exactly (strings without interpolation, numbers, bools, null, and tuples/objects of them, with
// hcl2json's folding of `-1` and `!true`); any other expression only has to exist on both sides.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseHcl } from '../../../server/src/documents/terraform/parser';
import type { Body, Expr } from '../../../server/src/documents/terraform/ast';

const corpus = path.resolve(__dirname, '../../../../shared/corpus');

/** Stands for a value that is not a literal: only its presence is compared. */
const DYNAMIC = Symbol('dynamic');
type J = null | boolean | number | string | J[] | { [key: string]: J } | typeof DYNAMIC;

function listFiles(dir: string, out: string[]): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) listFiles(full, out);
    else if (entry.isFile() && (entry.name.endsWith('.tf') || entry.name.endsWith('.tfvars'))) out.push(full);
  }
  return out;
}

/** hcl2json writes literal strings in template syntax, so `${` and `%{` in a value appear escaped. */
function escapeTemplate(v: string): string {
  return v.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

function valueOf(e: Expr): J {
  switch (e.kind) {
    case 'literal':
      return typeof e.value === 'number' && !Number.isFinite(e.value) ? DYNAMIC : e.value;
    case 'template':
    case 'heredoc': {
      let s = '';
      for (const p of e.parts) {
        if (p.kind !== 'text') return DYNAMIC;
        s += p.value;
      }
      return escapeTemplate(s);
    }
    case 'unary':
      if (e.operand.kind === 'literal') {
        if (e.op === '-' && typeof e.operand.value === 'number') return -e.operand.value;
        if (e.op === '!' && typeof e.operand.value === 'boolean') return !e.operand.value;
      }
      return DYNAMIC;
    case 'tuple':
      return e.items.map(valueOf);
    case 'object': {
      const o: { [key: string]: J } = {};
      for (const item of e.items) {
        let key = item.keyName;
        if (key === undefined && item.key.kind === 'literal' && typeof item.key.value === 'number') key = String(item.key.value);
        if (key === undefined) return DYNAMIC;
        o[escapeTemplate(key)] = valueOf(item.value);
      }
      return o;
    }
    default:
      return DYNAMIC;
  }
}

function bodyJson(body: Body): { [key: string]: J } {
  const out: { [key: string]: J } = {};
  for (const item of body.items) {
    if (item.kind !== 'block') continue;
    let o = out;
    let key = item.type;
    for (const label of item.labels) {
      const cur = o[key];
      if (cur === undefined || cur === null || typeof cur !== 'object' || Array.isArray(cur)) o[key] = {};
      o = o[key] as { [key: string]: J };
      key = label.value;
    }
    const list = o[key];
    if (Array.isArray(list)) list.push(bodyJson(item.body));
    else o[key] = [bodyJson(item.body)];
  }
  // hcl2json lets an attribute win over a block of the same name.
  for (const item of body.items) if (item.kind === 'attribute') out[item.name] = valueOf(item.expr);
  return out;
}

function show(v: unknown): string {
  if (v === DYNAMIC) return '<expression>';
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 120 ? s.slice(0, 120) + '…' : s;
}

/** How many literal values and expressions were compared (so that an empty comparison cannot pass). */
const compared = { literals: 0, expressions: 0 };

/** The first difference between our value and hcl2json's, as a path and both sides; undefined when they agree. */
function diff(ours: J, theirs: unknown, at: string): string | undefined {
  if (ours === DYNAMIC) {
    compared.expressions++;
    return theirs === undefined ? `${at}: missing in hcl2json` : undefined;
  }
  if (ours === null || typeof ours !== 'object') {
    compared.literals++;
    return Object.is(ours, theirs) || ours === theirs ? undefined : `${at}: ours ${show(ours)}, hcl2json ${show(theirs)}`;
  }
  if (Array.isArray(ours)) {
    if (!Array.isArray(theirs)) return `${at}: ours a list ${show(ours)}, hcl2json ${show(theirs)}`;
    if (ours.length !== theirs.length) return `${at}: ours ${ours.length} items, hcl2json ${theirs.length}`;
    for (let i = 0; i < ours.length; i++) {
      const d = diff(ours[i], theirs[i], `${at}[${i}]`);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  if (theirs === null || typeof theirs !== 'object' || Array.isArray(theirs)) return `${at}: ours an object, hcl2json ${show(theirs)}`;
  const t = theirs as Record<string, unknown>;
  for (const k of Object.keys(ours)) {
    if (!(k in t)) return `${at}.${k}: only in ours`;
    const d = diff(ours[k], t[k], `${at}.${k}`);
    if (d !== undefined) return d;
  }
  for (const k of Object.keys(t)) if (!(k in ours)) return `${at}.${k}: only in hcl2json (${show(t[k])})`;
  return undefined;
}

describe('HCL parser vs hcl2json (HashiCorp hclsyntax)', function () {
  this.timeout(180_000);

  if (!existsSync(corpus)) {
    it.skip(`differential over ../shared/corpus (corpus absent at ${corpus})`, () => undefined);
    return;
  }

  it('agrees on blocks, attributes and literal values for every .tf/.tfvars file of the corpus', async () => {
    const { parse } = require('@cdktf/hcl2json') as { parse(filename: string, text: string): Promise<unknown> };
    const files = listFiles(corpus, []);
    assert.ok(files.length > 0, 'the corpus holds no .tf or .tfvars file');
    const failures: string[] = [];
    const unconvertible: string[] = [];
    let identical = 0;
    for (const file of files) {
      const rel = path.relative(corpus, file);
      const text = readFileSync(file, 'utf8');
      const ours = parseHcl(text);
      let theirs: unknown;
      let theirError: string | undefined;
      try {
        theirs = await parse(path.basename(file), text);
      } catch (e) {
        theirError = (e as Error).message;
      }
      let problem: string | undefined;
      if (theirError !== undefined && !theirError.startsWith('parse config')) {
        // Valid syntax that hcl2json cannot render as JSON (say `!null`): nothing to compare.
        unconvertible.push(rel);
        if (ours.errors.length > 0) problem = `we report a syntax error that hcl2json does not: ${ours.errors[0].message}`;
      } else if (theirError !== undefined) {
        if (ours.errors.length === 0) problem = `hcl2json rejects the file but we report no error: ${theirError.slice(0, 300)}`;
      } else if (ours.errors.length > 0) {
        const e = ours.errors[0];
        problem = `we report ${ours.errors.length} error(s) that hcl2json does not, first at ${e.start}-${e.end}: ${e.message}`;
      } else {
        problem = diff(bodyJson(ours.body), theirs, '$');
      }
      if (problem === undefined) identical++;
      else failures.push(`${rel}: ${problem}`);
    }
    console.log(`      hcl2json differential: ${files.length} files, ${identical} identical, ${failures.length} differ`);
    console.log(`      (${compared.literals} literal values and ${compared.expressions} other expressions compared)`);
    if (unconvertible.length > 0) console.log(`      (${unconvertible.length} of them valid HCL that hcl2json cannot convert to JSON: ${unconvertible.slice(0, 3).join(', ')})`);
    assert.ok(compared.literals > 1000, 'too few literal values were compared');
    assert.equal(failures.length, 0, `${failures.length} file(s) differ; first ones:\n  ${failures.slice(0, 10).join('\n  ')}`);
  });
});
