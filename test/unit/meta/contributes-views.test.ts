// package.json `contributes` for the Controls view: the container, the view, welcome content for every empty
// state, menus that name contributed commands, and the ISO/IEC 27018 switch (C6).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/project';

interface Command { command: string; title: string; category?: string; icon?: string }
interface MenuItem { command: string; when?: string; group?: string }
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  contributes: {
    viewsContainers: { activitybar: Array<{ id: string; title: string; icon: string }> };
    views: Record<string, Array<{ id: string; name: string }>>;
    viewsWelcome: Array<{ view: string; when: string; contents: string }>;
    commands: Command[];
    menus: Record<string, MenuItem[]>;
    configuration: Array<{ properties: Record<string, { type: string; default: unknown; scope?: string }> }>;
  };
};
const c = pkg.contributes;
const commands = new Map(c.commands.map((x) => [x.command, x]));

describe('package.json contributes: the Controls view', () => {
  it('has the ISO 27017 activity-bar container with the Controls view', () => {
    assert.deepEqual(c.viewsContainers.activitybar.find((v) => v.id === 'iso27017'), { id: 'iso27017', title: 'ISO 27017', icon: 'media/iso27017.svg' });
    assert.ok(c.views.iso27017?.some((v) => v.id === 'iso27017.catalog' && v.name === 'Controls'));
  });

  it('has welcome content for no folder, a stopped server, no findings and no search match', () => {
    const whens = c.viewsWelcome.filter((w) => w.view === 'iso27017.catalog').map((w) => w.when);
    for (const needle of ['workspaceFolderCount == 0', "iso27017.serverState == 'stopped'", "iso27017.catalog.state == 'noFindings'", "iso27017.catalog.state == 'noMatch'", "iso27017.catalog.state == 'noCatalog'"]) {
      assert.ok(whens.some((w) => w.includes(needle)), `no viewsWelcome for ${needle}`);
    }
  });

  it('links welcome content and menus only to contributed (or built-in) commands', () => {
    const links = c.viewsWelcome.flatMap((w) => [...w.contents.matchAll(/\(command:([\w.]+)\)/g)].map((m) => m[1]!));
    const menus = Object.values(c.menus).flat().map((m) => m.command);
    const unknown = [...links, ...menus].filter((id) => !commands.has(id) && !id.startsWith('workbench.'));
    assert.deepEqual(unknown, []);
  });

  it('gives every catalog command a category and a codicon, and hides the ones that need an argument', () => {
    const mine = c.commands.filter((x) => x.command.startsWith('iso27017.catalog.'));
    assert.ok(mine.length >= 8);
    for (const x of mine) {
      assert.equal(x.category, 'ISO 27017', x.command);
      assert.match(x.icon ?? '', /^\$\([a-z-]+\)$/, x.command);
    }
    const hidden = new Set(c.menus.commandPalette!.filter((m) => m.when === 'false').map((m) => m.command));
    for (const id of ['iso27017.catalog.openPage', 'iso27017.catalog.openFinding', 'iso27017.catalog.reveal']) assert.ok(hidden.has(id), id);
    assert.ok(!hidden.has('iso27017.catalog.showControl'), 'Show Control… is in the palette');
  });

  it('puts filter, search, refresh in the view title and the page action on controls', () => {
    const title = c.menus['view/title']!.filter((m) => m.when?.includes('view == iso27017.catalog')).map((m) => m.command);
    for (const id of ['iso27017.catalog.search', 'iso27017.catalog.showOnlyWithFindings', 'iso27017.catalog.showAll', 'iso27017.catalog.refresh']) assert.ok(title.includes(id), id);
    const item = c.menus['view/item/context']!;
    assert.ok(item.some((m) => m.command === 'iso27017.catalog.openPage' && m.when?.includes('viewItem == control')));
  });

  it('has the iso27017.catalogs.iso27018 switch, off by default', () => {
    const prop = c.configuration.map((s) => s.properties['iso27017.catalogs.iso27018']).find(Boolean);
    assert.ok(prop);
    assert.equal(prop.type, 'boolean');
    assert.equal(prop.default, false);
  });
});
