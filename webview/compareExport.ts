// The exports of a Compare panel: its overlaid charts as one figure (a line per run under a legend of the run labels)
// and every run's series in one CSV with a `run` column.
import { runLabels } from '../src/protocol/runLabels';
import { PAPER_PALETTE } from '../src/report/palette';
import { lineChartsSvg, type SvgLineChart } from '../src/report/svg/lineCharts';
import { comparedAxisTitle, comparedLines, COMPARED_FIELDS } from './compare';
import { runsCsv } from './series';
import type { PanelState } from './state';

/** The Over steps tab of a comparison as drawn: clusters, effective clusters and loss, a line per run. */
export function compareStepsSvg(state: PanelState): string {
  const { layer, logX } = state.view;
  const charts = COMPARED_FIELDS.map((field): SvgLineChart => {
    const { lines, logY } = comparedLines(state.compared, layer, field, logX);
    return {
      name: field,
      yTitle: `${comparedAxisTitle(field, layer)}${logY ? ', log scale' : ''}`,
      y: field !== 'loss' ? 'zero' : logY ? 'log' : 'fit',
      legend: true,
      lines: lines.map((l) => ({
        label: l.label,
        colour: PAPER_PALETTE.clusters[l.index % PAPER_PALETTE.clusters.length],
        points: l.points.map((q) => [q.x, q.y] as const),
      })),
    };
  });
  return lineChartsSvg(
    {
      charts,
      steps: charts.flatMap((c) => c.lines.flatMap((l) => l.points.map((q) => q[0]))),
      logX,
      title: `Condensation of ${state.compared.length} runs over training steps`,
      caption: compareCaption(state),
    },
    PAPER_PALETTE,
  );
}

/** "layer fc1 · threshold 0.95 · signed similarity"; each run's settings after its label when they differ. */
function compareCaption(state: PanelState): string {
  const labels = runLabels(state.compared.map((r) => r.run));
  const settings = state.compared.map((r) => [
    `threshold ${r.settings.threshold}`,
    `${r.settings.similarity} similarity`,
  ]);
  const shared = settings.every((s) => s.join() === settings[0].join());
  const layer = `layer ${state.view.layer ?? '–'}`;
  if (shared) return [layer, ...settings[0]].join(' · ');
  return `${layer} · ${settings.map((s, i) => `${labels[i]}: ${s.join(', ')}`).join('; ')}`;
}

/** Every run's series, the rows of each after its label. */
export function compareCsv(state: PanelState): string {
  const labels = runLabels(state.compared.map((r) => r.run));
  return runsCsv(
    state.compared.map((r, i) => ({ label: labels[i], layers: r.layers, series: r.series, loss: r.loss })),
  );
}

/** The file-name stem of a comparison's exports: the run names, or the first and how many more. */
export function compareStem(state: PanelState): string {
  const names = state.compared.map((r) => r.run.name);
  return `compare-${names.length <= 3 ? names.join('-vs-') : `${names[0]}-and-${names.length - 1}-more`}`;
}
