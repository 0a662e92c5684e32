// Seeded random numbers for initialisation, data and dropout masks: the same seed gives the same
// numbers on every backend and platform (TF.js's own random ops differ between backends).

/** splitmix32's finaliser: scrambles a 32-bit integer (used to derive independent stream seeds). */
function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x21f0aaad);
  x = Math.imul(x ^ (x >>> 15), 0x735a2d97);
  return (x ^ (x >>> 15)) >>> 0;
}

/**
 * mulberry32 (Tommy Ettinger, public domain): a 32-bit state generator, period 2^32, ample for
 * drawing at most a few million numbers per run. Normals by the Box–Muller transform.
 */
export class Random {
  private state: number;
  private spareNormal: number | undefined;

  /** `stream` separates the independent sequences of one seed (init, data, dropout). */
  constructor(seed: number, stream = 0) {
    this.state = mix32(mix32(seed >>> 0) ^ Math.imul(stream + 1, 0x9e3779b9));
  }

  /** A uniform integer in [0, 2^32). */
  nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** A uniform number in [0, 1). */
  uniform(): number {
    return this.nextUint32() / 4294967296;
  }

  /** A standard normal number (Box–Muller; the second value of each pair is kept for the next call). */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const z = this.spareNormal;
      this.spareNormal = undefined;
      return z;
    }
    const u1 = 1 - this.uniform(); // in (0, 1]: log stays finite
    const u2 = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.spareNormal = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  }

  /** `n` draws from N(0, std²) as float32. */
  normals(n: number, std: number): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = std * this.normal();
    return out;
  }
}

/** Independent streams of one seed, so that e.g. changing the data does not change the init. */
export const STREAMS = { init: 0, data: 1, dropout: 2 } as const;
