// Shared by the e2e tests that run in plain Node (vsix.test.ts, ui.test.ts): paths, code-server, ports, zip reading.

import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { inflateRawSync } from 'node:zlib';

export const repoRoot = resolve(__dirname, '..', '..');
export const CODE_SERVER_VERSION = '4.100.3';
/** Screenshots and other artifacts (git-ignored). */
export const resultsDir = join(repoRoot, 'test-results', 'e2e');

export function packageJson(): { name: string; version: string; publisher: string; main: string; engines: Record<string, string> } {
  return JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
}

/** The .vsix that `npm run package` writes (or $VSIX). */
export function vsixPath(): string {
  if (process.env.VSIX) return resolve(process.env.VSIX);
  const p = packageJson();
  return join(repoRoot, `${p.name}-${p.version}.vsix`);
}

/** $CODE_SERVER, else the copy scripts/setup-e2e.sh installs, else `code-server` on PATH. */
export function codeServerPath(): string {
  if (process.env.CODE_SERVER) return process.env.CODE_SERVER;
  const cache = process.env.E2E_CACHE || join(homedir(), '.cache', 'iso27017-e2e');
  const p = join(cache, `code-server-${CODE_SERVER_VERSION}`, 'node_modules', '.bin', 'code-server');
  return existsSync(p) ? p : 'code-server';
}

export const chromiumPath = (): string => process.env.CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => res(port));
    });
    s.on('error', rej);
  });
}

/** Polls `cond` every 100 ms until it returns a truthy value; throws `Timed out after N s waiting for <what>`. */
export async function pollUntil<T>(cond: () => Promise<T | undefined | false> | T | undefined | false, ms: number, what: string): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await cond();
    if (v) return v;
    if (Date.now() > end) throw new Error(`Timed out after ${ms / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface ZipEntry {
  name: string;
  read(): Buffer;
}

/** The entries of a zip file (a .vsix), read with node:zlib only. */
export function readZip(file: string): ZipEntry[] {
  const buf = readFileSync(file);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${file} is not a zip file`);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`${file}: bad central directory`);
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    entries.push({
      name,
      read: () => {
        const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
        const data = buf.subarray(start, start + size);
        return method === 0 ? Buffer.from(data) : inflateRawSync(data);
      },
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}
