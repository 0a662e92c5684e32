// Zip archives that would inflate gigabytes from a few bytes are refused, naming the budget; shared members
// are inflated once.
import { deflateRawSync } from 'zlib';
import { writeFileSync } from 'fs';
import { openCheckpoint } from '../../../src/core/formats';
import { useTempDir } from '../helpers/tempDir';
import { expectCheckpointError, openAndReadAll } from './checkpointAssertions';
import { npyBytes, zipBytes } from './handMade';
import { seededBytes } from './seededRandom';

describe('formats: zip budgets', () => {
  const temp = useTempDir();

  it('an npz whose 20 000 directory entries overlap on one deflated member is refused as overlapping', async () => {
    const npy = npyBytes([4], Buffer.alloc(16));
    const path = temp('overlap.npz');
    writeFileSync(
      path,
      zipBytes([{ name: 'a.npy', stored: deflateRawSync(npy), method: 8, uncompressedSize: npy.length }], 20_000),
    );
    await expectCheckpointError(openCheckpoint(path), path, {
      message: /zip members "a\.npy" and "alias0\.npy" overlap; the file is corrupt or a zip bomb$/,
    });
  });

  it('a deflate bomb behind a 300 MB array in a 300 KB file is refused before it is inflated', async () => {
    const count = 75_000_000;
    const header = npyBytes([count], Buffer.alloc(0));
    // A valid deflate stream: the header (sync-flushed), then 300 KB of noise in stored blocks.
    const stored = Buffer.concat([deflateRawSync(header, { finishFlush: 2 }), deflateRawSync(seededBytes(3, 300_000))]);
    const path = temp('bomb.npz');
    const member = { name: 'w.npy', stored, method: 8 as const, uncompressedSize: header.length + count * 4 };
    writeFileSync(path, zipBytes([member]));
    await expectCheckpointError(openAndReadAll(path), path, {
      message:
        /would make \d+ inflated bytes in all from a \d+-byte file, more than 268435456 \(readerLimits\.minInflatedBytesPerFile/,
    });
  });

  it('a 1 GB byteorder member is not read whole', async () => {
    const pickle = Buffer.from('\x80\x02}.', 'latin1');
    const byteorder = {
      name: 'archive/byteorder',
      stored: Buffer.alloc(16),
      method: 8 as const,
      uncompressedSize: 1 << 30,
    };
    const path = temp('byteorder.pt');
    writeFileSync(path, zipBytes([{ name: 'archive/data.pkl', stored: pickle }, byteorder]));
    await expectCheckpointError(openCheckpoint(path), path, {
      message:
        /zip member "archive\/byteorder" is 1073741824 bytes, more than the 64-byte limit \(readerLimits\.maxSmallMemberBytes\)/,
    });
  });
});
