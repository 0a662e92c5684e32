// Checkpoints as Lightning, timm and torch.save(model) write them (real PyTorch): the weights are read though
// the pickle holds Python objects, which are noted and never run; the figures match the NumPy reference.
import { strict as assert } from 'assert';
import { readFileSync } from 'fs';
import { analyzeCheckpointFile } from '../../../src/core/analyze';
import { openCheckpoint } from '../../../src/core/formats';
import { withDefaults } from '../../../src/protocol/settings';
import { fixturePath } from '../helpers/fixtures';
import { expectCheckpointError } from './checkpointAssertions';

interface Expected {
  step: number | null;
  tensors: Record<string, { shape: number[]; sum: number }>;
  layers: Record<string, Record<string, number>> | null;
  noted: string[];
}

const expected: Record<string, Expected> = JSON.parse(readFileSync(fixturePath('frameworks/expected.json'), 'utf8'));
const close = (got: number, want: number, label: string) =>
  assert.ok(Math.abs(got - want) <= 1e-3 * Math.max(1, Math.abs(want)), `${label}: ${got} vs ${want}`);

describe('formats: checkpoints as training frameworks write them', () => {
  for (const [file, want] of Object.entries(expected)) {
    const path = fixturePath(`frameworks/${file}`);

    it(`${file}: tensors in state_dict() order, their sums, the step and the note`, async () => {
      const ckpt = await openCheckpoint(path);
      try {
        assert.deepEqual(
          ckpt.tensors.map((t) => [t.name, t.shape]),
          Object.entries(want.tensors).map(([name, t]) => [name, t.shape]),
        );
        for (const [name, t] of Object.entries(want.tensors)) {
          close(
            (await ckpt.read(name)).reduce((sum, v) => sum + v, 0),
            t.sum,
            name,
          );
        }
        assert.equal(ckpt.step, want.step ?? undefined);
        const notes = ckpt.notes ?? [];
        assert.equal(notes.length, want.noted.length > 0 ? 1 : 0, notes.join('\n'));
        for (const name of want.noted) assert.match(notes[0], new RegExp(`not run: .*${name.replace(/\./g, '\\.')}`));
      } finally {
        await ckpt.close();
      }
    });

    if (want.layers) {
      const layers = want.layers;
      it(`${file}: layer figures match the NumPy reference, and the report carries the note`, async () => {
        const report = await analyzeCheckpointFile(path, withDefaults());
        assert.equal(report.error, null);
        assert.deepEqual(
          report.layers.map((l) => l.name),
          Object.keys(layers),
        );
        for (const layer of report.layers)
          for (const [field, value] of Object.entries(layers[layer.name]))
            close(layer[field as keyof typeof layer] as number, value, `${layer.name}.${field}`);
        assert.deepEqual(report.notes?.length, 1);
        assert.ok(report.notes?.[0].startsWith(`${file}: holds Python objects that were not run: `));
      });
    }

    if (want.noted.length > 0) {
      it(`${file}: strict mode refuses it, as before`, async () => {
        await expectCheckpointError(openCheckpoint(path, { strict: true }), path, {
          message: /refuses to load global .* strict mode is on/,
        });
      });
    }
  }
});
