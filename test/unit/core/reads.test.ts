// Each byte read once: one read per stored tensor per checkpoint, the baseline once per run and layer.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RowSpan } from '../../../src/core/checkpoint';
import { analyzeCheckpoint, analyzeCheckpointFile } from '../../../src/core/analyze';
import { Baseline } from '../../../src/core/baseline';
import { withDefaults } from '../../../src/protocol/settings';
import { memoryCheckpoint } from './memoryCheckpoint';

const RUN = join(__dirname, '..', '..', 'fixtures', 'reference', 'gamma1');

describe('each byte read once', () => {
  it('reads every tensor of a checkpoint once, though each layer reads the next one too', async () => {
    const filled = (shape: number[]) => ({ shape, data: Array.from({ length: shape[0] * shape[1] }, (_, i) => i % 7) });
    const ckpt = memoryCheckpoint({
      'fc1.weight': filled([6, 4]),
      'fc2.weight': filled([5, 6]),
      'fc3.weight': filled([3, 5]),
    });
    const reads: string[] = [];
    const read = ckpt.read;
    ckpt.read = (name, rows) => (reads.push(name), read(name, rows));
    const layers = await analyzeCheckpoint(ckpt, withDefaults());
    assert.deepEqual(
      layers.map((l) => [l.name, l.next]),
      [
        ['fc1', 'fc2'],
        ['fc2', 'fc3'],
        ['fc3', null],
      ],
    );
    assert.deepEqual(reads.sort(), ['fc1.weight', 'fc2.weight', 'fc3.weight']);
  });

  it('reads each baseline layer once for a whole run', async () => {
    const baseline = new Baseline(join(RUN, 'step-000000.pt'));
    try {
      let compared = 0;
      for (const step of ['step-000000.pt', 'step-001000.pt', 'step-010000.pt']) {
        const report = await analyzeCheckpointFile(join(RUN, step), withDefaults(), baseline);
        compared += report.layers.filter((l) => l.relativeChange !== undefined).length;
      }
      assert.equal(compared, 3);
      assert.equal(baseline.reads, 1);
    } finally {
      await baseline.close();
    }
  });

  it("reads a baseline layer over the cache's budget by rows at each checkpoint, with NumPy's relative change", async () => {
    const expected = JSON.parse(readFileSync(join(RUN, '..', '..', 'expected.json'), 'utf8')).runs['reference/gamma1'];
    const baseline = new Baseline(join(RUN, 'step-000000.pt'), {}, 0);
    const reads: { name: string; rows?: RowSpan }[] = [];
    const base = await baseline.checkpoint();
    const read = base.read;
    base.read = (name, rows) => (reads.push({ name, rows }), read(name, rows));
    try {
      for (const step of ['step-001000.pt', 'step-010000.pt']) {
        const report = await analyzeCheckpointFile(join(RUN, step), withDefaults(), baseline);
        const want = expected[step].fc1.relativeChange;
        assert.ok(Math.abs(report.layers[0].relativeChange! - want) <= 1e-5 * want, `${step}: relative change`);
      }
      assert.equal(baseline.reads, 2, 'read again at each checkpoint');
      const weight = reads.filter((r) => r.name === 'fc1.weight');
      assert.ok(weight.length >= 2 && weight.every((r) => r.rows), 'the baseline weight read by rows, never whole');
    } finally {
      await baseline.close();
    }
  });
});
