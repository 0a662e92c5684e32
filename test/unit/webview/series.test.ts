import { strict as assert } from 'node:assert';
import type { LayerPoint } from '../../../src/protocol/panel';
import { formatValue, mergeByStep, pointAt, runsCsv, seriesCsv, tableRows } from '../../../webview/series';
import { sparklinePoints } from '../../../webview/sparkline';

const p = (step: number, clusters: number, extra: Partial<LayerPoint> = {}): LayerPoint => ({
  step,
  neurons: 4,
  inputDim: 2,
  active: 3,
  clusters,
  effectiveClusters: 1.5,
  stableRank: 1.25,
  largestCluster: 2,
  ...extra,
});

describe('webview series helpers', () => {
  it('merges points in step order, replacing a repeated step', () => {
    const merged = mergeByStep([p(0, 5), p(200, 2)], [p(100, 3), p(200, 1), p(300, 1)]);
    assert.deepEqual(
      merged.map((x) => [x.step, x.clusters]),
      [
        [0, 5],
        [100, 3],
        [200, 1],
        [300, 1],
      ],
    );
    assert.equal(pointAt(merged, 100)?.clusters, 3);
    assert.equal(pointAt(merged, 150), undefined);
  });

  it('sorts table rows by a field, ties in layer order, layers without points last', () => {
    const series = { a: [p(0, 2)], b: [p(0, 7)], c: [], d: [p(0, 2)] };
    const desc = tableRows(['a', 'b', 'c', 'd'], series, { field: 'clusters', descending: true }).map((r) => r.layer);
    assert.deepEqual(desc, ['b', 'a', 'd', 'c']);
    const byName = tableRows(['layer10', 'layer2', 'layer1'], {}, { field: 'name', descending: false }).map(
      (r) => r.layer,
    );
    assert.deepEqual(byName, ['layer1', 'layer2', 'layer10']);
  });

  it('formats integers exactly and other numbers to four significant digits', () => {
    assert.equal(formatValue(12), '12');
    assert.equal(formatValue(2.01349), '2.013');
    assert.equal(formatValue(0.00025), '2.500e-4');
    assert.equal(formatValue(undefined), '–');
  });

  it('writes every layer point and every loss point as CSV', () => {
    const csv = seriesCsv(['fc,1'], { 'fc,1': [p(0, 3, { relativeChange: 0.5 })] }, [
      { step: 0, loss: 0.25 },
      { step: 10, loss: 0.125 },
    ]);
    assert.equal(
      csv,
      'layer,step,neurons,inputDim,active,clusters,effectiveClusters,stableRank,largestCluster,relativeChange,loss\n' +
        '"fc,1",0,4,2,3,3,1.5,1.25,2,0.5,0.25\n' +
        ',0,,,,,,,,,0.25\n' +
        ',10,,,,,,,,,0.125\n',
    );
  });

  it('writes several runs in one CSV, each row after its run label, quoted when it holds a comma', () => {
    const csv = runsCsv([
      { label: 'γ = 0.5, dropout = 0.1', layers: ['fc1'], series: { fc1: [p(0, 3)] }, loss: [{ step: 0, loss: 0.5 }] },
      { label: 'γ = 4', layers: ['fc1', 'fc2'], series: { fc1: [p(10, 2)], fc2: [p(10, 1)] }, loss: [] },
    ]);
    assert.equal(
      csv,
      'run,layer,step,neurons,inputDim,active,clusters,effectiveClusters,stableRank,largestCluster,relativeChange,loss\n' +
        '"γ = 0.5, dropout = 0.1",fc1,0,4,2,3,3,1.5,1.25,2,,0.5\n' +
        '"γ = 0.5, dropout = 0.1",,0,,,,,,,,,0.5\n' +
        'γ = 4,fc1,10,4,2,3,2,1.5,1.25,2,,\n' +
        'γ = 4,fc2,10,4,2,3,1,1.5,1.25,2,,\n',
    );
  });

  it('lays a sparkline out from its maximum to the bottom of the box', () => {
    assert.deepEqual(sparklinePoints([0, 2, 4], 10, 6), [
      [1, 5],
      [5, 3],
      [9, 1],
    ]);
  });
});
