// The caption every exported figure carries: what it shows and with which analysis settings.
import type { SimilarityMode } from '../../protocol/settings';
import { el, FONT_SIZE, text } from './svg';

export interface FigureCaption {
  /** What the figure is, e.g. "Orientation θ and amplitude A". */
  title: string;
  run: string;
  layer?: string;
  step?: number;
  threshold: number;
  similarity: SimilarityMode;
}

/** Height the caption takes at the top of a figure. */
export const CAPTION_HEIGHT = 40;

/** "run tanh-5d · layer fc1 · step 300 · threshold 0.95 · signed similarity". */
export function captionLine(c: FigureCaption): string {
  return [
    `run ${c.run}`,
    c.layer !== undefined ? `layer ${c.layer}` : undefined,
    c.step !== undefined ? `step ${c.step}` : undefined,
    `threshold ${c.threshold}`,
    `${c.similarity} similarity`,
  ]
    .filter(Boolean)
    .join(' · ');
}

export function captionSvg(c: FigureCaption, x: number, foreground: string, muted: string): string {
  return captionBlock(c.title, captionLine(c), x, foreground, muted);
}

/** The title in bold over a line of what the figure is of. */
export function captionBlock(title: string, line: string, x: number, foreground: string, muted: string): string {
  return el(
    'g',
    { class: 'caption' },
    text(x, 16, title, { 'font-weight': 'bold', 'font-size': FONT_SIZE + 1, fill: foreground }),
    text(x, 32, line, { fill: muted }),
  );
}
