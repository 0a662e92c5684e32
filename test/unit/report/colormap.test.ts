import { strict as assert } from 'node:assert';
import { byteLut, byteToSimilarity, divergingColor, parseColor, type Diverging } from '../../../src/report/colormap';

// VS Code Light Modern: charts blue and red around the editor background.
const light: Diverging = { negative: [26, 133, 255], zero: [255, 255, 255], positive: [229, 20, 0] };

describe('diverging colormap', () => {
  it('maps −1, 0 and +1 to the three theme colors', () => {
    assert.deepEqual(divergingColor(-1, light), [26, 133, 255]);
    assert.deepEqual(divergingColor(0, light), [255, 255, 255]);
    assert.deepEqual(divergingColor(1, light), [229, 20, 0]);
  });

  it('interpolates linearly in sRGB and rounds (hand-computed midpoints)', () => {
    // 255 + (229 − 255)/2 = 242, 255 + (20 − 255)/2 = 137.5 → 138, 255/2 = 127.5 → 128
    assert.deepEqual(divergingColor(0.5, light), [242, 138, 128]);
    // 255 + (26 − 255)·0.25 = 197.75 → 198, 255 − 122·0.25 = 224.5 → 225, 255
    assert.deepEqual(divergingColor(-0.25, light), [198, 225, 255]);
    assert.deepEqual(divergingColor(3, light), [229, 20, 0]);
  });

  it('decodes heatmap bytes as S = b / 127.5 − 1 and tabulates their colors', () => {
    assert.equal(byteToSimilarity(0), -1);
    assert.equal(byteToSimilarity(255), 1);
    const lut = byteLut(light);
    assert.deepEqual([...lut.subarray(0, 4)], [26, 133, 255, 255]);
    assert.deepEqual([...lut.subarray(255 * 4, 256 * 4)], [229, 20, 0, 255]);
  });

  it('parses the color forms a canvas normalises to', () => {
    assert.deepEqual(parseColor('#1a85ff'), [26, 133, 255]);
    assert.deepEqual(parseColor('#abc'), [170, 187, 204]);
    assert.deepEqual(parseColor('rgb(1, 2, 3)'), [1, 2, 3]);
    // 97·0.5 + 255·0.5 = 176 over white
    assert.deepEqual(parseColor('rgba(97, 97, 97, 0.5)'), [176, 176, 176]);
    assert.deepEqual(parseColor('#00000080', [255, 255, 255]), [127, 127, 127]);
    assert.equal(parseColor('papayawhip'), undefined);
  });
});
