// Strided gathers against hand-computed element orders.
import assert from 'node:assert/strict';
import { gatherRange, gatherStrided, permuteAxes } from '../../../src/core/formats/strided';

// [[0, 1, 2], [3, 4, 5]] in C order; its transpose [3, 2] reads it with strides [1, 3].
const source = Float32Array.from([0, 1, 2, 3, 4, 5]);

describe('strided gathers', () => {
  it('a transpose, whole: [0, 3, 1, 4, 2, 5]', () => {
    assert.deepEqual([...gatherStrided(source, [3, 2], [1, 3])], [0, 3, 1, 4, 2, 5]);
    assert.deepEqual([...permuteAxes(source, [2, 3], [1, 0])], [0, 3, 1, 4, 2, 5]);
  });

  it('a range of the transpose that starts and ends inside rows', () => {
    assert.deepEqual([...gatherRange(source, [3, 2], [1, 3], 1, new Float32Array(4))], [3, 1, 4, 2]);
    assert.deepEqual([...gatherRange(source, [3, 2], [1, 3], 5, new Float32Array(1))], [5]);
    assert.deepEqual([...gatherRange(source, [3, 2], [1, 3], 2, new Float32Array(0))], []);
  });

  it('a range of a 3-axis view from an offset: the odometer carries over two axes', () => {
    // 24 values as [2, 3, 4]; the view [4, 3, 2] (axes reversed) from offset 0, then the same view of the second half
    // of a longer source.
    const values = Float32Array.from({ length: 24 }, (_, i) => i);
    const reversed = (i: number) => {
      const [a, b, c] = [Math.floor(i / 6), Math.floor(i / 2) % 3, i % 2]; // index in [4, 3, 2]
      return c * 12 + b * 4 + a;
    };
    const want = Array.from({ length: 24 }, (_, i) => reversed(i));
    assert.deepEqual([...gatherRange(values, [4, 3, 2], [1, 4, 12], 5, new Float32Array(13))], want.slice(5, 18));
    const longer = Float32Array.from({ length: 30 }, (_, i) => i - 6);
    assert.deepEqual([...gatherRange(longer, [4, 3, 2], [1, 4, 12], 7, new Float32Array(9), 6)], want.slice(7, 16));
  });
});
