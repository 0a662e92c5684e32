// Per-step layer detail (orientation points, heatmap bytes), asked of the host on demand and kept in a small cache.
import type { HostMessage, LayerDetail } from '../src/protocol/panel';

/** Wait this long after the last scrub before asking, so dragging the slider asks once. */
export const DETAIL_DEBOUNCE_MS = 120;
/** Details kept; a 2048-neuron heatmap is 4 MB. */
export const DETAIL_CACHE_SIZE = 8;

const keyOf = (layer: string, step: number) => `${layer}@${step}`;

export class DetailLoader {
  private readonly cache = new Map<string, LayerDetail>();
  private readonly failed = new Map<string, string>();
  private readonly inFlight = new Set<string>();
  private timer?: ReturnType<typeof setTimeout>;
  /** Bumped by `clear`, so replies to requests made before it are dropped. */
  private generation = 0;

  constructor(
    private readonly request: (layer: string, step: number) => Promise<HostMessage>,
    private readonly onChange: () => void,
  ) {}

  get(layer: string, step: number): LayerDetail | undefined {
    return this.cache.get(keyOf(layer, step));
  }

  /** The error of the last failed request for this layer and step. */
  error(layer: string, step: number): string | undefined {
    return this.failed.get(keyOf(layer, step));
  }

  /** Asks for the detail after the debounce, unless it is cached, failed or already asked for. */
  want(layer: string, step: number): void {
    const key = keyOf(layer, step);
    if (this.cache.has(key) || this.failed.has(key) || this.inFlight.has(key)) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.fetch(layer, step);
    }, DETAIL_DEBOUNCE_MS);
  }

  /** Forgets everything, a request still waiting for its debounce included (the analysis settings or the series changed). */
  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.generation++;
    this.cache.clear();
    this.failed.clear();
    this.inFlight.clear();
  }

  all(): LayerDetail[] {
    return [...this.cache.values()];
  }

  private async fetch(layer: string, step: number): Promise<void> {
    const key = keyOf(layer, step);
    const generation = this.generation;
    this.inFlight.add(key);
    let reply: HostMessage;
    try {
      reply = await this.request(layer, step);
    } catch (e) {
      reply = { type: 'error', message: (e as Error).message };
    }
    if (generation !== this.generation) return;
    this.inFlight.delete(key);
    if (reply.type === 'detail') {
      this.cache.set(key, reply.detail);
      // Drop the oldest entries beyond the cache size (a Map iterates in insertion order).
      for (const k of this.cache.keys()) if (this.cache.size > DETAIL_CACHE_SIZE) this.cache.delete(k);
    } else {
      this.failed.set(
        key,
        reply.type === 'error' ? reply.message : `unexpected reply '${reply.type}' to a detail request`,
      );
    }
    this.onChange();
  }
}
