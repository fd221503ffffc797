// The `iso27017` command line: the same engine as the editor, for CI and scripts.

import { existsSync, promises as fsp } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Catalog } from './catalog/catalog';
import { loadCatalogFile, loadCatalogFromDir } from './catalog/load-node';
import { formatJson, formatSarif, formatText, type ScanReport } from './cli/report';
import { collectFiles } from './node/walk';
import { normalisePath, Project } from './engine/project';
import type { FileError, Severity } from './engine/types';
import { rules } from './rules/index';

declare const __VERSION__: string | undefined;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev';

const USAGE = `Usage:
  iso27017 scan [paths...] [--format text|json|sarif] [--fail-on error|warning|info|none] [--output FILE] [--exclude GLOB]... [--no-color]
  iso27017 rules [--format json|text]
  iso27017 controls [--format json|text]
  iso27017 --version | --help

scan      analyses Terraform files (default path: .) and prints the findings with their ISO 27017 controls.
          Exit code: 0 nothing at or above --fail-on (default: info), 1 findings at or above it, 2 usage or internal error.
rules     lists every rule's metadata.
controls  lists the ISO 27017 controls of the catalog.`;

class UsageError extends Error {}

interface Args {
  command: string;
  paths: string[];
  format: string;
  failOn: Severity | 'none';
  output: string | undefined;
  exclude: string[];
  color: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { command: '', paths: [], format: 'text', failOn: 'info', output: undefined, exclude: [], color: !!process.stdout.isTTY && !process.env.NO_COLOR };
  const takeValue = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = a.indexOf('=');
    const [flag, inline] = a.startsWith('--') && eq > 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [a, undefined];
    const value = (): string => {
      if (inline !== undefined) return inline;
      const v = takeValue(i, flag);
      i++;
      return v;
    };
    switch (flag) {
      case '--format':
      case '-f':
        args.format = value();
        break;
      case '--fail-on': {
        const v = value();
        if (!['error', 'warning', 'info', 'none'].includes(v)) throw new UsageError(`--fail-on takes error, warning, info or none, not "${v}"`);
        args.failOn = v as Severity | 'none';
        break;
      }
      case '--output':
      case '-o':
        args.output = value();
        break;
      case '--exclude':
        args.exclude.push(value());
        break;
      case '--no-color':
        args.color = false;
        break;
      default:
        if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
        if (!args.command) args.command = a;
        else args.paths.push(a);
    }
  }
  return args;
}

/** Finds the catalog: next to the bundle (dist/controls.json), else controls-data/ in a checkout. */
function loadCatalog(): Catalog | undefined {
  const candidates = [join(__dirname, 'controls.json'), join(__dirname, '../dist/controls.json'), join(__dirname, '../../dist/controls.json')];
  for (const c of candidates) if (existsSync(c)) return loadCatalogFile(c);
  for (const d of [join(__dirname, '../controls-data'), join(__dirname, '../../controls-data')]) if (existsSync(join(d, 'catalog.json'))) return loadCatalogFromDir(d);
  return undefined;
}

const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1, hint: 0 };

async function scan(args: Args): Promise<number> {
  if (!['text', 'json', 'sarif'].includes(args.format)) throw new UsageError(`--format takes text, json or sarif, not "${args.format}"`);
  const catalog = loadCatalog();
  const project = new Project({ rules, controls: catalog?.controls ?? [] });
  const roots = (args.paths.length ? args.paths : ['.']).map((p) => resolve(p));
  const errors: FileError[] = [];
  for (const r of roots) if (!existsSync(r)) throw new UsageError(`no such file or directory: ${r}`);
  const files = await collectFiles(roots, { exclude: args.exclude, analysable: (p) => Project.isAnalysable(p), errors });
  for (const f of files) project.setFile(f.path, f.text);
  const result = project.analyzeAll();
  const root = normalisePath(roots.length === 1 && !files.some((f) => f.path === normalisePath(roots[0]!)) ? roots[0]! : process.cwd());
  const report: ScanReport = { findings: result.findings, errors: [...errors, ...result.errors], files: result.files.length, root };
  let text: string;
  if (args.format === 'json') text = formatJson(report, VERSION);
  else if (args.format === 'sarif') text = formatSarif(report, rules.map((r) => r.meta), catalog, VERSION);
  else text = formatText(report, args.color && !args.output);
  if (args.output) await fsp.writeFile(args.output, text);
  else process.stdout.write(text);
  if (args.failOn === 'none') return 0;
  const threshold = RANK[args.failOn];
  return result.findings.some((f) => RANK[f.severity] >= threshold) ? 1 : 0;
}

function listRules(args: Args): number {
  if (args.format === 'json') {
    process.stdout.write(`${JSON.stringify(rules.map((r) => r.meta), null, 2)}\n`);
    return 0;
  }
  if (args.format !== 'text') throw new UsageError(`--format takes json or text, not "${args.format}"`);
  for (const r of rules) process.stdout.write(`${r.meta.id.padEnd(52)} ${r.meta.severity.padEnd(8)} ${r.meta.controls.join(', ').padEnd(24)} ${r.meta.title}\n`);
  process.stdout.write(`${rules.length} rules\n`);
  return 0;
}

function listControls(args: Args): number {
  const catalog = loadCatalog();
  if (!catalog) throw new Error('the control catalog was not found next to the program (dist/controls.json)');
  if (args.format === 'json') {
    const byControl = new Map<string, string[]>();
    for (const r of rules) for (const c of r.meta.controls) byControl.set(c, [...(byControl.get(c) ?? []), r.meta.id]);
    process.stdout.write(`${JSON.stringify({ ...catalog, controls: catalog.controls.map((c) => ({ ...c, rules: byControl.get(c.id) ?? [] })) }, null, 2)}\n`);
    return 0;
  }
  if (args.format !== 'text') throw new UsageError(`--format takes json or text, not "${args.format}"`);
  for (const c of catalog.controls) process.stdout.write(`${c.id.padEnd(12)} ${c.title}\n`);
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  try {
    if (argv.includes('--help') || argv.includes('-h') || argv.length === 0) {
      process.stdout.write(`${USAGE}\n`);
      return argv.length === 0 ? 2 : 0;
    }
    if (argv.includes('--version')) {
      process.stdout.write(`${VERSION}\n`);
      return 0;
    }
    const args = parseArgs(argv);
    switch (args.command) {
      case 'scan':
        return await scan(args);
      case 'rules':
        return listRules(args);
      case 'controls':
        return listControls(args);
      default:
        throw new UsageError(`unknown command "${args.command}"`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`iso27017: ${e.message}\n\n${USAGE}\n`);
      return 2;
    }
    process.stderr.write(`iso27017: internal error: ${(e as Error).stack ?? String(e)}\n`);
    return 2;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
