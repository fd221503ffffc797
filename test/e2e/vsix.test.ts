// The packaged extension: `vsce ls` and the .vsix itself hold exactly test/e2e/vsix-files.txt, within 3 MB,
// with a manifest that VS Code will load. Needs `npm run package` first (scripts/test-e2e.sh does it).

import * as assert from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { packageJson, readZip, repoRoot, vsixPath, type ZipEntry } from './support';

const MAX_BYTES = 3 * 1024 * 1024;
const expected = readFileSync(join(__dirname, 'vsix-files.txt'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'))
  .sort();

function difference(actual: string[]): string {
  const missing = expected.filter((f) => !actual.includes(f));
  const extra = actual.filter((f) => !expected.includes(f));
  const notes = missing.filter((f) => !existsSync(join(repoRoot, f))).map((f) => `${f} does not exist in the repository`);
  return [
    missing.length ? `missing: ${missing.join(', ')}` : '',
    extra.length ? `unexpected: ${extra.join(', ')}` : '',
    notes.length ? `(${notes.join('; ')})` : '',
    'Fix .vscodeignore, or update test/e2e/vsix-files.txt if the change is intended.',
  ]
    .filter(Boolean)
    .join('\n');
}

describe('VSIX package', () => {
  let entries: ZipEntry[];

  before(function () {
    const file = vsixPath();
    if (!existsSync(file)) throw new Error(`${file} does not exist: run \`npm run package\` first`);
    entries = readZip(file);
  });

  it('`vsce ls --no-dependencies` lists exactly test/e2e/vsix-files.txt', () => {
    const vsce = join(repoRoot, 'node_modules', '.bin', 'vsce');
    const out = execFileSync(vsce, ['ls', '--no-dependencies'], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
    const actual = out
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .sort();
    assert.deepStrictEqual(actual, expected, difference(actual));
  });

  it('the .vsix holds exactly those files (plus the VSIX metadata)', () => {
    const actual = entries
      .map((e) => e.name)
      .filter((n) => n.startsWith('extension/'))
      .map((n) => n.slice('extension/'.length))
      // vsce stores these under its own names
      .map((n) => ({ 'changelog.md': 'CHANGELOG.md', 'readme.md': 'README.md', 'LICENSE.txt': 'LICENSE' })[n] ?? n)
      .sort();
    assert.deepStrictEqual(actual, expected, difference(actual));
    const meta = entries.map((e) => e.name).filter((n) => !n.startsWith('extension/')).sort();
    assert.deepStrictEqual(meta, ['[Content_Types].xml', 'extension.vsixmanifest']);
  });

  it('is at most 3 MB', () => {
    const size = statSync(vsixPath()).size;
    assert.ok(size <= MAX_BYTES, `${vsixPath()} is ${(size / 1024 / 1024).toFixed(2)} MB`);
  });

  it('has a manifest VS Code loads: main, server and catalog inside, engines.vscode a range, activation on Terraform', () => {
    const manifestEntry = entries.find((e) => e.name === 'extension/package.json');
    assert.ok(manifestEntry, 'extension/package.json');
    const manifest = JSON.parse(manifestEntry.read().toString('utf8')) as ReturnType<typeof packageJson> & { activationEvents?: string[] };
    const names = new Set(entries.map((e) => e.name));
    const main = manifest.main.replace(/^\.\//, '');
    assert.ok(names.has(`extension/${main.endsWith('.js') ? main : `${main}.js`}`), `main ${manifest.main} is in the VSIX`);
    assert.ok(names.has('extension/dist/server.js'), 'the language server the client starts is in the VSIX');
    assert.ok(names.has('extension/dist/controls.json'), 'the catalog the server loads is in the VSIX');
    // An exact version ("1.91.0") makes every other VS Code refuse the extension ("not compatible").
    assert.match(manifest.engines.vscode, /^(\^|>=)\d+\.\d+\.\d+$/, `engines.vscode ${manifest.engines.vscode} must be a range like ^1.91.0`);
    assert.ok(manifest.activationEvents?.includes('onLanguage:terraform'), 'activates on Terraform files');
    assert.strictEqual(manifest.version, packageJson().version);
  });
});
