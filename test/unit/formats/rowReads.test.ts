// Rows of a tensor's first axis read on their own (a large layer is read a block of rows at a time): the same values
// as those rows of the whole tensor, for every reader, against values real torch and NumPy wrote.
import { strict as assert } from 'assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { Checkpoint, RowSpan } from '../../../src/core/checkpoint';
import { openCheckpoint } from '../../../src/core/formats';
import { listCheckpoints, openEntry } from '../../../src/core/run';
import { assertValuesClose, expectCheckpointError } from './checkpointAssertions';
import { npyBytes } from './handMade';

const FIXTURES = join(__dirname, '..', '..', 'fixtures');
const LAYOUTS = join(__dirname, 'fixtures');

/** Spans of a tensor of `height` rows: the first row, the middle, the last row, none. */
function spans(height: number): RowSpan[] {
  return [
    [0, 1],
    [1, Math.max(0, height - 2)],
    [height - 1, 1],
    [Math.floor(height / 2), 0],
  ];
}

const isFloat = (dtype: string) => ['F64', 'F32', 'F16', 'BF16'].includes(dtype);

/** Every float tensor of rank ≥ 1 and at least 2 rows: each span read alone equals that span of `whole`. */
async function assertRowsMatch(ckpt: Checkpoint, whole: (name: string) => Promise<ArrayLike<number>>) {
  let checked = 0;
  for (const t of ckpt.tensors) {
    if (!isFloat(t.dtype) || t.shape.length === 0 || t.shape[0] < 2) continue;
    const all = await whole(t.name);
    const perRow = all.length / t.shape[0];
    for (const [start, count] of spans(t.shape[0])) {
      const got = await ckpt.read(t.name, [start, count]);
      const want = Array.from(all).slice(start * perRow, (start + count) * perRow);
      assertValuesClose(got, want, 1e-7, `${ckpt.path} ${t.name} rows ${start}+${count}`);
    }
    checked++;
  }
  return checked;
}

describe('formats: rows of a tensor read alone', () => {
  const layouts: Record<string, { tensors: Record<string, { values: (number | string)[] }> }> = JSON.parse(
    readFileSync(join(LAYOUTS, 'expected.json'), 'utf8'),
  );
  for (const [file, want] of Object.entries(layouts)) {
    it(`${file}: rows equal those torch / NumPy wrote (strides, byte order, Fortran order)`, async () => {
      const ckpt = await openCheckpoint(join(LAYOUTS, file));
      try {
        const checked = await assertRowsMatch(ckpt, async (name) =>
          want.tensors[name].values.map((v) => (typeof v === 'string' ? Number(v) : v)),
        );
        assert.ok(checked > 0, `${file} has a tensor of two rows or more`);
      } finally {
        await ckpt.close();
      }
    });
  }

  const folders = ['safetensors', 'pytorch', 'numpy', 'tfjs', 'frameworks', 'layers', 'sets'];
  const entries = (dir: string) =>
    readdirSync(dir)
      .map((name) => join(dir, name))
      .filter((path) => statSync(path).isFile() && /\.(safetensors|pt|pth|tar|ckpt|npz|npy|json)$/.test(path))
      .filter((path) => !path.endsWith('expected.json') && !path.endsWith('probe.json'));
  for (const folder of folders) {
    it(`${folder}: every reader's rows equal those of its whole tensors (shards, quantized TF.js, deflated zips)`, async () => {
      const paths =
        folder === 'sets'
          ? (
              await Promise.all(
                readdirSync(join(FIXTURES, folder))
                  .map((set) => join(FIXTURES, folder, set))
                  .filter((dir) => statSync(dir).isDirectory())
                  .map((dir) => listCheckpoints(dir)),
              )
            ).flatMap((list) => list.map((e) => e.path))
          : entries(join(FIXTURES, folder));
      let checked = 0;
      for (const path of paths) {
        const ckpt = await openEntry(path);
        try {
          checked += await assertRowsMatch(ckpt, (name) => ckpt.read(name));
        } finally {
          await ckpt.close();
        }
      }
      assert.ok(checked > 0, `${folder} has tensors to read by rows`);
    });
  }

  it('a Fortran-order array larger than one read span: rows read a span of columns at a time, in C order', async () => {
    // [4096, 50, 50] float32 (41 MB): 1024 columns of 4096 rows fill one 16 MB span, so a read of rows takes three.
    const [height, a, b] = [4096, 50, 50];
    const value = (r: number, i: number, j: number) => (r * 7 + i * 3 + j * 11) % 1000;
    const fortran = new Float32Array(height * a * b);
    for (let j = 0; j < b; j++)
      for (let i = 0; i < a; i++) for (let r = 0; r < height; r++) fortran[r + height * (i + a * j)] = value(r, i, j);
    const dir = mkdtempSync(join(tmpdir(), 'fortran-rows-'));
    try {
      const path = join(dir, 'fortran.npy');
      writeFileSync(path, npyBytes([height, a, b], Buffer.from(fortran.buffer), true));
      const ckpt = await openCheckpoint(path);
      try {
        for (const [start, count] of [
          [0, 1],
          [1000, 17],
          [100, 2000],
          [4095, 1],
          [2000, 0],
        ] as const) {
          const got = await ckpt.read('fortran', [start, count]);
          assert.equal(got.length, count * a * b);
          // C order: row, then the second axis, then the third.
          for (let t = 0; t < got.length; t++) {
            const [r, i, j] = [start + Math.floor(t / (a * b)), Math.floor(t / b) % a, t % b];
            if (got[t] !== value(r, i, j)) assert.fail(`rows ${start}+${count}: value ${t} is ${got[t]}`);
          }
        }
      } finally {
        await ckpt.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rows the tensor does not have are refused, naming the tensor', async () => {
    const path = join(FIXTURES, 'safetensors', 'mlp_f32.safetensors');
    const ckpt = await openCheckpoint(path);
    try {
      const t = ckpt.tensors.find((x) => x.shape.length === 2)!;
      const message = new RegExp(`tensor "${t.name}" of shape \\[${t.shape.join(', ')}\\] has no rows`);
      await expectCheckpointError(ckpt.read(t.name, [t.shape[0] - 1, 2]), path, { message });
      await expectCheckpointError(ckpt.read(t.name, [-1, 1]), path, { message });
    } finally {
      await ckpt.close();
    }
  });
});
