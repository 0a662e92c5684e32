import { strict as assert } from 'node:assert';
import type { HeatmapData } from '../../../src/protocol/panel';
import { canShowRawOrder, cellText, heatmapBytes, heatmapCell, heatmapPixels } from '../../../src/report/heatmapCells';

// Neurons 2, 0, 1 in heatmap order; values[r*3+c] are bytes 0..8 so each cell is identifiable.
const h: HeatmapData = {
  size: 3,
  blockSize: 1,
  order: [2, 0, 1],
  boundaries: [1],
  values: Uint8Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8]),
  similarity: 'signed',
};
// A lookup table whose red channel is the byte itself.
const lut = new Uint8Array(256 * 4).map((_, i) => (i % 4 === 0 ? i / 4 : i % 4 === 3 ? 255 : 0));
const red = (px: Uint8ClampedArray, r: number, c: number) => px[(r * 3 + c) * 4];

describe('heatmap image', () => {
  it('draws cluster order as sent', () => {
    const px = heatmapPixels(h, h.values, lut, false);
    assert.deepEqual(
      [0, 1, 2].map((c) => red(px, 0, c)),
      [0, 1, 2],
    );
    assert.deepEqual(
      [0, 1, 2].map((c) => red(px, 2, c)),
      [6, 7, 8],
    );
  });

  it('reorders to raw neuron order: neuron 0 sits at heatmap position 1, neuron 1 at 2, neuron 2 at 0', () => {
    const px = heatmapPixels(h, h.values, lut, true);
    // raw (0, 1) = positions (1, 2) = byte 5; raw (2, 0) = positions (0, 1) = byte 1; raw (1, 1) = (2, 2) = byte 8
    assert.equal(red(px, 0, 1), 5);
    assert.equal(red(px, 2, 0), 1);
    assert.equal(red(px, 1, 1), 8);
  });

  it('says which neurons a cell compares and its S', () => {
    const cell = heatmapCell(h, h.values, false, 0, 1);
    assert.deepEqual([cell.rowNeurons, cell.colNeurons], [[2], [0]]);
    assert.equal(cellText(cell), `i = 2, j = 0, S = ${(1 / 127.5 - 1).toFixed(3)}`);
  });

  it('names the neurons of a block and refuses raw order when block-averaged', () => {
    const blocks: HeatmapData = {
      size: 2,
      blockSize: 2,
      order: [3, 1, 0, 2],
      boundaries: [],
      values: Uint8Array.from([255, 0, 0, 255]),
      similarity: 'absolute',
    };
    assert.equal(canShowRawOrder(blocks), false);
    assert.equal(cellText(heatmapCell(blocks, blocks.values, true, 0, 1)), 'i ∈ {3, 1}, j ∈ {0, 2}, mean S = -1.000');
  });

  it('accepts the bytes as a typed array, a plain array or an index object', () => {
    assert.deepEqual([...heatmapBytes([1, 2])], [1, 2]);
    assert.deepEqual([...heatmapBytes({ 0: 7, 1: 9 })], [7, 9]);
    assert.deepEqual([...heatmapBytes(new Uint16Array([258]))], [2, 1]);
  });
});
