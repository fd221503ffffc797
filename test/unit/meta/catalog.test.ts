// The control catalog as data: schemas, file layout, grouping, agreement with the reference facts,
// a copyright guard on our prose, the TypeScript loaders and scripts/build-catalog.mjs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { type Catalog, type ControlRecord, compareControlIds, controlLabel, indexControls } from '../../../server/src/catalog/catalog';
import { loadCatalogFile, loadCatalogFromDir } from '../../../server/src/catalog/load-node';

const root = resolve(__dirname, '../../..');
const dataDir = join(root, 'controls-data');
const controlsDir = join(dataDir, 'controls');
const schemaDir = join(dataDir, 'schema');
/** Reference facts live next to the repository; they are optional for the test run. */
const referenceDir = resolve(root, '../shared/reference');
const referenceControls = join(referenceDir, 'iso27017-controls.json');
const reference27018 = join(referenceDir, 'iso27018-annex-a.json');

const readJson = (file: string): any => JSON.parse(readFileSync(file, 'utf8'));

const GROUPS: [string, string][] = [
  ['5', 'Information security policies'],
  ['6', 'Organization of information security'],
  ['7', 'Human resource security'],
  ['8', 'Asset management'],
  ['9', 'Access control'],
  ['10', 'Cryptography'],
  ['11', 'Physical and environmental security'],
  ['12', 'Operations security'],
  ['13', 'Communications security'],
  ['14', 'System acquisition, development and maintenance'],
  ['15', 'Supplier relationships'],
  ['16', 'Information security incident management'],
  ['18', 'Compliance'],
  ['CLD', 'Cloud-specific controls'],
];

interface SourceFile {
  name: string;
  raw: string;
  data: ControlRecord & { $schema: string };
}

const files: SourceFile[] = readdirSync(controlsDir)
  .filter((n) => n.endsWith('.json'))
  .sort()
  .map((name) => {
    const raw = readFileSync(join(controlsDir, name), 'utf8');
    return { name, raw, data: JSON.parse(raw) };
  });
const records = files.map((f) => f.data);
const catalogIndex = readJson(join(dataDir, 'catalog.json'));
const iso27018 = readJson(join(dataDir, 'iso27018', 'catalog.json'));

function ajvFor(schemaFile: string) {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  return ajv.compile(readJson(join(schemaDir, schemaFile)));
}

function schemaErrors(schemaFile: string, items: { label: string; data: unknown }[]): string[] {
  const validate = ajvFor(schemaFile);
  const out: string[] = [];
  for (const { label, data } of items) {
    if (!validate(data)) {
      for (const e of validate.errors ?? []) out.push(`${label}: ${e.instancePath || '/'} ${e.message}`);
    }
  }
  return out;
}

/** Splits prose into sentences on `.`, `!` or `?` followed by whitespace (not after `e.g.`, `i.e.`, `etc.`, `vs.`). */
const sentences = (text: string): string[] =>
  text
    .replace(/\b(e\.g|i\.e|etc|vs)\./g, '$1\u0000')
    .split(/(?<=[.!?])\s+/)
    .map((s) => s.replace(/\u0000/g, '.'))
    .filter((s) => s.trim() !== '');
/** Lowercase word tokens. */
const words = (text: string): string[] => text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim().split(' ').filter(Boolean);

