// The `iso27017` command line: the same engine as the editor, for CI and scripts.

import { existsSync, promises as fsp } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Catalog } from './catalog/catalog';
import { rulesByControl } from './catalog/evidence';
import { loadCatalogFile, loadCatalogFromDir } from './catalog/load-node';
import { catalogMarkdown } from './catalog/markdown';
import { CHECKLIST_USAGE, isChecklistCommand, runChecklistCommand } from './cli/checklist';
import { ConfigError, loadCliConfig } from './cli/config';
import { unifiedDiff } from './cli/diff';
import { commonOption, UsageError, walkArgs } from './cli/argv';
import { formatJson, formatSarif, formatText, relativePath, type ScanReport } from './cli/report';
import { today } from './node/clock';
import { collectFiles } from './node/walk';
import { fixAll } from './engine/fixer';
import { normalisePath, Project } from './engine/project';
import { SEVERITIES, type FileError, type Severity } from './engine/types';
import { rules } from './rules/index';

declare const __VERSION__: string | undefined;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev';

const USAGE = `Usage:
  iso27017 scan [paths...] [--format text|json|sarif] [--fail-on error|warning|info|none] [--output FILE] [--exclude GLOB]... [--no-color]
                [--forbid-suppress CONTROL|SEVERITY]... [--config FILE | --no-config]
  iso27017 fix [paths...] [--rule ID]... [--dry-run] [--placeholders] [--exclude GLOB]... [--config FILE | --no-config]
  iso27017 rules [--format json|text]
  iso27017 controls [--format json|md|text]
${CHECKLIST_USAGE.split('\n\n')[0]}
  iso27017 --version | --help

scan      analyses Terraform files (default path: .) and prints the findings with their ISO 27017 controls.
          Exit code: 0 nothing at or above --fail-on (default: info), 1 findings at or above it, 2 usage or internal error.
          Suppression comments (# iso27017:ignore <rule> -- <reason>, and Checkov/tfsec/Trivy/KICS comments for
          the same checks) silence findings; --forbid-suppress makes findings of a control id or a severity
          unsuppressible (such comments are then reported as iso27017/invalid-suppression).
fix       applies the fixes of the findings (all rules, or those named with --rule) and rewrites the files;
          --dry-run prints a unified diff instead. Fixes that write a placeholder ("REPLACE_ME: …") for a
          value only you can choose are left out unless --placeholders is given.
          Exit code: 0 done (or, with --dry-run, nothing to fix), 1 with --dry-run when there are fixes, 2 errors.
config    scan, fix, checklist and soa read the repository config .iso27017/config.json: the nearest one at or
          above the (first) scanned path, or the file named with --config; --no-config reads none. Its rules,
          excludes, formats, providers, suppression policy and sidecar suppressions apply as in the editor
          (docs/config.md); a config with errors stops the command (exit code 2).
rules     lists every rule's metadata.
controls  lists the ISO 27017 controls of the catalog with the rules that evidence them (md: full documentation).
${CHECKLIST_USAGE.split('\n\n')[1]}`;


interface Args {
  command: string;
  paths: string[];
  format: string;
  failOn: Severity | 'none';
  output: string | undefined;
  exclude: string[];
  color: boolean;
  rules: string[];
  dryRun: boolean;
  placeholders: boolean;
  forbid: string[];
  config: string | undefined;
  noConfig: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    command: '',
    paths: [],
    format: 'text',
    failOn: 'info',
    output: undefined,
    exclude: [],
    color: !!process.stdout.isTTY && !process.env.NO_COLOR,
    rules: [],
    dryRun: false,
    placeholders: false,
    forbid: [],
    config: undefined,
    noConfig: false,
  };
  const onOption = (flag: string, value: () => string): boolean => {
    if (commonOption(flag, value, args)) return true;
    switch (flag) {
      case '--fail-on': {
        const v = value();
        if (!['error', 'warning', 'info', 'none'].includes(v)) throw new UsageError(`--fail-on takes error, warning, info or none, not "${v}"`);
        args.failOn = v as Severity | 'none';
        return true;
      }
      case '--no-color':
        args.color = false;
        return true;
      case '--rule':
        args.rules.push(value());
        return true;
      case '--dry-run':
        args.dryRun = true;
        return true;
      case '--placeholders':
        args.placeholders = true;
        return true;
      case '--forbid-suppress':
        args.forbid.push(value());
        return true;
      default:
        return false;
    }
  };
  walkArgs(argv, onOption, (word) => {
    if (!args.command) args.command = word;
    else args.paths.push(word);
  });
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

