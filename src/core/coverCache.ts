// A summary's greedy cover and spectrum kept for the detail of the same layer, so that opening a layer after its
// summary does not cluster it again. Keyed by the checkpoint's files (path, size, mtime), the layer and the settings
// the figures depend on.
import { stat } from 'node:fs/promises';
import type { Checkpoint } from './checkpoint';
import type { Clustering } from './clusters';
import type { LayerSpec } from './layers/discover';
import type { AnalysisSettings } from '../protocol/settings';
import type { TopSpectrum } from './spectrum';

/** What one layer's analysis may reuse: each is computed by `compute` the first time and kept. */
export interface LayerMemo {
  cover(compute: () => Clustering): Clustering;
  spectrum(compute: () => TopSpectrum): TopSpectrum;
}

/** Computes every time (no cache). */
export const noMemo: LayerMemo = { cover: (compute) => compute(), spectrum: (compute) => compute() };

interface Held {
  cover?: Clustering;
  spectrum?: TopSpectrum;
}

/** Covers hold 4 bytes per neuron and spectra two vectors of the input size: 32 MiB is thousands of layers. */
const DEFAULT_BUDGET_BYTES = 32 * 2 ** 20;

function bytesOf(h: Held): number {
  const cover = h.cover ? h.cover.clusterOfRow.byteLength + 8 * h.cover.leaders.length : 0;
  return cover + (h.spectrum?.vectors.reduce((sum, v) => sum + v.byteLength, 0) ?? 0);
}

/** The files of an opened checkpoint with their size and mtime: a rewritten file is a new key. */
export async function checkpointKey(ckpt: Pick<Checkpoint, 'path' | 'files'>): Promise<string> {
  const files = ckpt.files?.length ? ckpt.files : [ckpt.path];
  const stats = await Promise.all(files.map((f) => stat(f)));
  return JSON.stringify(files.map((f, i) => [f, stats[i].size, stats[i].mtimeMs]));
}

export class CoverCache {
  private readonly held = new Map<string, Held>();
  private bytes = 0;
  /** Covers computed through this cache (the rest were reused). */
  covers = 0;
  /** Covers reused. */
  reusedCovers = 0;

  constructor(private readonly budgetBytes = DEFAULT_BUDGET_BYTES) {}

  /** The memo of `spec` in the checkpoint `fileKey` (from checkpointKey) under the settings that shape its figures. */
  memo(fileKey: string, spec: LayerSpec, s: AnalysisSettings): LayerMemo {
    const key = JSON.stringify([
      fileKey,
      spec.name,
      spec.next?.name ?? null,
      s.threshold,
      s.activeFraction,
      s.includeBias,
      s.similarity,
    ]);
    return {
      cover: (compute) => {
        const held = this.get(key)?.cover;
        if (held) this.reusedCovers++;
        return held ?? this.store(key, { cover: compute() }, () => this.covers++).cover!;
      },
      spectrum: (compute) => this.get(key)?.spectrum ?? this.store(key, { spectrum: compute() }).spectrum!,
    };
  }

  /** The entry, now the most recently used. */
  private get(key: string): Held | undefined {
    const held = this.held.get(key);
    if (held) {
      this.held.delete(key);
      this.held.set(key, held);
    }
    return held;
  }

  /** Adds `part` to the entry of `key`; the least recently used entries leave beyond the budget. */
  private store(key: string, part: Held, counted?: () => void): Held {
    counted?.();
    const held = this.held.get(key) ?? {};
    this.bytes -= bytesOf(held);
    Object.assign(held, part);
    this.bytes += bytesOf(held);
    this.held.delete(key);
    this.held.set(key, held);
    for (const [old, entry] of this.held) {
      if (this.bytes <= this.budgetBytes || old === key) break;
      this.held.delete(old);
      this.bytes -= bytesOf(entry);
    }
    return held;
  }
}
