// θ and A of one layer at the checkpoints a trajectory passes through, asked of the host one at a time and
// kept without their heatmaps (a few hundred numbers per checkpoint).
import type { HostMessage, LayerDetail } from '../src/protocol/panel';
import { TRAJECTORY, type OrientationFrame } from '../src/report/orientation';

/** Frames kept: enough for every point of two layers' trajectories. */
const FRAME_CACHE_SIZE = 2 * TRAJECTORY.points;

const keyOf = (layer: string, step: number) => `${layer}@${step}`;

export class TrajectoryFrames {
  private readonly frames = new Map<string, OrientationFrame>();
  private readonly failed = new Set<string>();
  private busy = false;
  private generation = 0;
  private wanted: { layer: string; steps: readonly number[] } | undefined;

  constructor(
    private readonly request: (layer: string, step: number) => Promise<HostMessage>,
    private readonly onChange: () => void,
  ) {}

  /** Takes θ and A from a detail the panel already has. */
  note(detail: LayerDetail): void {
    this.keep(detail.layer, { step: detail.step, theta: detail.theta, amplitude: detail.amplitude });
  }

  /** The frames of `steps` that have arrived, in step order; asks for the others. */
  get(layer: string, steps: readonly number[]): OrientationFrame[] {
    this.wanted = { layer, steps };
    void this.next();
    return steps.flatMap((s) => this.frames.get(keyOf(layer, s)) ?? []);
  }

  clear(): void {
    this.generation++;
    this.frames.clear();
    this.failed.clear();
    this.busy = false;
  }

  private keep(layer: string, frame: OrientationFrame): void {
    const key = keyOf(layer, frame.step);
    this.frames.delete(key);
    this.frames.set(key, frame);
    for (const k of this.frames.keys()) if (this.frames.size > FRAME_CACHE_SIZE) this.frames.delete(k);
  }

  /** One request at a time, newest wish first: scrubbing never queues a backlog. */
  private async next(): Promise<void> {
    const w = this.wanted;
    if (this.busy || !w) return;
    const step = w.steps.find((s) => !this.frames.has(keyOf(w.layer, s)) && !this.failed.has(keyOf(w.layer, s)));
    if (step === undefined) return;
    this.busy = true;
    const generation = this.generation;
    const reply = await this.request(w.layer, step).catch((e: Error): HostMessage => ({
      type: 'error',
      message: e.message,
    }));
    if (generation !== this.generation) return;
    this.busy = false;
    if (reply.type === 'detail')
      this.keep(w.layer, { step, theta: reply.detail.theta, amplitude: reply.detail.amplitude });
    else this.failed.add(keyOf(w.layer, step));
    this.onChange();
    void this.next();
  }
}
