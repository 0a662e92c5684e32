// The docs/metrics.md layer summary figures: computed by the engine, charted by the webviews.

export interface LayerFigures {
  neurons: number;
  inputDim: number;
  active: number;
  clusters: number;
  effectiveClusters: number;
  stableRank: number;
  largestCluster: number;
  /** Against the run's first checkpoint; absent for a lone checkpoint. */
  relativeChange?: number;
}
