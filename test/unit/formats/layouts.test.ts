// Layout edge cases written by real torch/NumPy (fixtures/make_format_fixtures.py): strides, dtypes, byte order, zip64.
import { strict as assert } from 'assert';
import { readFileSync } from 'fs';
import { join } from 'path';
import { openCheckpoint } from '../../../src/core/formats';
import { assertValuesClose } from './checkpointAssertions';

interface LayoutExpectation {
  readonly step: number | null;
  readonly tensors: Record<string, { shape: number[]; values: (number | string)[] }>;
}

const here = join(__dirname, 'fixtures');
const expected: Record<string, LayoutExpectation> = JSON.parse(readFileSync(join(here, 'expected.json'), 'utf8'));

describe('formats: layouts (non-contiguous torch views, byte order, Fortran order, zip64)', () => {
  for (const [file, want] of Object.entries(expected)) {
    it(`${file}: every value in C order, neuron-major`, async () => {
      const checkpoint = await openCheckpoint(join(here, file));
      try {
        assert.equal(checkpoint.step ?? null, want.step);
        assert.deepEqual(
          checkpoint.tensors.map((t) => t.name),
          Object.keys(want.tensors),
        );
        for (const tensor of checkpoint.tensors) {
          assert.deepEqual(tensor.shape, want.tensors[tensor.name].shape, tensor.name);
          // float64 sources are rounded to float32 once; everything else is exact.
          assertValuesClose(
            await checkpoint.read(tensor.name),
            want.tensors[tensor.name].values,
            1e-7,
            `${file} ${tensor.name}`,
          );
        }
      } finally {
        await checkpoint.close();
      }
    });
  }

  it('reports stored dtypes (F16, BF16, F64 torch storages; big-endian NumPy)', async () => {
    const strided = await openCheckpoint(join(here, 'strided.pt'));
    const dtypes = Object.fromEntries(strided.tensors.map((t) => [t.name, t.dtype]));
    assert.deepEqual(
      [dtypes['half.weight'], dtypes['bf16.weight'], dtypes['double.weight'], dtypes['transposed.weight']],
      ['F16', 'BF16', 'F64', 'F32'],
    );
    await strided.close();
    const bigEndian = await openCheckpoint(join(here, 'big_endian_f8.npy'));
    assert.equal(bigEndian.tensors[0].dtype, 'F64');
    await bigEndian.close();
  });
});
