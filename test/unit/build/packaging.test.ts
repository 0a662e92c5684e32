import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixturePath } from '../helpers/fixtures';

const repo = join(__dirname, '..', '..', '..');

// The e2e runner's .vsix check (ESM, run by Node); loaded here the way Node loads it.
const contents = import('../../e2e/harness/vsixContents.mjs');

describe('packaging', () => {
  it('lists the entries of a zip written by NumPy (np.savez), in order', async () => {
    const { zipEntryNames } = await contents;
    assert.deepEqual(zipEntryNames(fixturePath('numpy/weights.npz')), [
      'fc1.weight.npy',
      'fc1.bias.npy',
      'fc2.weight.npy',
    ]);
  });

  it('flags source maps, tests and sources in a .vsix, and a missing bundle', async () => {
    const { vsixProblems, REQUIRED } = await contents;
    const good = [...REQUIRED];
    assert.deepEqual(vsixProblems(good), []);
    assert.deepEqual(
      vsixProblems([
        ...good.slice(1),
        'extension/dist/webview/panel.js.map',
        'extension/test/unit/x.test.js',
        'extension/src/core/a.ts',
      ]),
      [
        'ships extension/dist/webview/panel.js.map',
        'ships extension/test/unit/x.test.js',
        'ships extension/src/core/a.ts',
        'lacks extension/package.json',
      ],
    );
  });

  it('installs no native TF.js backend: they are optional peers, never dependencies', () => {
    const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
    for (const name of ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu']) {
      assert.equal(pkg.dependencies?.[name], undefined, name);
      assert.equal(pkg.optionalDependencies?.[name], undefined, name);
      assert.equal(pkg.peerDependenciesMeta?.[name]?.optional, true, name);
    }
    const lock = JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8'));
    assert.equal(lock.packages['node_modules/@tensorflow/tfjs-node-gpu'], undefined);
  });
});
