// The fused two-layer kernel against TF.js's own autodiff and optimizers on the same seeded runs.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { openCheckpoint } from '../../../src/core/formats';
import { makeDataset } from '../../../src/trainer/data';
import { FusedTwoLayer } from '../../../src/trainer/engines/fusedTwoLayer';
import { findPreset, type TrainConfig } from '../../../src/trainer/presets';
import { trainPreset } from './helpers';

function losses(dir: string): number[] {
  return readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line).loss as number);
}

async function weights(dir: string, name: string): Promise<Float32Array> {
  const files = readdirSync(join(dir, 'checkpoints')).sort();
  const ckpt = await openCheckpoint(join(dir, 'checkpoints', files[files.length - 1]));
  try {
    return await ckpt.read(name);
  } finally {
    await ckpt.close();
  }
}

function maxRelativeGap(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let gap = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    gap = Math.max(gap, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return gap / scale;
}

/** SGD on relu (the JMLR setup), Adam on tanh in 5-D, Adam with dropout masks. */
const CASES: [string, Partial<TrainConfig>][] = [
  ['relu-1d', { steps: 600, every: 100 }],
  ['tanh-5d', { steps: 100, every: 20 }],
  ['dropout-tanh-1d', { steps: 200, every: 50, width: 200 }],
  ['relu-2d', { steps: 400, every: 100 }],
];

describe('fused two-layer trainer', function () {
  this.timeout(120_000);
  for (const [preset, overrides] of CASES) {
    it(`${preset}: follows TF.js's loss trajectory and weights within float32 tolerance`, async () => {
      const fused = await trainPreset(preset, overrides, 'fused');
      const tfjs = await trainPreset(preset, overrides, 'wasm');
      assert.equal(fused.backend, 'fused');
      const [lf, lt] = [losses(fused.dir), losses(tfjs.dir)];
      assert.equal(lf.length, lt.length);
      assert.ok(lt[lt.length - 1] < lt[0], 'the TF.js run itself learns');
      for (let i = 0; i < lf.length; i++)
        assert.ok(Math.abs(lf[i] - lt[i]) <= 2e-3 * lt[i], `loss ${i}: ${lf[i]} vs ${lt[i]}`);
      for (const name of ['fc1.weight', 'fc1.bias', 'fc2.weight']) {
        const gap = maxRelativeGap(await weights(fused.dir, name), await weights(tfjs.dir, name));
        assert.ok(gap < 1e-3, `${name}: relative gap ${gap}`);
      }
    });
  }

  it('the specialised 1-D ReLU step computes exactly what the general step computes', () => {
    const config = { ...findPreset('relu-1d')!.config, width: 300 };
    const data = makeDataset('relu-1d', 0);
    const [fast, general] = [new FusedTwoLayer(config, data), new FusedTwoLayer(config, data, 'general')];
    for (let t = 0; t < 500; t++) [fast, general].forEach((e) => e.step());
    assert.deepEqual(fast.stateDict(), general.stateDict());
    assert.equal(fast.evaluate(), general.evaluate());
  });

  it('is bit-identical from run to run, and another seed differs', async () => {
    const overrides = { steps: 100, every: 50, width: 100 };
    const bytes = async (seed: number) => {
      const run = await trainPreset('dropout-tanh-1d', { ...overrides, seed }, 'fused');
      const folder = join(run.dir, 'checkpoints');
      return readdirSync(folder)
        .sort()
        .map((n) => readFileSync(join(folder, n)));
    };
    const [a, b, other] = [await bytes(0), await bytes(0), await bytes(1)];
    assert.equal(a.length, 3);
    a.forEach((buf, i) => assert.ok(buf.equals(b[i]), `checkpoint ${i} differs between two runs`));
    assert.ok(!a[2].equals(other[2]));
  });
});

describe('phase-diagram init (JMLR 2021 parameterisation)', function () {
  this.timeout(60_000);
  const std = (v: Float32Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0) / v.length);

  it('phase γ = 2·γ_preset with γ′ = 0 draws the same init as the preset γ', async () => {
    const preset = await trainPreset('relu-1d', { steps: 0, every: 1, gamma: 0.75 }, 'fused');
    const phase = await trainPreset('relu-1d', { steps: 0, every: 1, phaseGamma: 1.5, phaseGammaPrime: 0 }, 'fused');
    for (const name of ['fc1.weight', 'fc1.bias', 'fc2.weight'])
      assert.deepEqual(await weights(phase.dir, name), await weights(preset.dir, name), name);
  });

  it('γ′ sets the ratio of the scales: std(a)/std(w) = m^−γ′, std(a)·std(w) = m^−γ', async () => {
    const m = 4000;
    const run = await trainPreset(
      'relu-1d',
      { steps: 0, every: 1, width: m, phaseGamma: 1, phaseGammaPrime: 0.5 },
      'fused',
    );
    const [w, a] = [std(await weights(run.dir, 'fc1.weight')), std(await weights(run.dir, 'fc2.weight'))];
    // 4000 draws: the sample std is within a few percent of the true one.
    assert.ok(Math.abs(a / w / m ** -0.5 - 1) < 0.1, `ratio ${a / w}`);
    assert.ok(Math.abs((a * w) / m ** -1 - 1) < 0.1, `product ${a * w}`);
  });
});
