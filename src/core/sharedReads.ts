// Each stored tensor read once per checkpoint: consecutive layers share tensors (a layer's next weight is the
// following layer's weight, q/k/v slice one fused tensor), so the reads of the layer before are kept.
import type { Checkpoint } from './checkpoint';

export class SharedReads {
  private previous = new Map<string, Promise<Float32Array>>();
  private current = new Map<string, Promise<Float32Array>>();
  /** Reads that reached the checkpoint (the rest were shared). */
  reads = 0;

  constructor(private readonly ckpt: Pick<Checkpoint, 'read'>) {}

  readonly read = (name: string): Promise<Float32Array> => {
    let data = this.current.get(name) ?? this.previous.get(name);
    if (!data) {
      this.reads++;
      data = this.ckpt.read(name);
    }
    if (!this.later || this.later.has(name)) this.current.set(name, data);
    return data;
  };

  /** The tensors layers after this one read, when known: this layer keeps only those (its own weight is let go). */
  private later?: ReadonlySet<string>;

  /** Starts the next layer: what the layer before did not share with this one is let go. */
  nextLayer(later?: ReadonlySet<string>): void {
    this.previous = this.current;
    this.current = new Map();
    this.later = later;
  }
}
