// The kernels free every TF.js tensor they make: a wide layer runs in a child process with a capped heap.
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import { writeFileSync } from 'fs';
import { join } from 'path';
import { safetensorsBytes } from '../formats/handMade';
import { seededRandom } from '../formats/seededRandom';
import { useTempDir } from '../helpers/tempDir';

const SCRIPT = join(__dirname, 'scripts', 'analyzeOne.ts');

describe('core: kernel memory', function () {
  this.timeout(300_000);
  const temp = useTempDir();

  it('one F16 layer of 40 000 × 16 (random directions: about one cluster each) finishes under a 1 GB heap cap', () => {
    const [neurons, inputs] = [40_000, 16];
    const next = seededRandom(40_000 * 16);
    const data = Buffer.alloc(neurons * inputs * 2);
    // Random halves with exponent 14 or 15 and a random sign: values in ±[0.5, 2), all finite.
    for (let i = 0; i < neurons * inputs; i++)
      data.writeUInt16LE(
        (next() < 0.5 ? 0x8000 : 0) | ((14 + Math.floor(next() * 2)) << 10) | Math.floor(next() * 1024),
        2 * i,
      );
    const path = temp('wide.safetensors');
    const header = { 'fc.weight': { dtype: 'F16', shape: [neurons, inputs], data_offsets: [0, data.length] } };
    writeFileSync(path, safetensorsBytes(header, data));
    const child = spawnSync(process.execPath, ['--max-old-space-size=1024', '-r', 'tsx/cjs', SCRIPT, path], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    assert.equal(child.status, 0, child.stderr.slice(-2000));
    const { report } = JSON.parse(child.stdout);
    assert.equal(report.error, null);
    assert.deepEqual(
      report.layers.map((l: { name: string; neurons: number }) => [l.name, l.neurons]),
      [['fc', neurons]],
    );
  });
});
