// The built CLI loads TF.js (dist/tfjs.js) only for layers that need it: a small checkpoint is analysed without it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSafetensors } from '../../../src/core/formats/safetensorsWriter';
import { seededRandom } from '../formats/seededRandom';

const ROOT = join(__dirname, '..', '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures');
const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8'));

/** Preloaded into the CLI: prints on exit whether any module named tfjs.js was loaded. */
const HOOK = `const Module = require('node:module');
const load = Module._load;
let tfjs = false;
Module._load = function (request, ...rest) {
  if (/[\\\\/]tfjs\\.js$/.test(request)) tfjs = true;
  return load.call(this, request, ...rest);
};
process.on('exit', () => process.stderr.write('tfjs loaded: ' + tfjs + '\\n'));`;

describe('condensation-lens analyze loads TF.js lazily (built CLI)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lazy-tfjs-'));
    writeFileSync(join(dir, 'hook.js'), HOOK);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const analyze = (file: string) =>
    spawnSync(process.execPath, ['-r', join(dir, 'hook.js'), join(ROOT, 'dist', 'cli.js'), 'analyze', file, '--json'], {
      encoding: 'utf8',
    });

  it('a 16-neuron checkpoint: NumPy figures without loading TF.js', () => {
    const r = analyze(join(FIXTURES, 'safetensors', 'mlp_f32.safetensors'));
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /tfjs loaded: false/);
    const layers = JSON.parse(r.stdout).checkpoints[0].layers;
    const want = expected.checkpoints['safetensors/mlp_f32.safetensors'].layers;
    assert.deepEqual(
      layers.map((l: { clusters: number }) => l.clusters),
      [want.fc1.clusters, want.fc2.clusters],
    );
  });

  it('a 1024×256 layer: TF.js loaded', function () {
    this.timeout(60_000);
    const rand = seededRandom(3);
    const file = join(dir, 'large.safetensors');
    const data = Float32Array.from({ length: 1024 * 256 }, () => rand() - 0.5);
    writeSafetensors(file, [{ name: 'fc1.weight', shape: [1024, 256], data }]);
    const r = analyze(file);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /tfjs loaded: true/);
    assert.equal(JSON.parse(r.stdout).checkpoints[0].layers[0].active, 1024);
  });
});
