// `npm start`: build, package the .vsix, then scan examples/ and print the findings with their controls.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

console.log('== build and package');
run('npm', ['run', '--silent', 'package']);
const vsix = join(root, `${pkg.name}-${pkg.version}.vsix`);
console.log(`   ${vsix} (${(statSync(vsix).size / 1024).toFixed(0)} KB)`);

console.log('\n== iso27017 scan examples/');
const r = spawnSync(process.execPath, [join(root, 'dist/cli.js'), 'scan', 'examples', '--fail-on', 'none'], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 2);
