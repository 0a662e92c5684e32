// Same seed and backend → bit-identical checkpoints (the seeded init, data and dropout masks).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BackendChoice } from '../../../src/core/backend';
import type { TrainConfig } from '../../../src/trainer/presets';
import { trainPreset } from './helpers';

function checkpointBytes(dir: string): Map<string, Buffer> {
  const folder = join(dir, 'checkpoints');
  return new Map(readdirSync(folder).map((n) => [n, readFileSync(join(folder, n))]));
}

/** Presets that draw from every random stream: dropout masks (SGD) and the 5-D data (Adam). */
const CASES: [string, Partial<TrainConfig>][] = [
  ['dropout-tanh-1d', { steps: 100, every: 50 }],
  ['tanh-5d', { steps: 40, every: 20 }],
];

describe('trainer determinism', function () {
  this.timeout(60_000);
  for (const backend of ['cpu', 'wasm'] as BackendChoice[]) {
    for (const [preset, overrides] of CASES) {
      it(`${preset} on ${backend}: the same seed writes the same bytes, another seed does not`, async () => {
        const a = checkpointBytes((await trainPreset(preset, overrides, backend)).dir);
        const b = checkpointBytes((await trainPreset(preset, overrides, backend)).dir);
        const other = checkpointBytes((await trainPreset(preset, { ...overrides, seed: 1 }, backend)).dir);
        assert.deepEqual(
          [...a.keys()],
          [
            'step-000000.safetensors',
            ...[1, 2].map((k) => `step-${String(k * overrides.every!).padStart(6, '0')}.safetensors`),
          ],
        );
        for (const [name, bytes] of a) {
          assert.ok(bytes.equals(b.get(name)!), `${name} differs between two runs with seed 0`);
          assert.ok(!bytes.equals(other.get(name)!), `${name} is the same with seed 1`);
        }
      });
    }
  }
});
