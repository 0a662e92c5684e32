// What every language's reader gives the matcher: definitions found by attribute path.
import type { Span } from './text';

/** One place in the source that defines a layer (or a repeated container of layers). */
export interface Definition {
  /** The attribute, entry or layer name as written: `fc1`, `h`, `hidden`. */
  label: string;
  /** The whole definition (the statement, or the entry's expression). */
  span: Span;
  /** The part of it that names the layer (for the hover). */
  name: Span;
  /** How many blocks a repeated definition makes, when the source says (`range(12)`). */
  count?: number;
}

/**
 * Where an attribute path leads. `leaf` defines the layer; `repeats` are the loops and
 * comprehensions it was built in (`ModuleList([Block() for _ in range(n)])`), outermost first.
 */
export interface Hit {
  leaf: Definition;
  repeats: Definition[];
  /** 2: the path ends on a known layer type; 1: it ends on a definition; 0: an unknown callable took the rest. */
  score: number;
}

/** A parsed file: resolves an attribute path (`["layer1", "0", "conv1"]`) to its definition. */
export interface SourceIndex {
  /** `all` is every path being matched, so that ambiguous helpers are settled by what the run holds. */
  resolve(path: readonly string[], all: readonly (readonly string[])[]): Hit | undefined;
}

/** The highest-scoring hit, the first one on ties. */
export function bestHit(hits: readonly (Hit | undefined)[]): Hit | undefined {
  let top: Hit | undefined;
  for (const h of hits) if (h && (!top || h.score > top.score)) top = h;
  return top;
}
