// The `checklist init|status` and `soa` commands: the shared-responsibility checklist and the Statement of
// Applicability from the command line. The I/O lives here; server/src/checklist/ stays pure.

import { existsSync, promises as fsp, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { type Catalog, OWNERS, SERVICE_MODELS, type ServiceModel } from '../catalog/catalog';
import {
  buildSoa,
  CHECKLIST_PATH,
  checklistModels,
  checklistRows,
  createChecklist,
  detectServices,
  evidenceFor,
  formatProblem,
  type ParsedChecklist,
  parseChecklist,
  progressByOwner,
  progressByResponsibility,
  renderSoa,
  resourceTypeCollector,
  SOA_FORMATS,
  type SoaFormat,
  type StatusCounts,
} from '../checklist/index';
import { normalisePath, Project } from '../engine/project';
import type { Rule } from '../engine/rule';
import type { FileError, Finding } from '../engine/types';
import { today } from '../node/clock';
import { collectFiles } from '../node/walk';
import { commonOption, UsageError, walkArgs } from './argv';
import { ConfigError, loadCliConfig, type CliConfig } from './config';

export const CHECKLIST_USAGE = `  iso27017 checklist init [folder] [--provider aws[,azure,gcp]] [--model iaas,paas,saas] [--exclude GLOB]...
  iso27017 checklist status [folder] [--exclude GLOB]... [--config FILE | --no-config]
  iso27017 soa [folder] [--format md|csv|html|json] [--output FILE] [--exclude GLOB]... [--config FILE | --no-config]

checklist init    creates ${CHECKLIST_PATH} in the folder (default: .) from the catalog, with the cloud services
                  detected in its Terraform; never overwrites an existing checklist (exit 1).
checklist status  prints progress per responsibility and flags controls marked done whose rules have open
                  findings. Exit code: 0 no conflict, 1 conflicts, 2 no or invalid checklist.
soa               prints the Statement of Applicability (default format: md); without a checklist, from the
                  catalog defaults, and says so.`;

/** What the commands need from the program around them. */
export interface ChecklistCliContext {
  loadCatalog(): Catalog | undefined;
  rules: readonly Rule[];
  out(s: string): void;
  err(s: string): void;
  /** `YYYY-MM-DD`; default: today (or SOURCE_DATE_EPOCH, for reproducible output). */
  today?: string;
}


interface Args {
  command: 'checklist' | 'soa';
  sub: string | undefined;
  folder: string;
  providers: string[];
  models: ServiceModel[] | undefined;
  format: string;
  output: string | undefined;
  exclude: string[];
  config: string | undefined;
  noConfig: boolean;
  /** The repository config, once read. */
  loaded?: CliConfig;
}

const VALUE_FLAGS = new Set(['--format', '-f', '--output', '-o', '--provider', '--model', '--exclude', '--fail-on', '--config']);

/** The command word of an argument list: the first argument that is neither a flag nor a flag's value. */
export function commandOf(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('-')) {
      if (VALUE_FLAGS.has(a)) i++;
      continue;
    }
    return a;
  }
  return undefined;
}

/** True for the commands this module runs. */
export function isChecklistCommand(argv: readonly string[]): boolean {
  const c = commandOf(argv);
  return c === 'checklist' || c === 'soa';
}

function parseModels(v: string): ServiceModel[] {
  return v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const m = SERVICE_MODELS.find((x) => x.toLowerCase() === s.toLowerCase());
      if (!m) throw new UsageError(`--model takes iaas, paas or saas (comma-separated), not "${s}"`);
      return m;
    });
}

function parseArgs(argv: string[]): Args {
  const positional: string[] = [];
  const args: Omit<Args, 'command' | 'sub' | 'folder'> = { providers: [], models: undefined, format: 'md', output: undefined, exclude: [], config: undefined, noConfig: false };
  const onOption = (flag: string, value: () => string): boolean => {
    if (commonOption(flag, value, args)) return true;
    switch (flag) {
      case '--provider':
        for (const p of value().split(',').map((s) => s.trim().toLowerCase()).filter(Boolean)) {
          if (!/^[a-z][a-z0-9-]*$/.test(p)) throw new UsageError(`--provider takes names such as aws, azure, gcp, not "${p}"`);
          if (!args.providers.includes(p)) args.providers.push(p);
        }
        return true;
      case '--model':
        args.models = [...new Set([...(args.models ?? []), ...parseModels(value())])];
        return true;
      case '--no-color':
        return true;
      default:
        return false;
    }
  };
  walkArgs(argv, onOption, (word) => positional.push(word));
  const command = positional.shift() as Args['command'];
  let sub: string | undefined;
  if (command === 'checklist') {
    sub = positional.shift();
    if (sub !== 'init' && sub !== 'status') throw new UsageError(sub ? `unknown checklist command "${sub}" (init or status)` : 'checklist needs a command: init or status');
  }
  if (positional.length > 1) throw new UsageError(`one folder at most, not ${positional.length}`);
  return { command, sub, folder: positional[0] ?? '.', ...args };
}

