// The watcher judges a checkpoint of several files (an index and its shards) over all of them: one seen changing
// is ready only once all of them settled, and an early read of a set still being written fails without a report.
import { strict as assert } from 'node:assert';
import { cpSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeCheckpointFile } from '../../../src/core/analyze';
import { withDefaults } from '../../../src/protocol/settings';
import { listCheckpointStats } from '../../../src/extension/watch/checkpointFiles';
import { CheckpointTracker } from '../../../src/extension/watch/checkpointTracker';
import { useTempDir } from '../helpers/tempDir';

const SETS = join(__dirname, '..', '..', 'fixtures', 'sets');
const SETTLE = 1000;

describe('watching checkpoints of several files', () => {
  const temp = useTempDir();

  it('a shard still being written keeps its sharded checkpoint waiting, in a folder and as an opened file', async () => {
    const settings = withDefaults();
    const dir = temp('sharded');
    cpSync(join(SETS, 'sharded_safetensors'), dir, { recursive: true });
    const index = join(dir, 'model.safetensors.index.json');
    const shard = join(dir, 'model-00002-of-00002.safetensors');
    for (const target of [{ folder: dir }, { file: index }]) {
      const tracker = new CheckpointTracker(() => SETTLE);
      const old = Date.now() / 1000 - 60;
      for (const f of [index, shard, join(dir, 'model-00001-of-00002.safetensors')]) utimesSync(f, old, old);
      rmSync(shard);
      writeFileSync(shard, Buffer.alloc(100)); // the shard writer has just started
      const now = Date.now();
      const listed = await listCheckpointStats(target);
      assert.deepEqual(
        listed.map((s) => s.path),
        [index],
        'one checkpoint',
      );
      const [early] = tracker.scan(listed, now);
      assert.equal(early?.path, index, 'first sight: read early, in case it is complete');
      const part = await analyzeCheckpointFile(index, settings);
      assert.notEqual(part.error, null, 'a shard of 100 bytes does not read');
      assert.equal(tracker.result(early, false, now, !part.incomplete), 'retry', 'an early read: not reported');
      cpSync(join(SETS, 'sharded_safetensors', 'model-00002-of-00002.safetensors'), shard);
      const grown = await listCheckpointStats(target);
      assert.notEqual(grown[0].size, listed[0].size, 'the size covers every shard');
      assert.deepEqual(tracker.scan(grown, now + SETTLE / 2), [], 'seen changing: waits to settle');
      assert.deepEqual(
        tracker.scan(grown, Date.now() + 2 * SETTLE).map((f) => f.path),
        [index],
        'ready once every file settled',
      );
      assert.equal((await analyzeCheckpointFile(index, settings)).error, null, 'the whole set reads');
    }
  });
});
