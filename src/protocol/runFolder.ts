// What a run folder carries between processes (docs/formats.md): the trainer or a user's script writes it,
// the extension, the CLI and the engine read it.

/** The environment variable that tells a training script launched by the extension its run folder. */
export const RUN_DIR_VARIABLE = 'CONDENSATION_LENS_RUN_DIR';

/** run.json: what was trained, on which backend, from when. A reader gets it as `Partial` (any writer may omit fields). */
export interface RunManifest {
  name: string;
  preset: string;
  config: object;
  backend: string;
  startedAt: string;
  /** Steps the run will take, for progress and an ETA (docs/live.md). */
  total_steps?: number;
  /** The training script the run was started from, and a model source the user linked (docs/codelens.md). */
  script?: string;
  modelSource?: string;
}
