// The pure figure models: ticks, the θ window, cluster colours, trajectory steps, the PNG writer, the similarity crop.
import assert from 'node:assert/strict';
import type { HeatmapData } from '../../../src/protocol/panel';
import { clusterLeaders, clusterSlots, thetaWindow, trajectorySteps, wrapTheta } from '../../../src/report/orientation';
import { base64, encodePng } from '../../../src/report/pngEncode';
import { activeOnlyByDefault, similarityModel } from '../../../src/report/similarity';
import { stepCharts } from '../../../src/report/steps';
import { linearTicks, logTicks, piFraction } from '../../../src/report/ticks';
import { decodePng } from '../helpers/png';

describe('figure ticks', () => {
  it('labels tiny amplitudes with a shared power of a thousand instead of 6.445854E-6', () => {
    const t = linearTicks(0, 1.5e-4, 6);
    assert.deepEqual(t.labels, ['0', '50', '100', '150']);
    assert.equal(t.exponent, -6);
  });

  it('keeps plain labels for ordinary ranges, with as many decimals as the step needs', () => {
    assert.deepEqual(linearTicks(0, 1, 6).labels, ['0.0', '0.2', '0.4', '0.6', '0.8', '1.0']);
    assert.deepEqual(linearTicks(-2, 2, 3).labels, ['−2', '0', '2']);
    assert.equal(linearTicks(0, 10000, 6).exponent, 0);
  });

  it('puts log ticks on decades, or 1-2-5 within one decade', () => {
    assert.deepEqual(logTicks(1e-7, 2e-3).labels, ['10⁻⁷', '10⁻⁶', '10⁻⁵', '10⁻⁴', '10⁻³']);
    assert.deepEqual(logTicks(0.15, 0.9).labels, ['2×10⁻¹', '5×10⁻¹']);
  });

  it('writes multiples of π/2', () => {
    assert.deepEqual([-2, -1, 0, 1, 2, 3, 4].map(piFraction), ['−π', '−π/2', '0', 'π/2', 'π', '3π/2', '2π']);
  });
});

describe('θ window', () => {
  it('stays at (−π, π] when ±π lies in an empty arc', () => {
    assert.deepEqual(thetaWindow([-0.5, -0.4, 1.2, 1.3], [0, 0, 1, 1]), { start: -Math.PI, shifted: false });
  });

  it('moves to the largest empty arc when a cluster sits across ±π', () => {
    // A cluster at θ ≈ ±π (3.1 and −3.1) and one at 0: the largest empty arcs are around ±π/2.
    const theta = [3.1, -3.1, 3.05, 0.02, -0.02];
    const w = thetaWindow(theta, [0, 0, 0, 1, 1]);
    assert.ok(w.shifted);
    assert.ok(Math.abs(Math.abs(w.start) - Math.PI / 2) < 1e-9, `start ${w.start}`);
    const wrapped = theta.slice(0, 3).map((t) => wrapTheta(t, w));
    assert.ok(Math.max(...wrapped) - Math.min(...wrapped) < 0.2, `cluster whole: ${wrapped.join(', ')}`);
  });

  it('looks at active neurons only', () => {
    assert.equal(thetaWindow([3.1, -3.1, 0, 1, 2], [-1, -1, 0, 0, 0]).shifted, false);
  });
});

describe('cluster colours', () => {
  it("take each cluster's leader, its member of largest A", () => {
    assert.deepEqual(clusterLeaders([0, 1, 0, -1, 1], [1, 5, 3, 9, 2]), [2, 1]);
  });

  it('keep a colour while the leader leads, whatever the other clusters do', () => {
    const before = clusterSlots([7, 3], 12);
    // Step to step: cluster ranks swap and a new cluster appears; leader 7 and leader 3 keep their slots.
    const after = clusterSlots([3, 7, 30], 12);
    assert.equal(after[0], before[1]);
    assert.equal(after[1], before[0]);
    assert.equal(new Set(after).size, 3);
  });
});