/** Loads the files below the paths into a project; `root` is what reported paths are relative to. */
async function load(args: Args, catalog: Catalog | undefined): Promise<{ project: Project; errors: FileError[]; root: string }> {
  const severities = args.forbid.filter((x): x is Severity => (SEVERITIES as readonly string[]).includes(x));
  const controls = args.forbid.filter((x) => !(SEVERITIES as readonly string[]).includes(x));
  const forbid = { ...(controls.length ? { controls } : {}), ...(severities.length ? { severities } : {}) };
  const roots = (args.paths.length ? args.paths : ['.']).map((p) => resolve(p));
  for (const r of roots) if (!existsSync(r)) throw new UsageError(`no such file or directory: ${r}`);
  if (args.config !== undefined && args.noConfig) throw new UsageError('--config and --no-config exclude each other');
  // The repository config is merged with the options as the server merges it with the editor settings.
  const config = await loadCliConfig({
    start: roots[0]!,
    file: args.config,
    none: args.noConfig,
    user: { enable: true, rules: {}, exclude: [], ...(args.forbid.length ? { suppressions: { forbid } } : {}) },
    rules,
    today: today(),
    err: (t) => process.stderr.write(t),
  });
  const project = new Project({ rules, controls: catalog?.controls ?? [], settings: config.engine });
  const errors: FileError[] = [];
  const files = config.merged.settings.enable
    ? (await collectFiles(roots, { exclude: args.exclude, analysable: (p) => Project.mayBeAnalysable(p), errors })).filter((f) => !config.excluded(f.path) && Project.isProjectFile(f.path, f.text))
    : [];
  for (const f of files) project.setFile(f.path, f.text);
  const root = normalisePath(roots.length === 1 && !files.some((f) => f.path === normalisePath(roots[0]!)) ? roots[0]! : process.cwd());
  return { project, errors, root };
}

async function scan(args: Args): Promise<number> {
  if (!['text', 'json', 'sarif'].includes(args.format)) throw new UsageError(`--format takes text, json or sarif, not "${args.format}"`);
  const catalog = loadCatalog();
  const { project, errors, root } = await load(args, catalog);
  const result = project.analyzeAll();
  const report: ScanReport = { findings: result.findings, errors: [...errors, ...result.errors], files: result.files.length, root, suppressed: result.suppressed ?? [] };
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

/** Writes a file atomically: a temporary file in the same folder, then a rename over the original (keeping its mode). */
async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.iso27017-${process.pid}.tmp`);
  const mode = (await fsp.stat(path)).mode;
  try {
    await fsp.writeFile(tmp, text, { mode });
    await fsp.rename(tmp, path);
  } catch (e) {
    await fsp.rm(tmp, { force: true });
    throw e;
  }
}

async function fix(args: Args): Promise<number> {
  const known = new Set(rules.map((r) => r.meta.id));
  for (const id of args.rules) if (!known.has(id)) throw new UsageError(`unknown rule "${id}" (see iso27017 rules)`);
  const { project, errors, root } = await load(args, loadCatalog());
  const originals = new Map(project.filePaths().map((p) => [p, project.text(p)!]));
  const filter = { placeholders: args.placeholders, ...(args.rules.length ? { rules: new Set(args.rules) } : {}) };
  const { files, applied } = fixAll(project, filter);
  const remaining = project.analyzeAll();
  for (const e of errors) process.stderr.write(`iso27017: ${relativePath(root, e.file)}: ${e.message}\n`);
  const changed = [...files.keys()].sort();
  if (args.dryRun) {
    for (const p of changed) process.stdout.write(unifiedDiff(relativePath(root, p), originals.get(p)!, files.get(p)!));
  } else {
    for (const p of changed) await writeAtomic(p, files.get(p)!);
  }
  const left = remaining.findings.filter((f) => !args.rules.length || args.rules.includes(f.ruleId));
  const placeholdersLeft = left.filter((f) => f.fixes.some((x) => x.placeholder)).length;
  process.stderr.write(
    `${args.dryRun ? 'Would apply' : 'Applied'} ${applied} fix${applied === 1 ? '' : 'es'} in ${changed.length} file${changed.length === 1 ? '' : 's'}; ` +
      `${left.length} finding${left.length === 1 ? '' : 's'} left` +
      (placeholdersLeft > 0 && !args.placeholders ? ` (${placeholdersLeft} can be fixed with --placeholders, then filled in)` : '') +
      '.\n',
  );
  return args.dryRun && changed.length > 0 ? 1 : 0;
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
  if (!['json', 'md', 'text'].includes(args.format)) throw new UsageError(`--format takes json, md or text, not "${args.format}"`);
  const catalog = loadCatalog();
  if (!catalog) throw new Error('the control catalog was not found next to the program (dist/controls.json)');
  // One reverse index for the CLI, the server and the views (catalog/evidence.ts).
  const metas = rules.map((r) => r.meta);
  const byControl = rulesByControl(metas);
  if (args.format === 'json') {
    process.stdout.write(`${JSON.stringify({ ...catalog, controls: catalog.controls.map((c) => ({ ...c, rules: byControl.get(c.id) ?? [] })) }, null, 2)}\n`);
  } else if (args.format === 'md') {
    process.stdout.write(catalogMarkdown(catalog, metas));
  } else {
    const records = new Map(catalog.controls.map((c) => [c.id, c]));
    for (const g of catalog.groups) {
      process.stdout.write(`${g.id === 'CLD' ? g.title : `${g.id} ${g.title}`}\n`);
      for (const id of g.controls) {
        const n = byControl.get(id)?.length ?? 0;
        process.stdout.write(`  ${id.padEnd(12)} ${(records.get(id)?.title ?? '').padEnd(72)} ${n === 0 ? 'process control' : `${n} rule${n === 1 ? '' : 's'}`}\n`);
      }
    }
    process.stdout.write(`${catalog.controls.length} controls\n`);
  }
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
    // The checklist and SoA commands parse their own options (server/src/cli/checklist.ts).
    if (isChecklistCommand(argv)) return await runChecklistCommand(argv, { loadCatalog, rules, out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) });
    const args = parseArgs(argv);
    switch (args.command) {
      case 'scan':
        return await scan(args);
      case 'fix':
        return await fix(args);
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
    if (e instanceof ConfigError) {
      process.stderr.write(`iso27017: ${e.message}\n`);
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
