// The step scrubber: a slider over the checkpoints, play/pause, one-step buttons and "Follow latest".
import type { Action, PanelState } from './state';
import { stepIndex } from './state';
import { button, checkbox, type Control } from './toolkit';

/** Time between checkpoints while playing. */
export const PLAY_INTERVAL_MS = 250;

export class Scrubber {
  readonly element: HTMLElement;
  private readonly slider = document.createElement('input');
  private readonly label = document.createElement('output');
  private readonly play: HTMLElement;
  private readonly follow: Control<boolean>;
  private timer?: ReturnType<typeof setInterval>;
  private state?: PanelState;

  constructor(private readonly dispatch: (a: Action) => void) {
    this.element = document.createElement('div');
    this.element.className = 'scrubber';
    this.element.setAttribute('role', 'group');
    this.element.setAttribute('aria-label', 'Step');
    this.play = button('Play', () => this.togglePlay(), { secondary: true });
    const back = button('◀', () => dispatch({ type: 'stepBy', delta: -1 }), {
      secondary: true,
      title: 'Previous checkpoint',
    });
    const forward = button('▶', () => dispatch({ type: 'stepBy', delta: 1 }), {
      secondary: true,
      title: 'Next checkpoint',
    });
    this.slider.type = 'range';
    this.slider.min = '0';
    this.slider.step = '1';
    this.slider.className = 'step-slider';
    this.slider.setAttribute('aria-label', 'Checkpoint');
    this.slider.addEventListener('input', () => {
      const step = this.state?.steps[Number(this.slider.value)];
      if (step !== undefined) dispatch({ type: 'selectStep', step });
    });
    this.label.className = 'step-label';
    this.label.setAttribute('aria-live', 'polite');
    this.follow = checkbox('Follow latest', true, (follow) => dispatch({ type: 'setFollow', follow }));
    this.element.append(this.play, back, this.slider, forward, this.label, this.follow.element);
    // ←/→/Home/End anywhere outside a control move the step too (the slider handles them itself).
    document.addEventListener('keydown', (e) => {
      const t = e.target as HTMLElement;
      if (t !== document.body && !t.matches('canvas, figure, .plot-area')) return;
      const action = keyAction(e.key);
      if (!action) return;
      e.preventDefault();
      dispatch(action);
    });
  }

  update(state: PanelState): void {
    this.state = state;
    const n = state.steps.length;
    const i = stepIndex(state);
    this.slider.max = String(Math.max(0, n - 1));
    this.slider.value = String(Math.max(0, i));
    this.slider.disabled = n === 0;
    const step = state.steps[i];
    const text = step === undefined ? 'no checkpoint yet' : `step ${step} (${i + 1} / ${n})`;
    this.slider.setAttribute('aria-valuetext', text);
    this.label.textContent = text;
    this.follow.set(state.view.follow);
    if (this.timer !== undefined && i >= n - 1) this.stop();
  }

  private togglePlay(): void {
    if (this.timer !== undefined) return this.stop();
    const state = this.state;
    if (!state || state.steps.length < 2) return;
    if (stepIndex(state) >= state.steps.length - 1) this.dispatch({ type: 'stepToEnd', end: 'first' });
    this.setPlayLabel('Pause');
    this.timer = setInterval(() => this.dispatch({ type: 'stepBy', delta: 1 }), PLAY_INTERVAL_MS);
  }

  private stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.setPlayLabel('Play');
  }

  private setPlayLabel(text: string): void {
    this.play.textContent = text;
    this.play.setAttribute('aria-label', text);
  }
}

export function keyAction(key: string): Action | undefined {
  switch (key) {
    case 'ArrowLeft':
      return { type: 'stepBy', delta: -1 };
    case 'ArrowRight':
      return { type: 'stepBy', delta: 1 };
    case 'Home':
      return { type: 'stepToEnd', end: 'first' };
    case 'End':
      return { type: 'stepToEnd', end: 'last' };
    default:
      return undefined;
  }
}
