// The safetensors writer against a file written by an independent Python writer, and the
// progress lines against the examples of docs/formats.md.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { openCheckpoint } from '../../../src/core/formats';
import { encodeSafetensors, writeSafetensors } from '../../../src/core/formats/safetensorsWriter';
import { parseProgressLine } from '../../../src/protocol/trainerProgress';
import { ROOT, tempDir } from './helpers';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'safetensors', 'mlp_f32.safetensors');

describe('safetensors writer', () => {
  it('writes byte for byte what the fixtures’ Python writer wrote for the same tensors', async () => {
    const ckpt = await openCheckpoint(FIXTURE);
    const tensors = [];
    for (const t of ckpt.tensors) tensors.push({ name: t.name, shape: t.shape, data: await ckpt.read(t.name) });
    await ckpt.close();
    assert.ok(encodeSafetensors(tensors, { step: '300' }).equals(readFileSync(FIXTURE)));
  });

  it('writes a file the engine reads back, with its metadata, leaving no temporary file', async () => {
    const dir = tempDir();
    const path = join(dir, 'step-000007.safetensors');
    const weight = Float32Array.from([1, -2, 3.5, 1e-30, -0, 7]);
    writeSafetensors(
      path,
      [
        { name: 'fc1.weight', shape: [3, 2], data: weight },
        { name: 'fc1.bias', shape: [3], data: Float32Array.from([0.1, 0.2, 0.3]) },
      ],
      { step: '7', loss: '0.5' },
    );
    assert.deepEqual(readdirSync(dir), ['step-000007.safetensors']);
    const ckpt = await openCheckpoint(path);
    assert.equal(ckpt.step, 7);
    assert.deepEqual(ckpt.metadata, { step: '7', loss: '0.5' });
    assert.deepEqual(
      ckpt.tensors.map((t) => [t.name, t.dtype, t.shape]),
      [
        ['fc1.weight', 'F32', [3, 2]],
        ['fc1.bias', 'F32', [3]],
      ],
    );
    assert.deepEqual(await ckpt.read('fc1.weight'), weight);
    await ckpt.close();
    // The header is padded with spaces to a multiple of 8 bytes (the format's alignment rule).
    assert.equal(readFileSync(path).readBigUInt64LE(0) % 8n, 0n);
  });

  it('refuses a shape that does not match the data', () => {
    assert.throws(
      () => encodeSafetensors([{ name: 'w', shape: [2, 2], data: new Float32Array(3) }]),
      /shape \[2, 2\] holds 4 values/,
    );
  });
});

describe('trainer progress lines', () => {
  it('parses the docs/formats.md examples', () => {
    assert.deepEqual(parseProgressLine('{"type":"started","run":"<dir>","backend":"wasm"}'), {
      type: 'started',
      run: '<dir>',
      backend: 'wasm',
    });
    assert.deepEqual(parseProgressLine('{"type":"step","step":100,"epoch":100,"loss":0.0012,"stepsPerSecond":850}'), {
      type: 'step',
      step: 100,
      epoch: 100,
      loss: 0.0012,
      stepsPerSecond: 850,
    });
    assert.deepEqual(
      parseProgressLine('{"type":"checkpoint","step":100,"path":"checkpoints/step-000100.safetensors"}'),
      { type: 'checkpoint', step: 100, path: 'checkpoints/step-000100.safetensors' },
    );
    assert.deepEqual(parseProgressLine('{"type":"finished","step":10000}'), { type: 'finished', step: 10000 });
    assert.deepEqual(parseProgressLine('{"type":"failed","message":"..."}'), { type: 'failed', message: '...' });
  });

  it('reads a diverged loss (JSON null) as NaN', () => {
    const line = parseProgressLine('{"type":"step","step":5,"epoch":5,"loss":null,"stepsPerSecond":1}');
    assert.ok(line?.type === 'step' && Number.isNaN(line.loss));
  });

  it('rejects log text, partial lines, unknown types and wrong field types', () => {
    for (const bad of [
      'training in runs/x',
      '{"type":"step","step":1',
      '{"type":"paused","step":1}',
      '{"type":"finished","step":"10"}',
      '{"type":"started","run":"x"}',
      '[1,2]',
      'null',
    ]) {
      assert.equal(parseProgressLine(bad), undefined, bad);
    }
  });
});
