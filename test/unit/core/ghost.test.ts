// The ghost points of a detail: the baseline checkpoint's orientation and amplitudes, computed without its clusters.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { layerDetail } from '../../../src/core/analyze';
import { withDefaults } from '../../../src/protocol/settings';

const FIXTURES = join(__dirname, '..', '..', 'fixtures');
/** Values of the independent NumPy implementation (test/fixtures/README.md). */
const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8'));

describe('detail ghost points', () => {
  it("are the baseline's θ and A per neuron (NumPy values of the baseline file)", async () => {
    const base = 'safetensors/mlp_f32.safetensors';
    const d = await layerDetail(
      join(FIXTURES, 'safetensors', 'mlp_f16.safetensors'),
      'fc1',
      withDefaults(),
      join(FIXTURES, base),
    );
    const want = expected.checkpoints[base].layers.fc1;
    assert.ok(d.ghost);
    d.ghost.amplitude.forEach((a, k) =>
      assert.ok(Math.abs(a - want.amplitudes[k]) <= 1e-4 * Math.max(1, want.amplitudes[k])),
    );
    d.ghost.theta.forEach((t, k) => {
      const w = want.orientation[k];
      assert.ok(Math.hypot(Math.cos(t) - Math.cos(w), Math.sin(t) - Math.sin(w)) < 1e-3, `θ_${k}: ${t} vs ${w}`);
    });
  });
});
