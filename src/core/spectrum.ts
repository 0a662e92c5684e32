// The top of the spectrum of MᵀM (stable rank, orientation plane) by Lanczos with full
// reorthogonalisation: exact in at most `cols` steps, a few dozen for the usual gaps.
import type { Kernels, Mat } from './kernels/kernels';
import { type TridiagonalTop, tridiagonalTop } from './tridiagonal';

export interface TopSpectrum {
  /** Largest eigenvalues of MᵀM (squared singular values of M), descending; up to two. */
  values: number[];
  /** The matching unit right singular vectors of M (length `cols`). */
  vectors: Float64Array[];
}

/** Relative residual at which a Ritz pair counts as converged. */
const TOLERANCE = 1e-9;

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Deterministic start vector with weight on every coordinate (no RNG: same input, same output). */
function startVector(n: number): Float64Array {
  const q = new Float64Array(n);
  for (let i = 0; i < n; i++) q[i] = 1 + 0.5 * Math.sin(1 + 2.3 * i);
  const norm = Math.sqrt(dot(q, q));
  return q.map((x) => x / norm);
}

/** Top two eigenpairs of Mᵀ diag(w) M (w = 1 when absent); `m` must have at least one row. */
export function topSpectrum(kernels: Kernels, m: Mat, weights?: Float32Array): TopSpectrum {
  const n = m.cols;
  const maxSteps = Math.min(n, 400);
  const basis: Float64Array[] = [startVector(n)];
  const alpha: number[] = [];
  const beta: number[] = [];
  let ritz: TridiagonalTop = { values: [], vectors: [] };
  for (let j = 0; j < maxSteps; j++) {
    const w = Float64Array.from(kernels.gramTimes(m, Float32Array.from(basis[j]), weights));
    alpha.push(dot(w, basis[j]));
    orthogonalise(w, basis, alpha, beta);
    const b = Math.sqrt(dot(w, w));
    const last = j + 1 === maxSteps || b <= 1e-12 * Math.abs(alpha[0] || 1);
    ritz = tridiagonalTop(alpha, beta, 2);
    if (last || converged(ritz, b)) break;
    beta.push(b);
    basis.push(w.map((x) => x / b));
  }
  return ritzPairs(ritz, basis);
}

/**
 * Lanczos's three-term step w − α_j q_j − β_{j−1} q_{j−1}, then Gram–Schmidt against the whole `basis` to remove what
 * rounding left along the older vectors; a second pass only when the first removed much of w ("twice is enough",
 * Daniel, Gragg, Kaufman and Stewart 1976).
 */
function orthogonalise(w: Float64Array, basis: Float64Array[], alpha: number[], beta: number[]): void {
  const j = alpha.length - 1;
  axpy(w, -alpha[j], basis[j]);
  if (j > 0) axpy(w, -beta[j - 1], basis[j - 1]);
  for (let pass = 0; pass < 2; pass++) {
    const before = dot(w, w);
    for (const q of basis) axpy(w, -dot(w, q), q);
    if (dot(w, w) > 0.5 * before) return;
  }
}

/** w += c · q */
function axpy(w: Float64Array, c: number, q: Float64Array): void {
  for (let i = 0; i < w.length; i++) w[i] += c * q[i];
}

/** Residual of a Ritz pair is |β_k · s_last|: small against λ₁ for both top pairs. */
function converged(ritz: TridiagonalTop, b: number): boolean {
  const scale = Math.abs(ritz.values[0]) || 1;
  return ritz.vectors.every((s) => Math.abs(b * s[s.length - 1]) <= TOLERANCE * scale);
}

function ritzPairs(ritz: TridiagonalTop, basis: Float64Array[]): TopSpectrum {
  const n = basis[0].length;
  const vectors = ritz.vectors.map((s) => {
    const x = new Float64Array(n);
    s.forEach((c, r) => {
      for (let d = 0; d < n; d++) x[d] += c * basis[r][d];
    });
    const norm = Math.sqrt(dot(x, x)) || 1;
    return x.map((v) => v / norm);
  });
  return { values: ritz.values.map((v) => Math.max(0, v)), vectors };
}
