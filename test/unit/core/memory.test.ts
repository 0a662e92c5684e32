// Peak memory of analysing one large layer, measured in a child process (the goal itself lives in the bench).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSafetensors } from '../../../src/core/formats/safetensorsWriter';
import { seededRandom } from '../formats/seededRandom';

const NEURONS = 4096;
const INPUTS = 4096;
const LAYER_BYTES = NEURONS * (INPUTS + 1) * 4;
/**
 * The goal is 2× the layer over the loaded process. The weight reaches the kernels a block of rows at a time, so
 * what a layer of this size holds is its unit directions, the cover's work space on the wasm heaps, and the
 * collector's slack: buffers no longer used but not yet collected, in each of the two threads. The test allows 3×
 * the layer, so that one more copy of it fails: the engine that read the weight whole, kept the input vectors and a
 * transposed copy on TF.js peaked at 6.3× over the loaded process; the one that also packed a copy for the spectrum
 * and made new buffers for every block and product between 2.5× and 3.55×; this one between 2.27× and 2.39× in ten
 * runs. The layer is large enough (64 MB) that fixed costs, such as the heap of the kernels' second thread, do not
 * pass for it. The goal itself, on an 8192 × 8192 layer, is in the bench (`npm run bench scale:memory`).
 */
const BOUND = 3 * LAYER_BYTES;

describe('peak memory of one layer', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'engine-memory-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it(`analysing a ${NEURONS}×${INPUTS} f32 layer with a bias (nothing condensed) stays within 3× its size over the loaded engine`, function () {
    this.timeout(300_000);
    const rand = seededRandom(17);
    const file = join(dir, 'large.safetensors');
    const data = Float32Array.from({ length: NEURONS * INPUTS }, () => rand() - 0.5);
    const bias = Float32Array.from({ length: NEURONS }, () => rand() - 0.5);
    writeSafetensors(file, [
      { name: 'fc1.weight', shape: [NEURONS, INPUTS], data },
      { name: 'fc1.bias', shape: [NEURONS], data: bias },
    ]);
    const script = join(__dirname, 'scripts', 'peakMemory.ts');
    const out = execFileSync(process.execPath, ['-r', 'tsx/cjs', script, file, 'fc1'], { encoding: 'utf8' });
    const { loaded, peak, neurons } = JSON.parse(out) as { loaded: number; peak: number; neurons: number };
    assert.equal(neurons, NEURONS);
    const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`;
    assert.ok(peak - loaded <= BOUND, `peak ${mb(peak)} is ${mb(peak - loaded)} over the loaded ${mb(loaded)}`);
  });
});
