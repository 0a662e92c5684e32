// The "over steps" charts as data, shared by the panel and the SVG export: which series go on which chart,
// so that the active count never shares the clusters axis.

export type ChartedField = 'clusters' | 'effectiveClusters' | 'stableRank' | 'active';

export const CHARTED_LABELS: Record<ChartedField, string> = {
  clusters: 'Clusters',
  effectiveClusters: 'Effective clusters',
  stableRank: 'Stable rank',
  active: 'Active neurons',
};

export interface StepOptions {
  shown: readonly string[];
  multiples: boolean;
  showStableRank: boolean;
  showActive: boolean;
}

export interface StepChart {
  /** The y axis title. */
  title: string;
  layers: string[];
  fields: ChartedField[];
  /** Loss goes on this chart's right axis. */
  loss: boolean;
}

/**
 * Clusters, effective clusters and stable rank share a chart; the active count has its own. Small multiples
 * give a chart per layer, or per series when one layer is shown.
 */
export function stepCharts(o: StepOptions): StepChart[] {
  const clusterFields: ChartedField[] = [
    'clusters',
    'effectiveClusters',
    ...(o.showStableRank ? (['stableRank'] as const) : []),
  ];
  const group = (layers: string[], prefix: string): StepChart[] => [
    { title: `${prefix}clusters`, layers, fields: clusterFields, loss: false },
    ...(o.showActive
      ? [{ title: `${prefix}active neurons`, layers, fields: ['active'] as ChartedField[], loss: false }]
      : []),
  ];
  let charts: StepChart[];
  if (!o.multiples) charts = group([...o.shown], '');
  else if (o.shown.length === 1)
    charts = [...clusterFields, ...(o.showActive ? (['active'] as const) : [])].map((f) => ({
      title: CHARTED_LABELS[f].toLowerCase(),
      layers: [...o.shown],
      fields: [f],
      loss: false,
    }));
  else charts = o.shown.flatMap((l) => group([l], `${l}: `));
  return charts.map((c, i) => ({ ...c, loss: i === 0 }));
}