describe('trajectory steps', () => {
  it('keep at most 12 of the last 64 checkpoints up to the step, ending on it', () => {
    const steps = Array.from({ length: 100 }, (_, i) => i * 10);
    const t = trajectorySteps(steps, 900);
    assert.equal(t.length, 12);
    assert.equal(t[t.length - 1], 900);
    assert.equal(t[0], 900 - 63 * 10);
    assert.deepEqual(trajectorySteps([0, 5, 10], 5), [0, 5]);
  });
});

describe('PNG writer', () => {
  it('writes pixels that zlib and a PNG reader get back', () => {
    const rgb = Uint8Array.from({ length: 300 * 250 * 3 }, (_, i) => (i * 7) % 256);
    const file = encodePng(rgb, 300, 250);
    const png = decodePng(file);
    assert.deepEqual([png.width, png.height], [300, 250]);
    assert.deepEqual(png.pixel(299, 249).slice(0, 3), [...rgb.subarray(rgb.length - 3)]);
    assert.deepEqual(png.pixel(10, 3).slice(0, 3), [...rgb.subarray((3 * 300 + 10) * 3, (3 * 300 + 10) * 3 + 3)]);
    assert.equal(base64(file), Buffer.from(file).toString('base64'));
    assert.equal(base64(Uint8Array.from([1, 2])), Buffer.from([1, 2]).toString('base64'));
  });
});

describe('similarity model', () => {
  // 4 neurons in heatmap order, 1 active: bytes 0..15 so each cell is known.
  const h: HeatmapData = {
    size: 4,
    blockSize: 1,
    order: [3, 1, 0, 2],
    boundaries: [],
    values: Uint8Array.from({ length: 16 }, (_, i) => i * 16),
    similarity: 'signed',
  };
  const cluster = [-1, -1, -1, 0];

  it('starts on "active neurons only" when fewer than half are active', () => {
    assert.equal(activeOnlyByDefault(cluster), true);
    assert.equal(activeOnlyByDefault([0, 0, -1, -1]), false);
  });

  it('crops to the active block and block-averages above the cell limit', () => {
    assert.deepEqual([...similarityModel(h, [0, -1, -1, 0], true).cells], [0, 16, 64, 80]);
    const halved = similarityModel(h, cluster, false, 2);
    assert.equal(halved.size, 2);
    assert.equal(halved.blockSize, 2);
    // Mean S of cells (0,0),(0,1),(1,0),(1,1): bytes 0, 16, 64, 80 → S = b/127.5 − 1, re-encoded.
    const s = [0, 16, 64, 80].reduce((a, b) => a + (b / 127.5 - 1), 0) / 4;
    assert.equal(halved.cells[0], Math.round(((s + 1) / 2) * 255));
  });
});

describe('over-steps charts', () => {
  it('never put the active count on the clusters axis', () => {
    const charts = stepCharts({ shown: ['fc1', 'fc2'], multiples: false, showStableRank: true, showActive: true });
    assert.deepEqual(
      charts.map((c) => [c.title, c.fields]),
      [
        ['clusters', ['clusters', 'effectiveClusters', 'stableRank']],
        ['active neurons', ['active']],
      ],
    );
  });

  it('split small multiples by series when one layer is shown, by layer otherwise', () => {
    const one = stepCharts({ shown: ['fc1'], multiples: true, showStableRank: false, showActive: true });
    assert.deepEqual(
      one.map((c) => c.fields),
      [['clusters'], ['effectiveClusters'], ['active']],
    );
    const two = stepCharts({ shown: ['fc1', 'fc2'], multiples: true, showStableRank: false, showActive: false });
    assert.deepEqual(
      two.map((c) => c.title),
      ['fc1: clusters', 'fc2: clusters'],
    );
    assert.deepEqual(
      two.map((c) => c.loss),
      [true, false],
    );
  });
});
