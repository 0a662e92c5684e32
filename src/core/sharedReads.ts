// Each stored tensor read once per checkpoint: consecutive layers share tensors (a layer's next weight is the
// following layer's weight, q/k/v slice one fused tensor), so the reads of the layer before are kept.
import type { Checkpoint, RowSpan, TensorInfo } from './checkpoint';
import { rowElements } from './formats/tensorTable';

export class SharedReads {
  private previous = new Map<string, Promise<Float32Array>>();
  private current = new Map<string, Promise<Float32Array>>();
  private shapes?: Map<string, TensorInfo>;
  /** Reads of whole tensors that reached the checkpoint (the rest were shared). */
  reads = 0;

  constructor(private readonly ckpt: Pick<Checkpoint, 'read' | 'tensors' | 'path'>) {}

  /**
   * A whole tensor, kept when a later layer reads it too; or rows of one, from a kept copy when there is one, else
   * from the file (rows are a layer's own weight read a block at a time, never kept).
   */
  readonly read = (name: string, rows?: RowSpan): Promise<Float32Array> => {
    const held = this.current.get(name) ?? this.previous.get(name);
    if (rows) return held ? held.then((data) => this.rowsOf(data, name, rows)) : this.ckpt.read(name, rows);
    let data = held;
    if (!data) {
      this.reads++;
      data = this.ckpt.read(name);
    }
    if (!this.later || this.later.has(name)) this.current.set(name, data);
    return data;
  };

  private rowsOf(data: Float32Array, name: string, rows: RowSpan): Float32Array {
    this.shapes ??= new Map(this.ckpt.tensors.map((t) => [t.name, t]));
    const { first, count } = rowElements(this.ckpt.path, this.shapes.get(name) ?? { name, shape: [] }, rows);
    return data.subarray(first, first + count);
  }

  /** The tensors layers after this one read, when known: this layer keeps only those (its own weight is let go). */
  private later?: ReadonlySet<string>;

  /** Starts the next layer: what the layer before did not share with this one is let go. */
  nextLayer(later?: ReadonlySet<string>): void {
    this.previous = this.current;
    this.current = new Map();
    this.later = later;
  }

  /** The layer's own weight is on the kernels: what no later layer reads is let go now, not at the next layer. */
  letGo(): void {
    const later = this.later;
    if (!later) return;
    for (const held of [this.previous, this.current])
      for (const name of [...held.keys()]) if (!later.has(name)) held.delete(name);
  }
}
