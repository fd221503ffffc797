// Spec drift guard: docs/protocol.md must describe the current server/src/protocol.ts (rust-analyzer's lsp-extensions.md check).

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './support/project';

const protocolPath = join(repoRoot, 'server/src/protocol.ts');
const docPath = join(repoRoot, 'docs/protocol.md');

/** SHA-256 of a file's text with line endings normalised, so that a CRLF checkout hashes the same. */
function hashOf(path: string): string {
  return createHash('sha256').update(readFileSync(path, 'utf8').replace(/\r\n/g, '\n')).digest('hex');
}

describe('docs/protocol.md', function () {
  it('carries the hash of server/src/protocol.ts', function () {
    const doc = readFileSync(docPath, 'utf8');
    const m = /^<!-- protocol\.ts hash: ([0-9a-f]{64}|\S+) -->/.exec(doc);
    assert.ok(m, 'docs/protocol.md must start with <!-- protocol.ts hash: <sha256> -->');
    const actual = hashOf(protocolPath);
    assert.equal(m[1], actual, `server/src/protocol.ts changed: update docs/protocol.md, then the hash (${actual})`);
  });

  it('has a section for every iso27017/* method', function () {
    const source = readFileSync(protocolPath, 'utf8');
    const doc = readFileSync(docPath, 'utf8');
    const methods = [...source.matchAll(/method = '(iso27017\/\w+)'/g)].map((m) => m[1]!);
    assert.ok(methods.length >= 4, methods.join(', '));
    const missing = methods.filter((m) => !doc.includes(`\n## ${m}\n`));
    assert.deepEqual(missing, [], `docs/protocol.md needs a "## <method>" section for: ${missing.join(', ')}`);
  });
});