describe('control catalog (controls-data/)', () => {
  describe('control files', () => {
    it('every record validates against control.schema.json', () => {
      const errors = schemaErrors('control.schema.json', files.map((f) => ({ label: `controls/${f.name}`, data: f.data })));
      assert.deepEqual(errors, []);
    });

    it('every file starts with "$schema": "../schema/control.schema.json"', () => {
      for (const f of files) {
        assert.equal(Object.keys(f.data)[0], '$schema', `${f.name}: $schema must be the first key`);
        assert.equal(f.data.$schema, '../schema/control.schema.json', f.name);
      }
    });

    it('file name = id', () => {
      for (const f of files) assert.equal(`${f.data.id}.json`, f.name);
    });

    it('ids are unique', () => {
      const ids = records.map((r) => r.id);
      assert.equal(new Set(ids).size, ids.length);
    });

    it('has exactly 44 controls: 7 cloud-specific (CLD.*) and 37 extended ISO/IEC 27002 controls', () => {
      assert.equal(records.length, 44);
      const cld = records.filter((r) => r.kind === 'cloud-specific');
      assert.equal(cld.length, 7);
      assert.equal(records.filter((r) => r.kind === '27002-extended').length, 37);
      for (const r of records) assert.equal(r.id.startsWith('CLD.'), r.kind === 'cloud-specific', r.id);
    });

    it('marks the 27002:2022 mapping official exactly for the extended controls', () => {
      for (const r of records) assert.equal(r.iso27002_2022Official, r.kind === '27002-extended', r.id);
    });

    it('has non-empty customer and provider guidance for every control', () => {
      for (const r of records) {
        assert.ok(r.guidance.customer.length > 0, `${r.id}: no customer guidance`);
        assert.ok(r.guidance.provider.length > 0, `${r.id}: no provider guidance`);
        for (const s of [...r.guidance.customer, ...r.guidance.provider]) assert.ok(s.trim().length > 0, r.id);
      }
    });

    it('keeps summaries at 2-3 sentences and guidance sentences short', () => {
      for (const r of records) {
        const n = sentences(r.summary).length;
        assert.ok(n >= 2 && n <= 3, `${r.id}: summary has ${n} sentences`);
        for (const s of [...r.guidance.customer, ...r.guidance.provider]) {
          assert.ok(words(s).length <= 40, `${r.id}: guidance sentence too long (${words(s).length} words): ${s}`);
        }
      }
    });

    it('does not reuse a guidance sentence across controls', () => {
      const seen = new Map<string, string>();
      for (const r of records) {
        for (const s of [...r.guidance.customer, ...r.guidance.provider]) {
          const key = words(s).join(' ');
          assert.ok(!seen.has(key) || seen.get(key) === r.id, `${r.id} repeats guidance of ${seen.get(key)}: ${s}`);
          seen.set(key, r.id);
        }
      }
    });

    it('uses lowercase keywords', () => {
      for (const r of records) for (const k of r.keywords) assert.equal(k, k.toLowerCase(), `${r.id}: ${k}`);
    });
  });

  describe('catalog.json', () => {
    it('validates against catalog.schema.json', () => {
      assert.deepEqual(schemaErrors('catalog.schema.json', [{ label: 'catalog.json', data: catalogIndex }]), []);
      assert.equal(catalogIndex.$schema, './schema/catalog.schema.json');
    });

    it('has the clause groups in order, then CLD', () => {
      assert.deepEqual(
        catalogIndex.groups.map((g: { id: string; title: string }) => [g.id, g.title]),
        GROUPS,
      );
    });

    it('puts every control in exactly one group, in clause order, and names only existing controls', () => {
      const ids = new Set(records.map((r) => r.id));
      const count = new Map<string, number>();
      for (const g of catalogIndex.groups as { id: string; controls: string[] }[]) {
        assert.deepEqual(g.controls, [...g.controls].sort(compareControlIds), `group ${g.id} is not in clause order`);
        for (const id of g.controls) {
          assert.ok(ids.has(id), `group ${g.id} names unknown control ${id}`);
          count.set(id, (count.get(id) ?? 0) + 1);
          const expectedGroup = id.startsWith('CLD.') ? 'CLD' : id.split('.')[0];
          assert.equal(g.id, expectedGroup, `${id} belongs in group ${expectedGroup}`);
        }
      }
      for (const id of ids) assert.equal(count.get(id), 1, `${id} is in ${count.get(id) ?? 0} groups`);
    });
  });

  describe('iso27018/catalog.json', () => {
    it('validates against iso27018.schema.json', () => {
      assert.deepEqual(schemaErrors('iso27018.schema.json', [{ label: 'iso27018/catalog.json', data: iso27018 }]), []);
    });

    it('has unique ids, each control inside its area', () => {
      const ids: string[] = [];
      for (const a of iso27018.areas) {
        ids.push(a.id);
        for (const c of a.controls) {
          ids.push(c.id);
          assert.ok(c.id.startsWith(`${a.id}.`), `${c.id} is not in ${a.id}`);
        }
      }
      assert.equal(new Set(ids).size, ids.length);
    });

    it('keeps each summary to one sentence', () => {
      for (const a of iso27018.areas) {
        for (const item of [a, ...a.controls]) assert.equal(sentences(item.summary).length, 1, item.id);
      }
    });
  });

  describe('agreement with the reference facts (../shared/reference)', () => {
    it('has the same ids, titles and facts as iso27017-controls.json', function () {
      if (!existsSync(referenceControls)) {
        console.log(`      (skipped: ${referenceControls} not found; the reference is optional)`);
        this.skip();
      }
      const reference: any[] = readJson(referenceControls);
      const byId = new Map(records.map((r) => [r.id, r]));
      assert.deepEqual([...byId.keys()].sort(), reference.map((c) => c.id).sort(), 'id sets differ');
      for (const c of reference) {
        const r = byId.get(c.id)!;
        assert.equal(r.title, c.title, `${c.id}: title`);
        assert.equal(r.kind, c.kind, `${c.id}: kind`);
        assert.equal(r.objective.id, c.objective.id, `${c.id}: objective id`);
        assert.deepEqual(r.guidanceFor, c.guidanceFor, `${c.id}: guidanceFor`);
        assert.equal(r.guidanceForConfidence, c.guidanceForConfidence, `${c.id}: guidanceForConfidence`);
        assert.deepEqual(r.iso27002_2022, c.iso27002_2022, `${c.id}: iso27002_2022`);
        assert.equal(r.iacRelevant, c.iacRelevant, `${c.id}: iacRelevant`);
        assert.ok(String(c.iacStrength).startsWith(r.iacStrength) || r.iacNote !== undefined, `${c.id}: iacStrength`);
      }
    });

    it('has the same ids and titles as iso27018-annex-a.json', function () {
      if (!existsSync(reference27018)) {
        console.log(`      (skipped: ${reference27018} not found; the reference is optional)`);
        this.skip();
      }
      const ref = readJson(reference27018);
      const flat = (areas: any[]) => areas.flatMap((a) => [[a.id, a.title], ...a.controls.map((c: any) => [c.id, c.title])]);
      assert.deepEqual(flat(iso27018.areas), flat(ref.areas));
      assert.equal(iso27018.edition, ref.edition);
    });
  });

  describe('copyright guard', () => {
    const N = 8;
    /** Title and objective texts: from the reference when present, else from our own records (the same short titles). */
    const sourceTexts = (): string[] => {
      const texts: string[] = [];
      if (existsSync(referenceControls)) {
        for (const c of readJson(referenceControls)) texts.push(c.title, c.objective.title);
      }
      for (const r of records) texts.push(r.title, r.objective.title);
      for (const a of iso27018.areas) texts.push(a.title, ...a.controls.map((c: { title: string }) => c.title));
      return texts;
    };

    const ngrams = (tokens: string[]): string[] => {
      const out: string[] = [];
      for (let i = 0; i + N <= tokens.length; i++) out.push(tokens.slice(i, i + N).join(' '));
      return out;
    };

    /** Removes every occurrence of `title` from `tokens`, leaving a break so no n-gram spans the gap. */
    const withoutTitle = (tokens: string[], title: string[]): string[][] => {
      const parts: string[][] = [[]];
      for (let i = 0; i < tokens.length; ) {
        if (title.length > 0 && tokens.slice(i, i + title.length).join(' ') === title.join(' ')) {
          parts.push([]);
          i += title.length;
        } else {
          parts[parts.length - 1].push(tokens[i]);
          i++;
        }
      }
      return parts;
    };

    it(`no summary or guidance sentence shares ${N}+ consecutive words with a title or objective text (beyond its own title)`, () => {
      const banned = new Set(sourceTexts().flatMap((t) => ngrams(words(t))));
      const hits: string[] = [];
      const check = (id: string, ownTitle: string, text: string) => {
        for (const s of sentences(text)) {
          for (const part of withoutTitle(words(s), words(ownTitle))) {
            for (const g of ngrams(part)) if (banned.has(g)) hits.push(`${id}: "${g}" in: ${s}`);
          }
        }
      };
      for (const r of records) {
        check(r.id, r.title, r.summary);
        for (const s of [...r.guidance.customer, ...r.guidance.provider]) check(r.id, r.title, s);
        check(r.id, r.title, r.responsibility.basis);
      }
      for (const a of iso27018.areas) {
        check(a.id, a.title, a.summary);
        for (const c of a.controls) {
          check(c.id, c.title, c.summary);
          if (c.iacHint) check(c.id, c.title, c.iacHint);
        }
      }
      assert.deepEqual(hits, []);
    });

    it('the n-gram check does catch a copied title', () => {
      const title = words('Access control of cloud service customer data in shared virtual environment');
      const banned = new Set(ngrams(title));
      const copied = words('We apply access control of cloud service customer data in shared virtual environment.');
      assert.ok(ngrams(copied).some((g) => banned.has(g)));
    });
  });

  describe('TypeScript loaders and helpers', () => {
    let fromDir: Catalog;
    before(() => {
      fromDir = loadCatalogFromDir(dataDir);
    });

    it('loadCatalogFromDir returns all 44 records in group order without $schema', () => {
      assert.equal(fromDir.controls.length, 44);
      assert.deepEqual(
        fromDir.controls.map((r) => r.id),
        fromDir.groups.flatMap((g) => g.controls),
      );
      for (const r of fromDir.controls) assert.ok(!('$schema' in r), r.id);
      assert.ok(!('$schema' in fromDir.iso27018));
    });

    it('indexControls and controlLabel', () => {
      const index = indexControls(fromDir);
      assert.equal(index.size, 44);
      assert.equal(controlLabel(index.get('10.1.1')!), '10.1.1 Policy on the use of cryptographic controls');
      assert.equal(controlLabel(index.get('CLD.9.5.2')!), 'CLD.9.5.2 Virtual machine hardening');
    });

    it('compareControlIds sorts numerically', () => {
      assert.deepEqual(['10.1.1', '9.4.4', '9.2.10', '9.2.2', 'CLD.13.1.4', 'CLD.6.3.1'].sort(compareControlIds), [
        '9.2.2', '9.2.10', '9.4.4', '10.1.1', 'CLD.6.3.1', 'CLD.13.1.4',
      ]);
    });

    it('loadCatalogFile rejects invalid input with a clear message', () => {
      assert.throws(() => loadCatalogFile(join(root, 'package.json')), /Invalid control catalog .*\n.*must have required property 'standard'/);
      assert.throws(() => loadCatalogFile(join(root, 'no-such-file.json')), /Cannot read .*no-such-file\.json: ENOENT/);
    });

    it('loadCatalogFromDir rejects a missing directory', () => {
      assert.throws(() => loadCatalogFromDir(join(root, 'no-such-dir')), /Cannot read catalog\.json/);
    });
  });

  describe('scripts/build-catalog.mjs', () => {
    it('exits 0 and writes dist/controls.json with 44 controls that loadCatalogFile accepts', () => {
      const run = spawnSync(process.execPath, [join(root, 'scripts', 'build-catalog.mjs')], { cwd: root, encoding: 'utf8' });
      assert.equal(run.status, 0, `build-catalog failed:\n${run.stderr}${run.stdout}`);
      assert.match(run.stdout, /^catalog: 44 controls, 14 groups -> dist\/controls\.json$/m);
      const out = join(root, 'dist', 'controls.json');
      const dist = readJson(out);
      assert.equal(dist.controls.length, 44);
      assert.deepEqual(Object.keys(dist), ['standard', 'edition', 'dataVersion', 'groups', 'controls', 'iso27018']);
      assert.equal(dist.standard, 'ISO/IEC 27017');
      assert.equal(dist.edition, '2015');
      const loaded = loadCatalogFile(out);
      assert.deepEqual(loaded, loadCatalogFromDir(dataDir));
    });
  });
});
