// Format detection and the error contract for files that are no checkpoint at all.
import { strict as assert } from 'assert';
import { mkdirSync, writeFileSync } from 'fs';
import { isCheckpointFile, openCheckpoint } from '../../../src/core/formats';
import { useTempDir } from '../helpers/tempDir';
import { expectCheckpointError } from './checkpointAssertions';
import { seededBytes } from './seededRandom';

describe('formats: detection and non-checkpoints', () => {
  const temp = useTempDir();

  it('isCheckpointFile by extension, model.json by name, TF.js shards not listed beside a model.json', () => {
    for (const name of [
      'a.safetensors',
      'b.pt',
      'c.pth',
      'd.bin',
      'e.ckpt',
      'f.npz',
      'g.npy',
      'model.json',
      'run/epoch_3.PT',
      'best-model.json',
    ]) {
      assert.equal(isCheckpointFile(name), true, name);
    }
    for (const name of ['metrics.jsonl', 'run.json', 'notes.txt', 'config.json', 'model.json.tmp', 'x.pt.partial']) {
      assert.equal(isCheckpointFile(name), false, name);
    }
    assert.equal(isCheckpointFile('group1-shard1of1.bin', ['model.json', 'group1-shard1of1.bin']), false);
    assert.equal(isCheckpointFile('weights.bin', ['weights.bin', 'other.bin']), true);
  });

  it('random bytes under any name are refused as not a checkpoint', async () => {
    for (const [i, name] of ['r.pt', 'r.safetensors', 'r.npy', 'r.npz', 'r.bin', 'r.ckpt', 'r'].entries()) {
      const path = temp(`random-${i}-${name}`);
      writeFileSync(path, seededBytes(i + 1, 4096));
      await expectCheckpointError(openCheckpoint(path), path);
    }
  });

  it('an empty file is "maybe incomplete"', async () => {
    const path = temp('empty.safetensors');
    writeFileSync(path, Buffer.alloc(0));
    await expectCheckpointError(openCheckpoint(path), path, { message: /is empty/, maybeIncomplete: true });
  });

  it('a missing file and a folder are named, not thrown as fs errors', async () => {
    const missing = temp('missing.pt');
    await expectCheckpointError(openCheckpoint(missing), missing, { message: /cannot open the file \(no such file\)/ });
    const folder = temp('folder.pt');
    mkdirSync(folder);
    await expectCheckpointError(openCheckpoint(folder), folder, { message: /is a directory|not a regular file/ });
  });

  it('a bare pickle and other JSON get a hint', async () => {
    const pickle = temp('bare.pkl');
    writeFileSync(pickle, Buffer.from('80027d71002e', 'hex')); // pickle.dumps({}, 2)
    await expectCheckpointError(openCheckpoint(pickle), pickle, {
      message: /bare pickle: save a state dict with torch\.save/,
    });
    const json = temp('config.json');
    writeFileSync(json, '{"learning_rate": 0.1}');
    await expectCheckpointError(openCheckpoint(json), json, { message: /is JSON but not a TF\.js model\.json/ });
  });

  it('a file shorter than a magic number it starts with is "maybe incomplete"', async () => {
    for (const [name, bytes] of [
      ['a.pt', 'PK\x03'],
      ['a.npy', '\x93NUM'],
      ['legacy.pt', '\x80\x02\x8a\x0a\x6c'],
    ] as const) {
      const path = temp(`short-${name}`);
      writeFileSync(path, Buffer.from(bytes, 'latin1'));
      await expectCheckpointError(openCheckpoint(path), path, { maybeIncomplete: true });
    }
  });
});
