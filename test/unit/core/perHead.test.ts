// Per-head layers across a run: each head is compared with the same head of the baseline (hand-computed change).
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeRun } from '../../../src/core/analyze';
import { openCheckpoint } from '../../../src/core/formats';
import { writeSafetensors } from '../../../src/core/formats/safetensorsWriter';
import { fixturePath } from '../helpers/fixtures';
import { useTempDir } from '../helpers/tempDir';

describe('per-head layers in a run', () => {
  const temp = useTempDir();

  it('head 0 of v scaled by 3 changes by exactly 2 against the baseline; head 1 and the other heads by 0', async () => {
    const run = temp('run');
    mkdirSync(run);
    const source = fixturePath('layers/mistral_gqa/model.safetensors');
    copyFileSync(source, join(run, 'step-1.safetensors'));
    copyFileSync(fixturePath('layers/mistral_gqa/config.json'), join(run, 'config.json'));
    const ckpt = await openCheckpoint(source);
    const v = 'model.layers.0.self_attn.v_proj.weight';
    const tensors = [];
    for (const t of ckpt.tensors) {
      const data = Float32Array.from(await ckpt.read(t.name));
      // v_proj is [2 heads · 4, 16]: head 0 is rows 0 … 3.
      if (t.name === v) for (let i = 0; i < 4 * 16; i++) data[i] *= 3;
      tensors.push({ name: t.name, shape: t.shape, data });
    }
    await ckpt.close();
    writeSafetensors(join(run, 'step-2.safetensors'), tensors, { ...ckpt.metadata });
    const report = await analyzeRun(run, { perHead: true });
    const last = report.checkpoints.at(-1)!;
    assert.equal(last.error, null);
    const change = (name: string) => last.layers.find((l) => l.name === name)?.relativeChange;
    assert.ok(Math.abs(change('model.layers.0.self_attn.v_proj.head0')! - 2) < 1e-6);
    assert.equal(change('model.layers.0.self_attn.v_proj.head1'), 0);
    assert.equal(change('model.layers.0.self_attn.q_proj.head3'), 0);
  });
});
