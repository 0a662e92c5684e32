// The colours of exported figures: a white page, black text, the paper's red/grey/blue, and twelve cluster colours.
import type { Diverging } from './colormap';

export interface FigurePalette {
  background: string;
  foreground: string;
  muted: string;
  grid: string;
  /** Paper style: active neurons, static neurons, trajectories. */
  active: string;
  static: string;
  trajectory: string;
  ghost: string;
  clusters: readonly string[];
  /** Over-steps series. */
  series: { clusters: string; effectiveClusters: string; stableRank: string; active: string; loss: string };
  diverging: Diverging;
}

export const PAPER_PALETTE: FigurePalette = {
  background: '#ffffff',
  foreground: '#000000',
  muted: '#555555',
  grid: '#e0e0e0',
  active: '#d62728',
  static: '#9e9e9e',
  trajectory: '#1f77b4',
  ghost: '#d9d9d9',
  clusters: [
    '#1f77b4',
    '#ff7f0e',
    '#2ca02c',
    '#d62728',
    '#9467bd',
    '#8c564b',
    '#e377c2',
    '#7f7f7f',
    '#bcbd22',
    '#17becf',
    '#393b79',
    '#637939',
  ],
  series: {
    clusters: '#1f77b4',
    effectiveClusters: '#9467bd',
    stableRank: '#2ca02c',
    active: '#ff7f0e',
    loss: '#d62728',
  },
  diverging: { negative: [33, 102, 172], zero: [247, 247, 247], positive: [178, 24, 43] },
};
