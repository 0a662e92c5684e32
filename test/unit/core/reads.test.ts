// Each byte read once: one read per stored tensor per checkpoint, the baseline once per run and layer.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { analyzeCheckpoint, analyzeCheckpointFile, Baseline } from '../../../src/core/analyze';
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
});
