import { strict as assert } from 'node:assert';
import { PAPER_PALETTE } from '../../../src/report/palette';
import { lineChartsSvg, type SvgLine } from '../../../src/report/svg/lineCharts';
import { svgElements } from '../helpers/svg';

/** Five lines whose 30-character labels take 26 + 30 × 0.6 × 12 = 242 px each in the legend. */
const lines: SvgLine[] = Array.from({ length: 5 }, (_, i) => ({
  label: `run ${i} ${'x'.repeat(24)}`,
  colour: PAPER_PALETTE.clusters[i],
  points: [
    [0, i],
    [10, i + 1],
  ],
}));

function figure(count: number) {
  const svg = lineChartsSvg(
    {
      charts: [{ name: 'clusters', yTitle: 'clusters', y: 'zero', legend: true, lines: lines.slice(0, count) }],
      steps: [0, 10],
      logX: false,
      title: 'a figure',
      caption: 'layer fc1',
    },
    PAPER_PALETTE,
  );
  const elements = svgElements(svg);
  return {
    height: Number(elements.find((e) => e.tag === 'svg')!.attrs.height),
    frame: elements.find((e) => e.tag === 'rect' && e.attrs.fill === 'none')!,
    labels: elements.filter((e) => e.tag === 'text' && e.text.startsWith('run ')).map((e) => [+e.attrs.x, +e.attrs.y]),
  };
}

describe('line charts figure', () => {
  it('wraps a legend wider than the plot (532 px) into rows, moving the chart down by the rows added', () => {
    const one = figure(2);
    assert.deepEqual(one.labels, [
      [90, 64],
      [332, 64],
    ]);
    const three = figure(5);
    // Two labels fit a row (2 × 242 ≤ 532); the third starts the next one, 16 px below.
    assert.deepEqual(three.labels, [
      [90, 64],
      [332, 64],
      [90, 80],
      [332, 80],
      [90, 96],
    ]);
    assert.equal(Number(three.frame.attrs.y) - Number(one.frame.attrs.y), 32);
    assert.equal(three.height - one.height, 32);
  });
});