function todayOf(ctx: ChecklistCliContext): string {
  if (ctx.today) return ctx.today;
  const epoch = Number(process.env.SOURCE_DATE_EPOCH);
  return today(process.env.SOURCE_DATE_EPOCH && Number.isFinite(epoch) ? new Date(epoch * 1000) : new Date());
}

function folderOf(args: Args): string {
  const folder = resolve(args.folder);
  if (!existsSync(folder)) throw new UsageError(`no such folder: ${folder}`);
  if (!statSync(folder).isDirectory()) throw new UsageError(`not a folder: ${folder}`);
  return folder;
}

interface Analysis {
  findings: Finding[];
  errors: FileError[];
  types: Map<string, number>;
  files: number;
}

/** Runs every rule over the folder's files, and collects the resource types it declares. */
async function analyse(folder: string, exclude: string[], catalog: Catalog, rules: readonly Rule[], now: string, config?: CliConfig): Promise<Analysis> {
  const errors: FileError[] = [];
  const all = config && !config.merged.settings.enable ? [] : await collectFiles([folder], { exclude, analysable: (p) => Project.mayBeAnalysable(p), errors });
  const files = config ? all.filter((f) => !config.excluded(f.path)) : all;
  const collector = resourceTypeCollector();
  // `now` judges suppression expiries, as `scan` does; suppressed findings are not evidence against a control.
  // The repository config's rules, suppression policy and sidecar suppressions apply as in `scan`.
  const project = new Project({ rules: [...rules, ...collector.rules], controls: catalog.controls, settings: { ...(config?.engine ?? {}), now } });
  for (const f of files) project.setFile(f.path, f.text);
  const result = project.analyzeAll();
  return { findings: result.findings, errors: [...errors, ...result.errors], types: collector.types, files: result.files.length };
}

/** The checklist file of a folder: `checklist.path` of the repository config (relative to its folder), else the default. */
function checklistFile(folder: string, config: CliConfig | undefined): string {
  return config?.loaded ? join(config.loaded.root, config.merged.checklistPath) : join(folder, CHECKLIST_PATH);
}

