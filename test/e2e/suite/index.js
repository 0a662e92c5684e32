// Entry of the extension-host tests: VS Code loads this module inside the real extension host and
// awaits run(). It runs mocha on the spec folder named by CONDENSATION_E2E_SUITE (set by run.mjs on
// the code-server process, inherited by its extension host); a rejection means failure.
const path = require('node:path');
const fs = require('node:fs');
const Mocha = require('mocha/lib/mocha.cjs');

/** Spec timeout: a tiny training run, its analysis and the panel round trip on 2 cores. */
const SPEC_TIMEOUT_MS = 120000;

exports.run = async function run() {
  const suite = process.env.CONDENSATION_E2E_SUITE;
  if (!suite)
    throw new Error('CONDENSATION_E2E_SUITE is not set: start the extension-host tests with `npm run test:e2e`.');
  const dir = path.resolve(__dirname, suite);
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  if (files.length === 0) throw new Error(`${dir}: no *.test.js spec files.`);
  // run.mjs prints the workbench log from this line to the end line.
  console.log(`condensation-e2e: ${files.length} spec file(s) in ${suite}`);
  const mocha = new Mocha({ ui: 'bdd', timeout: SPEC_TIMEOUT_MS, color: false, reporter: 'spec' });
  for (const f of files) mocha.addFile(path.join(dir, f));
  const failures = await new Promise((resolve) => mocha.run(resolve));
  console.log(`condensation-e2e: end of ${suite}`);
  if (failures > 0) throw new Error(`${failures} extension-host test(s) failed in ${suite}`);
};
