// The order of a run's checkpoints.

/** Orders by step (unknown steps last), then modification time, then name. */
export function byStep<T extends { step: number | null; mtimeMs: number; name: string }>(a: T, b: T): number {
  if (a.step !== null && b.step !== null && a.step !== b.step) return a.step - b.step;
  if ((a.step === null) !== (b.step === null)) return a.step === null ? 1 : -1;
  return a.mtimeMs - b.mtimeMs || a.name.localeCompare(b.name);
}
