// Hugging Face Trainer's trainer_state.json: `global_step`, and the losses it logged in `log_history`.
import { join } from 'node:path';
import { readerLimits } from '../formats/limits';
import { readTextCapped } from '../formats/fileAccess';

export const TRAINER_STATE = 'trainer_state.json';

export interface TrainerState {
  readonly path: string;
  readonly globalStep?: number;
  /** Training loss by step, from `log_history` records that carry both. */
  readonly losses: ReadonlyMap<number, number>;
  /** The loss logged at `step`, else the last one logged before it. */
  lossAt(step: number): number | undefined;
}

/** The folder's trainer_state.json, or undefined when it has none (or it is not complete JSON yet). */
export async function readTrainerState(dir: string): Promise<TrainerState | undefined> {
  const path = join(dir, TRAINER_STATE);
  let json: unknown;
  try {
    json = JSON.parse(await readTextCapped(path, readerLimits.maxSideFileBytes));
  } catch {
    return undefined;
  }
  if (!json || typeof json !== 'object') return undefined;
  const { global_step: globalStep, log_history: history } = json as Record<string, unknown>;
  const losses = new Map<number, number>();
  for (const record of Array.isArray(history) ? history : []) {
    const { step, loss } = (record ?? {}) as Record<string, unknown>;
    if (typeof step === 'number' && typeof loss === 'number') losses.set(step, loss);
  }
  return {
    path,
    globalStep: Number.isSafeInteger(globalStep) ? (globalStep as number) : undefined,
    losses,
    lossAt(step) {
      let best: number | undefined;
      for (const at of losses.keys()) if (at <= step && (best === undefined || at >= best)) best = at;
      return best === undefined ? undefined : losses.get(best);
    },
  };
}
