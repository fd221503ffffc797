// `npm run bench`: parse + all rules on large real Terraform files, a keystroke re-analysis,
// a cold CLI scan of the real corpus and the language server's memory after a workspace scan.
// Prints a Markdown table for the README. Numbers are for reading, never for asserting in tests.
import { build } from 'esbuild';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = join(root, 'bench/.work');
mkdirSync(work, { recursive: true });
await build({ entryPoints: [join(root, 'bench/engine.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: join(work, 'engine.js'), logLevel: 'warning' });
const { Project, rules, loadCatalogFromDir } = createRequire(import.meta.url)(join(work, 'engine.js'));
const controls = loadCatalogFromDir(join(root, 'controls-data')).controls;

const corpus = resolve(root, '../shared/corpus/real');
const haveCorpus = existsSync(corpus);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${x.toFixed(1)} ms`;

function tfFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.tf')) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/**
 * Concatenates real module files (in a fixed order) until the text has at least `lines` lines. With
 * `awsFirst`, starts at the first file with AWS resources, so that the rules have work to do.
 */
function bigFile(lines, awsFirst = false) {
  const all = tfFiles(haveCorpus ? corpus : join(root, 'examples'));
  const start = awsFirst ? Math.max(0, all.findIndex((f) => /resource "aws_/.test(readFileSync(f, 'utf8')))) : 0;
  const files = [...all.slice(start), ...all.slice(0, start)];
  let text = '';
  let n = 0;
  for (let i = 0; n < lines; i++) {
    const t = readFileSync(files[i % files.length], 'utf8');
    text += `${t}\n`;
    n += t.split('\n').length;
  }
  return { text, lines: text.split('\n').length };
}

function timeAnalysis(text, runs) {
  const times = [];
  let findings = 0;
  for (let i = 0; i < runs; i++) {
    const p = new Project({ rules, controls });
    const t0 = performance.now();
    p.setFile('/bench/main.tf', text);
    findings = p.analyzeAll().findings.length;
    times.push(performance.now() - t0);
  }
  return { median: median(times), findings };
}

function timeKeystroke(text, runs) {
  const p = new Project({ rules, controls });
  p.setFile('/bench/main.tf', text);
  p.analyzeAll();
  const at = text.indexOf('\n', Math.floor(text.length / 2));
  const times = [];
  for (let i = 0; i < runs; i++) {
    const edited = `${text.slice(0, at)}${i % 2 ? ' ' : ''}${text.slice(at)}`;
    const t0 = performance.now();
    p.setFile('/bench/main.tf', edited);
    p.analyzeFiles(['/bench/main.tf']);
    times.push(performance.now() - t0);
  }
  return median(times);
}

const rows = [];
const big = bigFile(24000);
timeAnalysis(big.text, 3); // warm-up: JIT
const bigRes = timeAnalysis(big.text, 10);
rows.push([`Parse + ${rules.length} rules, ${big.lines.toLocaleString('en')}-line file (real modules), median of 10`, ms(bigRes.median), '≤ 150 ms']);
const small = bigFile(2000, true);
const smallRes = timeAnalysis(small.text, 20);
rows.push([`Parse + all rules, ${small.lines.toLocaleString('en')}-line file, median of 20`, ms(smallRes.median), '']);
rows.push([`One-character edit re-analysed, ${small.lines.toLocaleString('en')}-line file, median of 20`, ms(timeKeystroke(small.text, 20)), '≤ 15 ms']);

if (haveCorpus) {
  // A keystroke in a big workspace: every Terraform file of the corpus is held, one module file is edited.
  const p = new Project({ rules, controls });
  const files = tfFiles(corpus);
  for (const f of files) p.setFile(f, readFileSync(f, 'utf8'));
  p.analyzeAll();
  const target = files.find((f) => f.endsWith('terraform-aws-modules__terraform-aws-vpc/main.tf')) ?? files[0];
  const text = readFileSync(target, 'utf8');
  const times = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    p.setFile(target, i % 2 ? `${text} ` : text);
    p.analyzeFiles([target]);
    times.push(performance.now() - t0);
  }
  rows.push([`One-character edit re-analysed in a ${files.length.toLocaleString('en')}-file workspace (terraform-aws-vpc main.tf, ${text.split('\n').length} lines; its 13 example roots, which call it 17 times, are re-evaluated), median of 20`, ms(median(times)), '']);
}

const cli = join(root, 'dist/cli.js');
if (haveCorpus && existsSync(cli)) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, 'scan', corpus, '--format', 'json', '--fail-on', 'none'], { maxBuffer: 1 << 30 });
  const dt = performance.now() - t0;
  const out = JSON.parse(r.stdout.toString());
  rows.push([`Cold CLI scan of shared/corpus/real (${out.summary.files} files analysed (Terraform, Dockerfiles, Kubernetes manifests, Compose files) of 2,548 IaC files; ${out.summary.findings} findings)`, `${(dt / 1000).toFixed(2)} s`, '≤ 5 s']);
  const mem = await serverMemory(corpus);
  if (mem) rows.push([`Language server memory (RSS) after scanning shared/corpus/real (${mem.files} files)`, `${mem.rss} MB`, "≤ 300 MB"]);
} else {
  rows.push(['Corpus scan', haveCorpus ? 'run `npm run build` first' : '../shared/corpus absent', '']);
}

/** Starts the bundled server on stdio, scans a folder and reads its resident memory when the scan is done. */
async function serverMemory(folder) {
  const server = join(root, 'dist/server.js');
  if (!existsSync(server) || process.platform !== 'linux') return undefined;
  const rpc = createRequire(import.meta.url)('vscode-jsonrpc/node');
  const child = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  conn.onRequest('workspace/configuration', (p) => p.items.map(() => null));
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('window/workDoneProgress/create', () => null);
  const done = new Promise((res) => {
    conn.onNotification('iso27017/status', (s) => {
      if (s.state === 'idle' && s.files > 0) res(s);
    });
    setTimeout(() => res(undefined), 120000).unref();
  });
  conn.listen();
  await conn.sendRequest('initialize', { processId: process.pid, rootUri: pathToFileURL(folder).href, capabilities: { window: { workDoneProgress: true } }, workspaceFolders: [{ uri: pathToFileURL(folder).href, name: 'corpus' }], initializationOptions: { catalogPath: join(root, 'dist/controls.json') } });
  conn.sendNotification('initialized', {});
  const status = await done;
  const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  child.kill();
  return status ? { rss: rss.toFixed(0), files: status.files } : undefined;
}

console.log(`\n| Measure | Result | Target |\n|---|---|---|`);
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
console.log(`\nNode ${process.version}, ${(await import('node:os')).cpus()[0]?.model ?? 'unknown CPU'}, ${(await import('node:os')).cpus().length} cores.`);
process.exit(0);
