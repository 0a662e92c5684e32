import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ESLint } from 'eslint';

const repo = join(__dirname, '..', '..', '..');

/** The import-rule messages eslint reports for `code` as if it were the file at `path` (relative to the repo). */
async function importErrors(path: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: repo });
  const [result] = await eslint.lintText(code, { filePath: join(repo, path) });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('the import rule (docs/architecture.md), enforced by the lint', () => {
  const forbidden: [string, string][] = [
    ['src/protocol/x.ts', "import type { LayerSpec } from '../core/layers';"],
    ['src/core/x.ts', "import { RunManager } from '../extension/run/runManager';"],
    ['src/core/formats/x.ts', "import { main } from '../../cli/main';"],
    ['src/trainer/x.ts', "import { analyze } from '../cli/analyze';"],
    ['src/extension/x.ts', "import { train } from '../trainer/train';"],
    ['webview/x.ts', "import { analyzeRun } from '../src/core/analyze';"],
    ['src/report/x.ts', "import { analyzeRun } from '../core/analyze';"],
  ];
  for (const [path, code] of forbidden) {
    it(`fails: ${path}: ${code}`, async () => {
      const errors = await importErrors(path, code);
      assert.equal(errors.length, 1, errors.join('\n'));
      assert.match(errors[0], /may not import .* \(docs\/architecture\.md/);
    });
  }

  const allowed: [string, string][] = [
    ['src/core/x.ts', "import type { HostMessage } from '../protocol/panel';"],
    ['src/cli/x.ts', "import { analyzeRun } from '../core/analyze';"],
    ['src/extension/x.ts', "import { analyzeRun } from '../core/analyze';"],
    ['webview/x.ts', "import type { HostMessage } from '../src/protocol/panel';"],
    ['src/core/formats/x.ts', "import { CheckpointError } from '../checkpoint';"],
  ];
  for (const [path, code] of allowed) {
    it(`passes: ${path}: ${code}`, async () => {
      assert.deepEqual(await importErrors(path, code), []);
    });
  }
});
