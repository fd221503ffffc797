// Mocha runner that VS Code's extension host loads as `extensionTestsPath` (used by test/e2e/run-exthost.mjs).
// (@vscode/test-cli brings its own runner and loads the *.test.js files directly; see .vscode-test.mjs.)
// Prints mocha's usual spec report, including the `N passing` / `N failing` summary that CI counts.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, reporter: 'spec', timeout: 120_000 });
  if (process.env.ISO27017_E2E_GREP) mocha.grep(process.env.ISO27017_E2E_GREP);
  for (const f of fs.readdirSync(__dirname).filter((n) => n.endsWith('.test.js')).sort()) mocha.addFile(path.join(__dirname, f));
  const resultFile = process.env.ISO27017_E2E_RESULTS; // lets the driver tell "tests failed" from "tests never ran"
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      if (resultFile) {
        const s = runner.stats;
        fs.writeFileSync(resultFile, JSON.stringify({ passes: s?.passes ?? 0, failures, pending: s?.pending ?? 0 }));
      }
      if (failures > 0) reject(new Error(`${failures} extension-host test(s) failed.`));
      else resolve();
    });
  });
}
