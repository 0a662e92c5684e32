// How far a run is, when its total steps are known: "step 300 / 1000 (30 %) · ETA 2 min" and a bar.
import type { RunInfo } from '../src/protocol/panel';

/** "45 s", "12 min", "3 h 20 min". */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min`;
  return `${Math.floor(min / 60)} h ${min % 60} min`;
}

/**
 * The fraction done and its text; undefined without a total. The ETA assumes the speed so far holds
 * (elapsed since the process started, per step), and is shown only while the run trains.
 */
export function runProgress(
  run: RunInfo | undefined,
  step: number | undefined,
  now: number,
): { fraction: number; text: string } | undefined {
  const total = run?.totalSteps;
  if (!run || !total || step === undefined) return undefined;
  const fraction = Math.min(1, Math.max(0, step / total));
  const parts = [`step ${step} / ${total} (${Math.floor(fraction * 100)} %)`];
  if (run.status === 'running' && run.startedAt !== undefined && step > 0 && fraction < 1) {
    const elapsed = now - run.startedAt;
    if (elapsed > 0) parts.push(`ETA ${formatDuration((elapsed * (total - step)) / step)}`);
  }
  return { fraction, text: parts.join(' · ') };
}

/** A <progress> bar for `fraction`, hidden without one. */
export function setProgressBar(bar: HTMLProgressElement, fraction: number | undefined, label: string): void {
  bar.hidden = fraction === undefined;
  bar.max = 1;
  bar.value = fraction ?? 0;
  bar.setAttribute('aria-label', label);
}
