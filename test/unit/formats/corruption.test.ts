// Seeded random damage to every kind of fixture: whatever happens, only CheckpointErrors naming the file come out.
import { readFileSync, writeFileSync } from 'fs';
import { basename } from 'path';
import { fixturePath } from '../helpers/fixtures';
import { useTempDir } from '../helpers/tempDir';
import { expectCheckpointError, openAndReadAll } from './checkpointAssertions';
import { seededRandom } from './seededRandom';

const sources = [
  'pytorch/wrapped.pt',
  'pytorch/conv.pt',
  'safetensors/mlp_f32.safetensors',
  'safetensors/mlp_bf16.safetensors',
  'numpy/weights.npz',
  'numpy/compressed.npz',
  'numpy/single.npy',
];
const damagesPerFile = 80;

describe('formats: random damage never escapes as another exception', () => {
  const temp = useTempDir();

  for (const source of sources) {
    it(`${source}: ${damagesPerFile} damaged copies`, async () => {
      const whole = readFileSync(fixturePath(source));
      const next = seededRandom(whole.length);
      for (let i = 0; i < damagesPerFile; i++) {
        const damaged = Buffer.from(whole);
        // Flip 1-4 bytes; every fourth copy is also cut short.
        for (let flips = 1 + Math.floor(next() * 4); flips > 0; flips--)
          damaged[Math.floor(next() * damaged.length)] ^= 1 + Math.floor(next() * 255);
        const bytes = i % 4 === 3 ? damaged.subarray(0, Math.floor(next() * damaged.length)) : damaged;
        const path = temp(`${i}-${basename(source)}`);
        writeFileSync(path, bytes);
        try {
          await openAndReadAll(path);
        } catch (err) {
          // Many damaged copies still read (a flipped weight is a valid weight); those that fail must fail properly.
          await expectCheckpointError(Promise.reject(err), path);
        }
      }
    });
  }
});
