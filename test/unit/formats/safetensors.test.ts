// safetensors: every malformed header is a CheckpointError before any allocation; reads touch only the tensor asked for.
import { strict as assert } from 'assert';
import { promises as fs, readFileSync, writeFileSync } from 'fs';
import { openCheckpoint } from '../../../src/core/formats';
import { fixturePath } from '../helpers/fixtures';
import { useTempDir } from '../helpers/tempDir';
import { expectCheckpointError, openAndReadAll } from './checkpointAssertions';
import { safetensorsBytes } from './handMade';

function u64Then(value: bigint, rest: string): Buffer {
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(value);
  return Buffer.concat([length, Buffer.from(rest)]);
}

describe('formats: safetensors', () => {
  const temp = useTempDir();

  describe('malformed headers', () => {
    const f32 = (shape: number[], offsets: unknown) => ({ dtype: 'F32', shape, data_offsets: offsets });
    const cases: [string, Buffer, RegExp, boolean][] = [
      [
        'a header claiming 2^62 bytes',
        u64Then(2n ** 62n, '{"a": 1}'),
        /claims 4611686018427387904 bytes, more than the \d+-byte limit/,
        false,
      ],
      ['a header claiming 2^64-1 bytes', u64Then(2n ** 64n - 1n, '{}'), /more than the \d+-byte limit/, false],
      [
        'a header longer than the file',
        u64Then(50_000_000n, '{}'),
        /claims 50000000 bytes but only 2 follow \(truncated/,
        true,
      ],
      ['malformed JSON', safetensorsBytes('{"a": {"dtype": "F32", '), /header is not valid JSON/, false],
      ['a header that is not an object', safetensorsBytes('[1, 2, 3]'), /does not start with "\{"/, false],
      [
        'overlapping offsets',
        safetensorsBytes({ a: f32([4], [0, 16]), b: f32([4], [8, 24]) }, Buffer.alloc(24)),
        /"a" and "b" overlap/,
        false,
      ],
      [
        'shape that disagrees with its offsets',
        safetensorsBytes({ a: f32([2, 3], [0, 16]) }, Buffer.alloc(16)),
        /shape \[2, 3\] of F32 \(24 bytes\) but data_offsets span 16 bytes/,
        false,
      ],
      [
        'an unknown dtype',
        safetensorsBytes({ a: { dtype: 'F33', shape: [1], data_offsets: [0, 4] } }, Buffer.alloc(4)),
        /unknown dtype "F33"/,
        false,
      ],
      [
        'a dtype named like an Object property',
        safetensorsBytes({ a: { dtype: 'constructor', shape: [1], data_offsets: [0, 4] } }, Buffer.alloc(4)),
        /unknown dtype "constructor"/,
        false,
      ],
      [
        'a negative dimension',
        safetensorsBytes({ a: f32([-1], [0, 4]) }, Buffer.alloc(4)),
        /invalid shape \[-1\]/,
        false,
      ],
      [
        'offsets given as strings',
        safetensorsBytes({ a: f32([1], ['0', 4]) }, Buffer.alloc(4)),
        /invalid data_offsets/,
        false,
      ],
      ['reversed offsets', safetensorsBytes({ a: f32([0], [4, 0]) }, Buffer.alloc(4)), /invalid data_offsets/, false],
      [
        'data past the end of the file',
        safetensorsBytes({ a: f32([4], [0, 16]) }, Buffer.alloc(8)),
        /ends at byte \d+ but the file has \d+ bytes \(truncated/,
        true,
      ],
      [
        'bytes after the last tensor',
        safetensorsBytes({ a: f32([1], [0, 4]) }, Buffer.alloc(12)),
        /8 bytes after the last tensor/,
        false,
      ],
      [
        'a hole between two tensors (the format forbids holes)',
        safetensorsBytes({ a: f32([1], [0, 4]), b: f32([1], [8, 12]) }, Buffer.alloc(12)),
        /has a hole of 4 bytes before tensor "b" in the data section/,
        false,
      ],
      [
        'a tensor name listed twice (JSON.parse would keep the last silently)',
        safetensorsBytes(
          '{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}',
          Buffer.alloc(8),
        ),
        /safetensors header lists "a" twice/,
        false,
      ],
      [
        'more tensors than the budget (200 001 empty ones)',
        safetensorsBytes(
          Object.fromEntries(Array.from({ length: 200_001 }, (_, i) => [`t${i}.weight`, f32([0], [0, 0])])),
        ),
        /lists 200001 tensors, more than the 200000-tensor limit \(readerLimits\.maxTensors\)/,
        false,
      ],
      [
        '__metadata__ that is not an object',
        safetensorsBytes({ __metadata__: 'x', a: f32([1], [0, 4]) }, Buffer.alloc(4)),
        /__metadata__ is not an object/,
        false,
      ],
    ];
    for (const [label, bytes, message, maybeIncomplete] of cases) {
      it(`${label} → CheckpointError (maybeIncomplete ${maybeIncomplete})`, async () => {
        const path = temp(`${label.replace(/\W+/g, '_')}.safetensors`);
        writeFileSync(path, bytes);
        await expectCheckpointError(openCheckpoint(path), path, { message, maybeIncomplete });
      });
    }
  });

  it('a file cut short at any point is "maybe incomplete"', async () => {
    const whole = readFileSync(fixturePath('safetensors/mlp_f32.safetensors'));
    const headerEnd = 8 + Number(whole.readBigUInt64LE(0));
    for (const cut of [0, 1, 7, 8, 9, headerEnd >> 1, headerEnd, headerEnd + 5, whole.length - 1]) {
      const path = temp(`cut-${cut}.safetensors`);
      writeFileSync(path, whole.subarray(0, cut));
      await expectCheckpointError(openAndReadAll(path), path, { maybeIncomplete: true });
    }
  });

  it('asking for a tensor that is not there names it', async () => {
    const path = fixturePath('safetensors/mlp_f32.safetensors');
    const checkpoint = await openCheckpoint(path);
    await expectCheckpointError(checkpoint.read('fc9.weight'), path, { message: /no tensor named "fc9.weight"/ });
    await checkpoint.close();
  });

  it('NaN and ±Inf come back as they are (F32, F16, BF16 bit patterns)', async () => {
    const f32 = Buffer.from(new Float32Array([NaN, Infinity, -Infinity, 1.5]).buffer);
    // Hand-written half and bfloat16 encodings of NaN, +Inf, -Inf and 1.5.
    const f16 = Buffer.from(new Uint16Array([0x7e00, 0x7c00, 0xfc00, 0x3e00]).buffer);
    const bf16 = Buffer.from(new Uint16Array([0x7fc0, 0x7f80, 0xff80, 0x3fc0]).buffer);
    const path = temp('nan.safetensors');
    writeFileSync(
      path,
      safetensorsBytes(
        {
          a: { dtype: 'F32', shape: [2, 2], data_offsets: [0, 16] },
          b: { dtype: 'F16', shape: [4], data_offsets: [16, 24] },
          c: { dtype: 'BF16', shape: [4], data_offsets: [24, 32] },
        },
        Buffer.concat([f32, f16, bf16]),
      ),
    );
    const values = await openAndReadAll(path);
    for (const name of ['a', 'b', 'c'])
      assert.deepEqual(Array.from(values.get(name)!), [NaN, Infinity, -Infinity, 1.5], name);
  });

  it('reads only the requested tensor: positioned reads of a few bytes from a 256 MiB file', async () => {
    const bigCount = 64 * 1024 * 1024;
    const path = temp('sparse.safetensors');
    const header = safetensorsBytes(
      {
        __metadata__: { step: '12' },
        small: { dtype: 'F32', shape: [2, 2], data_offsets: [0, 16] },
        big: { dtype: 'F32', shape: [bigCount], data_offsets: [16, 16 + 4 * bigCount] },
      },
      Buffer.from(new Float32Array([1, -2, 3.5, 4]).buffer),
    );
    writeFileSync(path, header);
    // The big tensor is a hole in a sparse file: reading the whole file would mean 256 MiB.
    await fs.truncate(path, header.length + 4 * bigCount);

    const probe = await fs.open(path, 'r');
    const fileHandlePrototype = Object.getPrototypeOf(probe) as {
      read: (...args: unknown[]) => Promise<{ bytesRead: number }>;
    };
    await probe.close();
    const originalRead = fileHandlePrototype.read;
    let bytesRead = 0;
    fileHandlePrototype.read = async function (this: unknown, ...args: unknown[]) {
      const result = await originalRead.apply(this, args);
      bytesRead += result.bytesRead;
      return result;
    };
    try {
      const checkpoint = await openCheckpoint(path);
      assert.deepEqual(
        checkpoint.tensors.map((t) => [t.name, t.shape]),
        [
          ['small', [2, 2]],
          ['big', [bigCount]],
        ],
      );
      assert.equal(checkpoint.step, 12);
      assert.deepEqual(Array.from(await checkpoint.read('small')), [1, -2, 3.5, 4]);
      await checkpoint.close();
    } finally {
      fileHandlePrototype.read = originalRead;
    }
    assert.ok(bytesRead > 0, 'the reads were observed');
    assert.ok(
      bytesRead <= header.length + 16,
      `read ${bytesRead} bytes; the header and the small tensor are ${header.length} bytes`,
    );
  });
});
