// The top of the spectrum of MᵀM (stable rank, orientation plane) by Lanczos with full
// reorthogonalisation: exact in at most `cols` steps, a few dozen for the usual gaps.
import type { Kernels, Mat } from './kernels/kernels';

interface Eigen {
  values: Float64Array;
  vectors: Float64Array;
}

export interface TopSpectrum {
  /** Largest eigenvalues of MᵀM (squared singular values of M), descending; up to two. */
  values: number[];
  /** The matching unit right singular vectors of M (length `cols`). */
  vectors: Float64Array[];
}

/** Relative residual at which a Ritz pair counts as converged. */
const TOLERANCE = 1e-9;
const CHECK_EVERY = 8;

/** Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations (row-major, n×n). */
export function symmetricEigen(a: Float64Array, n: number): Eigen {
  const m = Float64Array.from(a);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += m[p * n + q] ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (m[q * n + q] - m[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const mkp = m[k * n + p];
          const mkq = m[k * n + q];
          m[k * n + p] = c * mkp - s * mkq;
          m[k * n + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = m[p * n + k];
          const mqk = m[q * n + k];
          m[p * n + k] = c * mpk - s * mqk;
          m[q * n + k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p];
          const vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = m[i * n + i];
  return { values, vectors: v };
}

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
  let ritz: Eigen = { values: new Float64Array(0), vectors: new Float64Array(0) };
  for (let j = 0; j < maxSteps; j++) {
    const w = Float64Array.from(kernels.gramTimes(m, Float32Array.from(basis[j]), weights));
    alpha.push(dot(w, basis[j]));
    for (let pass = 0; pass < 2; pass++) {
      for (const q of basis) {
        const c = dot(w, q);
        for (let i = 0; i < n; i++) w[i] -= c * q[i];
      }
    }
    const b = Math.sqrt(dot(w, w));
    const last = j + 1 === maxSteps || b <= 1e-12 * Math.abs(alpha[0] || 1);
    if (last || (j + 1) % CHECK_EVERY === 0) {
      ritz = tridiagonalEigen(alpha, beta);
      if (last || converged(ritz, alpha.length, b)) break;
    }
    beta.push(b);
    basis.push(w.map((x) => x / b));
  }
  return ritzPairs(ritz, alpha.length, basis);
}

function tridiagonalEigen(alpha: number[], beta: number[]) {
  const k = alpha.length;
  const t = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    t[i * k + i] = alpha[i];
    if (i + 1 < k) t[i * k + i + 1] = t[(i + 1) * k + i] = beta[i];
  }
  return symmetricEigen(t, k);
}

function topIndices(values: Float64Array, count: number): number[] {
  return [...values.keys()].sort((a, b) => values[b] - values[a]).slice(0, count);
}

/** Residual of a Ritz pair is |β_k · s_last|: small against λ₁ for both top pairs. */
function converged(ritz: Eigen, k: number, b: number): boolean {
  const top = topIndices(ritz.values, 2);
  const scale = Math.abs(ritz.values[top[0]]) || 1;
  return top.every((i) => Math.abs(b * ritz.vectors[(k - 1) * k + i]) <= TOLERANCE * scale);
}

function ritzPairs(ritz: Eigen, k: number, basis: Float64Array[]): TopSpectrum {
  const n = basis[0].length;
  const top = topIndices(ritz.values, 2);
  const vectors = top.map((i) => {
    const x = new Float64Array(n);
    for (let r = 0; r < k; r++) {
      const c = ritz.vectors[r * k + i];
      for (let d = 0; d < n; d++) x[d] += c * basis[r][d];
    }
    const norm = Math.sqrt(dot(x, x)) || 1;
    return x.map((v) => v / norm);
  });
  return { values: top.map((i) => Math.max(0, ritz.values[i])), vectors };
}
