// A large layer reaches the kernels a block of rows at a time, each block read from the file alone: its weight is
// never read whole, each byte is read once, and the unit rows on the kernels are those computed here in float64.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { analyzeCheckpoint, analyzeOpenLayer } from '../../../src/core/analyze';
import { Cancelled } from '../../../src/core/cancel';
import { SharedReads } from '../../../src/core/sharedReads';
import { engineBackend } from '../../../src/core/backend';
import type { Checkpoint, RowSpan } from '../../../src/core/checkpoint';
import { writeSafetensors } from '../../../src/core/formats/safetensorsWriter';
import { tfKernels } from '../../../src/core/kernels/tfKernels';
import { discoverLayers } from '../../../src/core/layers/discover';
import { viewRows } from '../../../src/core/layers/viewRows';
import { computeNeurons } from '../../../src/core/neurons';
import { openEntry } from '../../../src/core/run';
import { withDefaults } from '../../../src/protocol/settings';
import { seededRandom } from '../formats/seededRandom';

const NEURONS = 8192;
const INPUTS = 1500;
/** The kernels' blocks: about 16 MB of float32 each. */
const BLOCK_BYTES = 2 ** 24;

/** The checkpoint with its reads recorded: the tensor, and the rows asked for (none: the whole tensor). */
function recording(ckpt: Checkpoint) {
  const reads: { name: string; rows?: RowSpan }[] = [];
  const read = ckpt.read;
  ckpt.read = (name, rows) => (reads.push({ name, rows }), read(name, rows));
  return reads;
}

/** The spans read of `name`: all of them rows, none overlapping, together every row once. */
function assertRowsReadOnce(reads: { name: string; rows?: RowSpan }[], name: string, rows: number, rowBytes: number) {
  const spans = reads.filter((r) => r.name === name).map((r) => r.rows);
  assert.ok(spans.length >= 2, `${name} read in blocks (${spans.length})`);
  assert.ok(
    spans.every((s) => s !== undefined),
    `${name} never read whole`,
  );
  const sorted = (spans as RowSpan[]).slice().sort((a, b) => a[0] - b[0]);
  let next = 0;
  for (const [start, count] of sorted) {
    assert.equal(start, next, `${name}: rows from ${next} read once`);
    assert.ok(count * rowBytes <= BLOCK_BYTES, `${name}: a block of ${count} rows`);
    next = start + count;
  }
  assert.equal(next, rows);
}

describe('a large layer read a block of rows at a time', () => {
  let dir: string;
  let file: string;
  let weight: Float32Array;
  let bias: Float32Array;
  before(async () => {
    await engineBackend();
    dir = mkdtempSync(join(tmpdir(), 'streamed-layer-'));
    file = join(dir, 'large.safetensors');
    const rand = seededRandom(5);
    weight = Float32Array.from({ length: NEURONS * INPUTS }, () => rand() - 0.5);
    bias = Float32Array.from({ length: NEURONS }, () => rand() - 0.5);
    const next = Float32Array.from({ length: 16 * NEURONS }, () => rand() - 0.5);
    writeSafetensors(file, [
      { name: 'fc1.weight', shape: [NEURONS, INPUTS], data: weight },
      { name: 'fc1.bias', shape: [NEURONS], data: bias },
      { name: 'fc2.weight', shape: [16, NEURONS], data: next },
    ]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it(`${NEURONS} × ${INPUTS} with a bias: every row once, by rows, and its unit rows and norms as float64 gives them`, async () => {
    const ckpt = await openEntry(file);
    try {
      const reads = recording(ckpt);
      const [spec] = discoverLayers(ckpt);
      const nr = await computeNeurons(tfKernels, { weight: viewRows(ckpt, spec.weight), bias }, true, 0);
      assert.ok(!('nonFinite' in nr));
      try {
        assertRowsReadOnce(reads, 'fc1.weight', NEURONS, 4 * INPUTS);
        const sample = Int32Array.from([0, 1, 2047, 4096, NEURONS - 1]);
        const got = tfKernels.rows(nr.units, sample);
        sample.forEach((k, r) => {
          const row = [...weight.subarray(k * INPUTS, (k + 1) * INPUTS), bias[k]];
          const norm = Math.sqrt(row.reduce((s, x) => s + x * x, 0));
          assert.ok(Math.abs(nr.norms[k] - norm) <= 1e-6 * norm, `‖v_${k}‖`);
          row.forEach((x, c) => assert.ok(Math.abs(got[r * (INPUTS + 1) + c] - x / norm) < 1e-6, `u_${k}[${c}]`));
        });
      } finally {
        tfKernels.release(nr.units);
      }
    } finally {
      await ckpt.close();
    }
  });

  it('a job superseded while its rows are read stops at the next block and leaves nothing on the kernels', async () => {
    const reads: RowSpan[] = [];
    const ckpt = await openEntry(file);
    const read = ckpt.read;
    ckpt.read = (name, rows) => (name === 'fc1.weight' && rows && reads.push(rows), read(name, rows));
    const tensors = tf.memory().numTensors;
    let checks = 0;
    const check = () => {
      if (++checks === 2) throw new Cancelled();
    };
    try {
      const reading = analyzeOpenLayer(ckpt, new SharedReads(ckpt), 'fc1', withDefaults(), undefined, check);
      await assert.rejects(reading, Cancelled);
    } finally {
      await ckpt.close();
    }
    assert.equal(reads.length, 2, 'no block read after the one it stopped at');
    assert.ok(reads[0][1] + reads[1][1] < NEURONS);
    assert.equal(tf.memory().numTensors, tensors, 'the blocks held so far are released');
  });

  it('a checkpoint: the layer by rows, its next layer read whole once and shared with that layer', async function () {
    this.timeout(120_000);
    const ckpt = await openEntry(file);
    try {
      const reads = recording(ckpt);
      // Both layers above maxNeurons: their figures without clusters (the reads are what this test is about).
      const layers = await analyzeCheckpoint(ckpt, withDefaults({ maxNeurons: 1 }));
      assert.deepEqual(
        layers.map((l) => [l.name, l.next, l.neurons]),
        [
          ['fc1', 'fc2', NEURONS],
          ['fc2', null, 16],
        ],
      );
      assertRowsReadOnce(reads, 'fc1.weight', NEURONS, 4 * INPUTS);
      assert.deepEqual(
        reads.filter((r) => r.name !== 'fc1.weight'),
        [
          { name: 'fc1.bias', rows: undefined },
          { name: 'fc2.weight', rows: undefined },
        ],
      );
    } finally {
      await ckpt.close();
    }
  });
});
