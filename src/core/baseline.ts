// The run's first checkpoint, the reference of each layer's relative change ‖θ(t) − θ(0)‖ / ‖θ(0)‖.
import type { Checkpoint } from './checkpoint';
import type { OpenOptions } from './formats';
import { comparableLayers, type LayerSpec } from './layers/discover';
import { viewRows } from './layers/viewRows';
import { readView } from './layers/views';
import type { OnRows } from './neurons';
import { type RowSource, wholeRows } from './rowSource';
import { openEntry } from './run';

/** Baseline layers kept between checkpoints of a run; a layer larger than this is read by rows at each checkpoint. */
const BASELINE_CACHE_BYTES = 64 * 2 ** 20;

interface BaselineLayer {
  spec: LayerSpec;
  weight: RowSource;
  bias?: Float32Array;
}

/** The relative change of one layer, fed the layer's weight a block of rows at a time as it is read. */
export interface ChangeMeter {
  add: OnRows;
  /** ‖θ(t) − θ(0)‖ / ‖θ(0)‖ over the weight given and `bias`; undefined when not finite. */
  value(bias?: Float32Array): number | undefined;
}

const viewBytes = (spec: LayerSpec) => 4 * spec.weight.shape.reduce((a, b) => a * b, 1);

/** The run's first checkpoint, opened once; each layer read once while the cache holds it. */
export class Baseline {
  private opened?: Promise<Checkpoint>;
  private discovered?: Map<string, LayerSpec>;
  private readonly cached = new Map<string, Promise<BaselineLayer>>();
  private cachedBytes = 0;
  /** Layer reads that reached the file. */
  reads = 0;
  /**
   * `options.strict`: the baseline is refused like any other file of the run would be. `cacheBytes`: the layers kept
   * between checkpoints; a layer larger than this is read by rows at each checkpoint.
   */
  constructor(
    readonly path: string,
    private readonly options: OpenOptions = {},
    private readonly cacheBytes = BASELINE_CACHE_BYTES,
  ) {}

  /** The baseline's layers by name, discovered once. */
  private layers(base: Checkpoint): Map<string, LayerSpec> {
    if (!this.discovered) {
      let specs: LayerSpec[] = [];
      try {
        specs = comparableLayers(base);
      } catch {
        // A baseline over the layer budget has nothing to compare against; its own entry reports why.
      }
      this.discovered = new Map(specs.map((l) => [l.name, l]));
    }
    return this.discovered;
  }

  checkpoint(): Promise<Checkpoint> {
    this.opened ??= openEntry(this.path, this.options);
    return this.opened;
  }

  private async spec(name: string): Promise<[Checkpoint, LayerSpec] | undefined> {
    const base = await this.checkpoint().catch(() => undefined);
    const spec = base && this.layers(base).get(name);
    return base && spec ? [base, spec] : undefined;
  }

  /** A layer within the cache's budget, read whole. */
  private async read(base: Checkpoint, spec: LayerSpec): Promise<BaselineLayer> {
    this.reads++;
    const layer = {
      spec,
      weight: wholeRows(await readView(base, spec.weight), spec.weight.shape[0]),
      bias: spec.bias && (await readView(base, spec.bias)),
    };
    this.cachedBytes += viewBytes(spec) + (layer.bias?.byteLength ?? 0);
    return layer;
  }

  /** The layer, from the cache when held; the oldest layers leave the cache beyond its budget. */
  private async layer(name: string): Promise<BaselineLayer | undefined> {
    const found = await this.spec(name);
    if (!found) return undefined;
    const [base, spec] = found;
    if (viewBytes(spec) > this.cacheBytes) {
      this.reads++;
      return { spec, weight: viewRows(base, spec.weight), bias: spec.bias && (await readView(base, spec.bias)) };
    }
    const layer = this.cached.get(name) ?? this.read(base, spec);
    this.cached.delete(name);
    this.cached.set(name, layer);
    const got = await layer;
    for (const [old, held] of this.cached) {
      if (this.cachedBytes <= this.cacheBytes || old === name) break;
      this.cached.delete(old);
      const gone = await held;
      this.cachedBytes -= viewBytes(gone.spec) + (gone.bias?.byteLength ?? 0);
    }
    return got;
  }

  /** The meter of `spec`'s relative change; undefined when the baseline has no such layer of the same shape. */
  async meter(spec: LayerSpec): Promise<ChangeMeter | undefined> {
    const base = await this.layer(spec.name);
    if (!base || base.spec.weight.shape.join() !== spec.weight.shape.join() || !base.spec.bias !== !spec.bias)
      return undefined;
    let change = 0;
    let reference = 0;
    const add = (now: ArrayLike<number>, then: ArrayLike<number>) => {
      for (let i = 0; i < now.length; i++) {
        change += (now[i] - then[i]) ** 2;
        reference += then[i] ** 2;
      }
    };
    return {
      add: async (first, rows) => add(rows, await base.weight.read(first, rows.length / base.weight.cols)),
      value(bias) {
        if (bias && base.bias) add(bias, base.bias);
        const value = Math.sqrt(change) / Math.sqrt(reference);
        return Number.isFinite(value) ? value : undefined;
      },
    };
  }

  async close(): Promise<void> {
    await (await this.opened?.catch(() => undefined))?.close();
  }
}
