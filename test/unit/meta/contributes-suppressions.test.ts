// package.json `contributes` for the Suppressions view and the suppression settings (C6): the view, its welcome
// content, its title-bar toggle and item menus, its commands, and the "Suppressions" settings section.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/project';

interface Command { command: string; title: string; category?: string; icon?: string }
interface MenuItem { command: string; when?: string; group?: string }
interface Property { type: string; default: unknown; scope?: string; markdownDescription?: string; items?: { type: string; enum?: string[]; pattern?: string } }
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  contributes: {
    views: Record<string, Array<{ id: string; name: string }>>;
    viewsWelcome: Array<{ view: string; when: string; contents: string }>;
    commands: Command[];
    menus: Record<string, MenuItem[]>;
    configuration: Array<{ title: string; properties: Record<string, Property> }>;
  };
};
const c = pkg.contributes;
const VIEW = 'iso27017.suppressions';
/** The commands client/src/views/suppressionsTree.ts registers (SUPPRESSIONS_COMMANDS; that module imports vscode). */
const COMMANDS = ['iso27017.suppressions.refresh', 'iso27017.suppressions.groupByRule', 'iso27017.suppressions.groupByFile', 'iso27017.suppressions.open'];

describe('package.json contributes: the Suppressions view and settings', () => {
  it('has the Suppressions view in the ISO 27017 container', () => {
    assert.ok(c.views.iso27017?.some((v) => v.id === VIEW && v.name === 'Suppressions'));
  });

  it('welcomes an empty view, no folder and a stopped server', () => {
    const welcome = c.viewsWelcome.filter((w) => w.view === VIEW);
    const empty = welcome.find((w) => w.when.includes("iso27017.suppressions.state == 'empty'"));
    assert.ok(empty);
    assert.ok(empty.contents.startsWith('No suppressions: every finding is visible. Suppress one from its quick fix menu.'));
    for (const needle of ['workspaceFolderCount == 0', "iso27017.serverState == 'stopped'", "iso27017.serverState == 'starting'"]) {
      assert.ok(welcome.some((w) => w.when.includes(needle)), `no viewsWelcome for ${needle}`);
    }
  });

  it('contributes every command of the view, with a category and a codicon; open is hidden from the palette', () => {
    const byId = new Map(c.commands.map((x) => [x.command, x]));
    for (const id of COMMANDS) {
      const cmd = byId.get(id);
      assert.ok(cmd, id);
      assert.equal(cmd.category, 'ISO 27017', id);
      assert.match(cmd.icon ?? '', /^\$\([a-z-]+\)$/, id);
    }
    assert.deepEqual(c.commands.filter((x) => x.command.startsWith('iso27017.suppressions.')).map((x) => x.command).sort(), [...COMMANDS].sort());
    assert.ok(c.menus.commandPalette!.some((m) => m.command === 'iso27017.suppressions.open' && m.when === 'false'));
  });

  it('toggles the grouping from the title bar and opens comments from the items', () => {
    const title = c.menus['view/title']!.filter((m) => m.when?.includes(`view == ${VIEW}`));
    const byRule = title.find((m) => m.command === 'iso27017.suppressions.groupByRule');
    const byFile = title.find((m) => m.command === 'iso27017.suppressions.groupByFile');
    assert.ok(byRule?.when?.includes("iso27017.suppressions.groupBy != 'rule'"));
    assert.ok(byFile?.when?.includes("iso27017.suppressions.groupBy == 'rule'"));
    assert.ok(title.some((m) => m.command === 'iso27017.suppressions.refresh'));
    const items = c.menus['view/item/context']!.filter((m) => m.when?.includes(`view == ${VIEW}`));
    assert.ok(items.some((m) => m.command === 'iso27017.suppressions.open' && m.when!.includes('viewItem == suppression') && m.group === 'inline'));
    assert.ok(items.some((m) => m.command === 'iso27017.rule.show' && m.when!.includes('viewItem == rule')));
  });

  it('has the four suppression settings in a "Suppressions" section, with their types and defaults', () => {
    const section = c.configuration.find((s) => s.title === 'Suppressions');
    assert.ok(section);
    const p = section.properties;
    assert.deepEqual(Object.keys(p).sort(), [
      'iso27017.suppressions.forbidControls',
      'iso27017.suppressions.forbidSeverities',
      'iso27017.suppressions.honourOtherTools',
      'iso27017.suppressions.requireReason',
    ]);
    assert.deepEqual([p['iso27017.suppressions.requireReason']!.type, p['iso27017.suppressions.requireReason']!.default], ['boolean', true]);
    assert.deepEqual([p['iso27017.suppressions.honourOtherTools']!.type, p['iso27017.suppressions.honourOtherTools']!.default], ['boolean', true]);
    assert.deepEqual([p['iso27017.suppressions.forbidControls']!.type, p['iso27017.suppressions.forbidControls']!.default], ['array', []]);
    assert.match('CLD.9.5.1', new RegExp(p['iso27017.suppressions.forbidControls']!.items!.pattern!));
    assert.match('10.1.1', new RegExp(p['iso27017.suppressions.forbidControls']!.items!.pattern!));
    assert.deepEqual(p['iso27017.suppressions.forbidSeverities']!.items!.enum, ['error', 'warning', 'info']);
    for (const [id, prop] of Object.entries(p)) {
      assert.equal(prop.scope, 'resource', id);
      assert.ok((prop.markdownDescription ?? '').length > 40, `${id} has a markdownDescription`);
    }
  });
});