async function readChecklist(folder: string, catalog: Catalog, ctx: ChecklistCliContext, config?: CliConfig): Promise<{ path: string; parsed: ParsedChecklist } | undefined> {
  const path = checklistFile(folder, config);
  let text: string;
  try {
    text = await fsp.readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  const parsed = parseChecklist(text, { catalog });
  for (const p of parsed.problems) ctx.err(`${formatProblem(p, display(path))}\n`);
  return { path, parsed };
}

/** Writes a new file atomically and never over an existing one: temp file, then a hard link (or rename). */
async function writeNew(path: string, text: string): Promise<'written' | 'exists'> {
  await fsp.mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  await fsp.writeFile(tmp, text, { flag: 'wx' });
  try {
    try {
      await fsp.link(tmp, path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return 'exists';
      // Some file systems have no hard links; a rename is still atomic.
      if (existsSync(path)) return 'exists';
      await fsp.rename(tmp, path);
    }
    return 'written';
  } finally {
    await fsp.rm(tmp, { force: true });
  }
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** A path as the user should see it: relative to the working directory when inside it, else absolute. */
function display(path: string, from = process.cwd()): string {
  const rel = relative(from, path);
  return rel && !rel.startsWith('..') ? rel : path;
}

async function init(args: Args, catalog: Catalog, ctx: ChecklistCliContext): Promise<number> {
  const folder = folderOf(args);
  const path = checklistFile(folder, args.loaded);
  const shown = display(path);
  if (existsSync(path)) {
    ctx.err(`iso27017: ${shown} already exists and was not changed. Edit it, or delete it to start over.\n`);
    return 1;
  }
  const analysis = await analyse(folder, args.exclude, catalog, ctx.rules, todayOf(ctx), args.loaded);
  const detected = detectServices(analysis.types);
  const providers = [...new Set([...args.providers, ...detected.providers])].sort();
  let models = args.models ?? detected.models;
  const notes: string[] = [];
  if (args.models) {
    const missed = detected.models.filter((m) => !args.models!.includes(m));
    for (const m of missed) notes.push(`note: the Terraform uses ${m} services (${detected.services.filter((s) => s.model === m).map((s) => s.name).join(', ')}), but --model leaves ${m} out.`);
  }
  if (models.length === 0) {
    models = [...SERVICE_MODELS];
    notes.push('note: no cloud service was detected and no --model given, so the defaults assume IaaS, PaaS and SaaS (the most customer-heavy split).');
  }
  const { checklist, text } = createChecklist({ catalog, providers, models, services: detected.services, today: todayOf(ctx) });
  if ((await writeNew(path, text)) === 'exists') {
    ctx.err(`iso27017: ${shown} already exists and was not changed. Edit it, or delete it to start over.\n`);
    return 1;
  }
  const counts = OWNERS.map((o) => `${o} ${Object.values(checklist.controls).filter((i) => i.responsibility === o).length}`).join(', ');
  ctx.out(`Created ${shown}: ${plural(catalog.controls.length, 'control')} of catalog ${catalog.dataVersion}.\n`);
  ctx.out(`Analysed ${plural(analysis.files, 'file')}; ${plural([...analysis.types.values()].reduce((a, b) => a + b, 0), 'resource')} of ${plural(analysis.types.size, 'type')}.\n`);
  ctx.out(`Providers: ${providers.join(', ') || 'none'}\n`);
  ctx.out(`Service models: ${models.join(', ')}\n`);
  if (detected.services.length === 0) ctx.out('Services detected: none\n');
  else {
    ctx.out('Services detected:\n');
    for (const s of detected.services) ctx.out(`  ${s.name.padEnd(30)} ${s.provider.padEnd(6)} ${s.model}  from ${s.detectedFrom!.join(', ')}\n`);
  }
  if (detected.unmapped.length > 0) ctx.out(`Resource types without a known service: ${detected.unmapped.join(', ')}\n`);
  ctx.out(`Default responsibility: ${counts}\n`);
  for (const n of notes) ctx.out(`${n}\n`);
  ctx.out('Next: review each responsibility, mark controls that do not apply (with a justification), and record owners and evidence.\n');
  return 0;
}

function countsText(c: StatusCounts): string {
  const parts = [`${c.done}/${c.total} done`];
  if (c['in-progress'] > 0) parts.push(`${c['in-progress']} in progress`);
  if (c.todo > 0) parts.push(`${c.todo} to do`);
  if (c.notApplicable > 0) parts.push(`${c.notApplicable} not applicable`);
  return parts.join(', ');
}

async function status(args: Args, catalog: Catalog, ctx: ChecklistCliContext): Promise<number> {
  const folder = folderOf(args);
  const read = await readChecklist(folder, catalog, ctx, args.loaded);
  const shown = display(checklistFile(folder, args.loaded));
  if (!read) {
    ctx.err(`iso27017: no checklist at ${shown}; create one with \`iso27017 checklist init ${args.folder}\`.\n`);
    return 2;
  }
  if (!read.parsed.valid || !read.parsed.checklist) {
    ctx.err(`iso27017: ${shown} has errors (listed above); fix them first.\n`);
    return 2;
  }
  const checklist = read.parsed.checklist;
  const analysis = await analyse(folder, args.exclude, catalog, ctx.rules, todayOf(ctx), args.loaded);
  const rows = checklistRows(checklist, catalog, checklistModels(checklist));
  const byResp = progressByResponsibility(rows);
  ctx.out(`${shown} (catalog ${checklist.catalog.dataVersion}; models ${checklistModels(checklist).join(', ') || 'none recorded'})\n`);
  for (const o of OWNERS) ctx.out(`  ${o.padEnd(9)} ${countsText(byResp[o])}\n`);
  const all = Object.values(byResp).reduce(
    (t, c) => ({ total: t.total + c.total, todo: t.todo + c.todo, 'in-progress': t['in-progress'] + c['in-progress'], done: t.done + c.done, notApplicable: t.notApplicable + c.notApplicable }),
    { total: 0, todo: 0, 'in-progress': 0, done: 0, notApplicable: 0 },
  );
  ctx.out(`  ${'all'.padEnd(9)} ${countsText(all)}\n`);
  const owners = progressByOwner(rows);
  if ([...owners.keys()].some((k) => k !== '')) {
    ctx.out('By owner:\n');
    for (const [name, c] of owners) ctx.out(`  ${(name || 'unassigned').padEnd(24)} ${countsText(c)}\n`);
  }
  const evidence = evidenceFor(read.parsed, catalog, ctx.rules.map((r) => r.meta), analysis.findings);
  for (const e of analysis.errors) ctx.err(`${display(e.file, folder)}: ${e.message}\n`);
  if (evidence.conflicts.length === 0) {
    ctx.out(`No conflicts: no control marked done has open findings (${plural(analysis.findings.length, 'open finding')} in ${plural(analysis.files, 'file')}).\n`);
    return 0;
  }
  ctx.out(`${plural(evidence.conflicts.length, 'conflict')}: controls marked done whose rules have open findings:\n`);
  const byId = new Map(evidence.controls.map((c) => [c.controlId, c]));
  for (const c of evidence.conflicts) {
    const at = c.keyRange ? `${shown}:${c.keyRange.start.line + 1}:${c.keyRange.start.character + 1}` : shown;
    ctx.out(`  ${at}: ${c.message}\n`);
    for (const r of byId.get(c.controlId)?.rules ?? []) {
      for (const l of r.locations) ctx.out(`    ${display(l.file, folder)}:${l.range.start.line + 1}:${l.range.start.character + 1}  ${r.ruleId}${l.resource ? `  ${l.resource}` : ''}\n`);
    }
  }
  return 1;
}

async function soa(args: Args, catalog: Catalog, ctx: ChecklistCliContext): Promise<number> {
  if (!(SOA_FORMATS as readonly string[]).includes(args.format)) throw new UsageError(`--format takes ${SOA_FORMATS.join(', ')}, not "${args.format}"`);
  const folder = folderOf(args);
  const read = await readChecklist(folder, catalog, ctx, args.loaded);
  if (read && (!read.parsed.valid || !read.parsed.checklist)) {
    ctx.err(`iso27017: ${display(read.path)} has errors (listed above); fix them first, or move it away to get the catalog defaults.\n`);
    return 2;
  }
  const analysis = await analyse(folder, args.exclude, catalog, ctx.rules, todayOf(ctx), args.loaded);
  const detected = detectServices(analysis.types);
  const checklist = read?.parsed.checklist;
  let notice: string | undefined;
  let models: ServiceModel[] = detected.models;
  if (!checklist) {
    if (models.length === 0) models = [...SERVICE_MODELS];
    notice = `No checklist at ${CHECKLIST_PATH}: responsibilities are the catalog defaults for ${models.join(', ')}${detected.models.length > 0 ? ' (detected from the Terraform)' : ' (no cloud service detected)'}, every control is shown as applicable and to do. Run \`iso27017 checklist init\` to record decisions.`;
  }
  const data = buildSoa({
    catalog,
    ...(checklist ? { checklist, checklistPath: args.loaded?.loaded ? args.loaded.merged.checklistPath : CHECKLIST_PATH } : {}),
    models,
    providers: detected.providers,
    services: detected.services,
    rules: ctx.rules.map((r) => r.meta),
    findings: analysis.findings,
    root: normalisePath(folder),
    folder: basename(folder),
    today: todayOf(ctx),
    ...(notice ? { notice } : {}),
  });
  const text = renderSoa(data, args.format as SoaFormat);
  if (!checklist) ctx.err(`iso27017: ${notice}\n`);
  if (args.output) {
    await fsp.writeFile(args.output, text);
    ctx.err(`Wrote ${args.output} (${plural(data.summary.controls, 'control')}).\n`);
  } else ctx.out(text);
  return 0;
}

/** Runs `checklist init|status` or `soa`; returns the exit code. */
export async function runChecklistCommand(argv: string[], ctx: ChecklistCliContext): Promise<number> {
  try {
    const args = parseArgs(argv);
    const catalog = ctx.loadCatalog();
    if (!catalog) throw new Error('the control catalog was not found next to the program (dist/controls.json)');
    if (args.config !== undefined && args.noConfig) throw new UsageError('--config and --no-config exclude each other');
    args.loaded = await loadCliConfig({
      start: folderOf(args),
      file: args.config,
      none: args.noConfig,
      user: { enable: true, rules: {}, exclude: [] },
      rules: ctx.rules,
      today: todayOf(ctx),
      err: ctx.err,
    });
    if (args.command === 'soa') return await soa(args, catalog, ctx);
    return args.sub === 'init' ? await init(args, catalog, ctx) : await status(args, catalog, ctx);
  } catch (e) {
    if (e instanceof UsageError) {
      ctx.err(`iso27017: ${e.message}\n\nUsage:\n${CHECKLIST_USAGE}\n`);
      return 2;
    }
    if (e instanceof ConfigError) {
      ctx.err(`iso27017: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
