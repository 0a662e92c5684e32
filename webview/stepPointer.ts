// The pointer of a chart against step, shared by the single-run and the Compare charts: a cursor at the selected
// step, the values at the step under the pointer in the hover box, and a click that picks that step.
import type { ChartFrame } from './chartFrame';

export interface StepPointer {
  /** The steps the pointer snaps to, ascending. */
  steps(): readonly number[];
  /** What the hover box shows at a step; undefined hides it. */
  hover(step: number): string | Node[] | undefined;
  pick(step: number): void;
}

/** Adds the cursor to the frame's plot area and follows the pointer over its canvas. */
export function attachStepPointer(frame: ChartFrame, pointer: StepPointer): void {
  const cursor = document.createElement('div');
  cursor.className = 'step-cursor';
  frame.plotArea.append(cursor);
  frame.canvas.addEventListener('mousemove', (e) => {
    const step = stepAt(frame, e, pointer.steps());
    const content = step === undefined ? undefined : pointer.hover(step);
    if (content === undefined) frame.hideHover();
    else frame.showHover(content, e);
  });
  frame.canvas.addEventListener('click', (e) => {
    const { x, y } = frame.pointer(e);
    const area = frame.plotArea.getBoundingClientRect();
    if (x < 0 || y < 0 || x > area.width || y > area.height) return;
    const step = stepAt(frame, e, pointer.steps());
    if (step !== undefined) pointer.pick(step);
  });
}

/** The cursor sits at the selected step, in plot-area pixels. */
export function placeStepCursor(frame: ChartFrame, step: number | undefined): void {
  const cursor = frame.plotArea.querySelector<HTMLElement>('.step-cursor');
  const x = frame.chart?.scales.x;
  if (!cursor || !x || step === undefined || !frame.chart?.chartArea) return;
  const px = x.getPixelForValue(step) - frame.chart.chartArea.left;
  cursor.hidden = !Number.isFinite(px) || px < -0.5 || px > frame.chart.chartArea.width + 0.5;
  cursor.style.left = `${px}px`;
  cursor.dataset.step = String(step);
}

/** The step of `steps` nearest the pointer. */
function stepAt(frame: ChartFrame, e: MouseEvent, steps: readonly number[]): number | undefined {
  const x = frame.chart?.scales.x;
  if (!x || steps.length === 0) return undefined;
  const value = x.getValueForPixel(e.offsetX);
  if (value === undefined || !Number.isFinite(value)) return undefined;
  return steps.reduce((best, s) => (Math.abs(s - value) < Math.abs(best - value) ? s : best));
}
