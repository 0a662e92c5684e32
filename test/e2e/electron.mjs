// `npm run test:electron`: the trusted extension-host suite in a desktop VS Code that
// @vscode/test-electron downloads, for developers with a network and a display. CI runs the same
// suite offline in code-server (`npm run test:e2e`), since that download is not possible there.
import { runTests } from '@vscode/test-electron';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const workspace = mkdtempSync(join(tmpdir(), 'condensation-electron-'));

try {
  await runTests({
    version: '1.100.3', // the VS Code of code-server 4.100.3, which CI uses
    extensionDevelopmentPath: root,
    extensionTestsPath: join(root, 'test', 'e2e', 'suite', 'index.js'),
    extensionTestsEnv: { CONDENSATION_E2E_SUITE: 'trusted' },
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
  });
} catch (e) {
  console.error(`test:electron failed: ${e instanceof Error ? e.message : e}`);
  process.exitCode = 1;
}
