// Strict mode holds for every file a run reads: the baseline of relativeChange too, not only each checkpoint.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeRun } from '../../../src/core/analyze';
import { openCheckpoint } from '../../../src/core/formats';
import { writeSafetensors } from '../../../src/core/formats/safetensorsWriter';
import { fixturePath } from '../helpers/fixtures';

/** A run: step 0 is torch.save(model) (Python classes in its pickle), step 100 the same weights, scaled, as safetensors. */
async function run(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'cl-strict-'));
  copyFileSync(fixturePath('frameworks/whole_module.pt'), join(dir, 'step-000000.pt'));
  const source = await openCheckpoint(fixturePath('frameworks/whole_module.pt'));
  const tensors = [];
  for (const t of source.tensors) {
    const data = (await source.read(t.name)).map((v) => 1.5 * v);
    tensors.push({ name: t.name, shape: [...t.shape], data });
  }
  await source.close();
  writeSafetensors(join(dir, 'step-000100.safetensors'), tensors, { step: '100' });
  return dir;
}

describe('strict mode and the run baseline', () => {
  it('by default the pickled module is read and step 100 is measured against it (weights × 1.5: change 0.5)', async () => {
    const report = await analyzeRun(await run());
    const [first, second] = report.checkpoints;
    assert.equal(first.error, null);
    assert.ok(Math.abs(second.layers[0].relativeChange! - 0.5) < 1e-6, String(second.layers[0].relativeChange));
  });

  it('with strict the baseline is refused as its own entry is, so nothing is measured against it', async () => {
    const report = await analyzeRun(await run(), { strict: true });
    const [first, second] = report.checkpoints;
    assert.match(first.error ?? '', /step-000000\.pt: /);
    assert.equal(second.error, null);
    assert.equal(second.layers[0].relativeChange, undefined);
  });
});
