// `analyze --max-neurons N`: layers above N keep active and stable rank, their clusters are left for a request.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const FILE = join(ROOT, 'test', 'fixtures', 'safetensors', 'mlp_f32.safetensors');
const want = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'expected.json'), 'utf8')).checkpoints[
  'safetensors/mlp_f32.safetensors'
].layers;

const cli = (...args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'analyze', FILE, ...args], { encoding: 'utf8' });

describe('condensation-lens analyze --max-neurons (built CLI)', () => {
  it('marks the 16-neuron fc1 deferred at --max-neurons 8 and analyses the 8-neuron fc2 fully', () => {
    const r = cli('--max-neurons', '8', '--json');
    assert.equal(r.status, 0, r.stderr);
    const [fc1, fc2] = JSON.parse(r.stdout).checkpoints[0].layers;
    assert.deepEqual([fc1.name, fc1.deferred, fc1.active, fc1.clusters], ['fc1', true, want.fc1.active, 0]);
    assert.deepEqual([fc2.name, fc2.deferred, fc2.clusters], ['fc2', undefined, want.fc2.clusters]);
    assert.match(cli('--max-neurons', '8').stdout, /clusters not computed/);
  });

  it('refuses a count that is not a positive integer', () => {
    const r = cli('--max-neurons', '0');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--max-neurons expects a number in range, got '0'/);
  });
});
