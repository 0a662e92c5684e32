// NumPy .npy/.npz: headers parsed without eval, truncation is "maybe incomplete", anything else a clear refusal.
import { readFileSync, writeFileSync } from 'fs';
import { openCheckpoint } from '../../../src/core/formats';
import { fixturePath } from '../helpers/fixtures';
import { useTempDir } from '../helpers/tempDir';
import { expectCheckpointError, openAndReadAll } from './checkpointAssertions';

/** A .npy file by hand: magic, version, header length (u16 for v1, u32 after), header text, data. */
function npyBytes(header: string, data: Buffer, version = 1, claimedLength?: number): Buffer {
  const text = Buffer.from(`${header}\n`, 'latin1');
  const length = Buffer.alloc(version === 1 ? 2 : 4);
  if (version === 1) length.writeUInt16LE(claimedLength ?? text.length);
  else length.writeUInt32LE(claimedLength ?? text.length);
  return Buffer.concat([Buffer.from('\x93NUMPY', 'latin1'), Buffer.from([version, 0]), length, text, data]);
}

describe('formats: NumPy', () => {
  const temp = useTempDir();
  const eightBytes = Buffer.alloc(8);

  const cases: [string, Buffer, RegExp, boolean][] = [
    [
      'an object array',
      npyBytes("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", eightBytes),
      /dtype "\|O", which is not read/,
      false,
    ],
    [
      'a structured array',
      npyBytes("{'descr': [('a', '<f4'), ('b', '<f4')], 'fortran_order': False, 'shape': (1,), }", eightBytes),
      /structured array/,
      false,
    ],
    [
      'a header without a shape',
      npyBytes("{'descr': '<f4', 'fortran_order': False, }", eightBytes),
      /without a valid shape/,
      false,
    ],
    [
      'a header that is not a literal',
      npyBytes("{'descr': '<f4', 'shape': (2,", eightBytes),
      /malformed header/,
      false,
    ],
    [
      'code in the header',
      npyBytes(
        "{'descr': __import__('os').system('touch /tmp/x'), 'fortran_order': False, 'shape': (2,), }",
        eightBytes,
      ),
      /malformed header/,
      false,
    ],
    [
      'a header nested 300 000 levels deep',
      npyBytes('('.repeat(300_000), eightBytes, 2),
      /malformed header \(nests deeper than \d+ levels/,
      false,
    ],
    [
      'a __proto__ key that would lend its fields',
      npyBytes("{'__proto__': {'descr': '<f4', 'fortran_order': False, 'shape': (2,)}}", eightBytes),
      /structured array \(or its header has no descr\)/,
      false,
    ],
    [
      'an unknown format version',
      npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", eightBytes, 9),
      /format version 9\.0; only versions 1 to 3/,
      false,
    ],
    [
      'a header claiming 4 GiB',
      npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", eightBytes, 2, 0xfffffff0),
      /more than the \d+-byte limit/,
      false,
    ],
    [
      'bytes after the data',
      npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", eightBytes),
      /4 bytes after its data/,
      false,
    ],
    [
      'less data than the shape needs',
      npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", eightBytes),
      /\(12 bytes\) but only 8 bytes of data \(truncated/,
      true,
    ],
  ];
  for (const [label, bytes, message, maybeIncomplete] of cases) {
    it(`${label} → CheckpointError`, async () => {
      const path = temp(`${label.replace(/\W+/g, '_')}.npy`);
      writeFileSync(path, bytes);
      await expectCheckpointError(openCheckpoint(path), path, { message, maybeIncomplete });
    });
  }

  it('a .npy or .npz cut short at any point is "maybe incomplete"', async () => {
    for (const [file, ext] of [
      ['numpy/single.npy', 'npy'],
      ['numpy/weights.npz', 'npz'],
      ['numpy/compressed.npz', 'npz'],
    ]) {
      const whole = readFileSync(fixturePath(file));
      for (const cut of [1, 5, 6, 9, 10, 40, whole.length >> 1, whole.length - 1]) {
        const path = temp(`cut-${cut}.${ext}`);
        writeFileSync(path, whole.subarray(0, cut));
        await expectCheckpointError(openAndReadAll(path), path, { maybeIncomplete: true });
      }
    }
  });

  it('damaged deflate data in an .npz is caught (inflate error or CRC-32; the offsets lie inside member data)', async () => {
    const whole = readFileSync(fixturePath('numpy/compressed.npz'));
    for (const at of [100, 150, 300, 500]) {
      const damaged = Buffer.from(whole);
      damaged[at] ^= 0x5a;
      const path = temp(`damaged-${at}.npz`);
      writeFileSync(path, damaged);
      await expectCheckpointError(openAndReadAll(path), path);
    }
  });
});
