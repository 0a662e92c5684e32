// The top eigenpairs of a symmetric tridiagonal matrix (Lanczos's T) in O(k) each: the eigenvalue by bisection on
// Sturm counts, its eigenvector from a twisted factorisation of T − λI (the core of Dhillon's MRRR). A dense solve
// would cost O(k³) at every convergence check of the Lanczos loop.

export interface TridiagonalTop {
  /** The largest eigenvalues, descending. */
  values: number[];
  /** Their unit eigenvectors (length k), mutually orthogonal. */
  vectors: Float64Array[];
}

const EPS = Number.EPSILON;

/** A bound on |λ| for every eigenvalue (Gershgorin), at least the smallest positive double. */
function scaleOf(alpha: ArrayLike<number>, beta: ArrayLike<number>): number {
  let r = Number.MIN_VALUE;
  for (let i = 0; i < alpha.length; i++) {
    const off = (i > 0 ? Math.abs(beta[i - 1]) : 0) + (i + 1 < alpha.length ? Math.abs(beta[i]) : 0);
    r = Math.max(r, Math.abs(alpha[i]) + off);
  }
  return r;
}

/** How many eigenvalues lie below `x` (the negative pivots of the LDLᵀ of T − xI). */
function countBelow(alpha: ArrayLike<number>, beta: ArrayLike<number>, x: number, tiny: number): number {
  let count = 0;
  let d = 1;
  for (let i = 0; i < alpha.length; i++) {
    d = alpha[i] - x - (i > 0 ? (beta[i - 1] * beta[i - 1]) / d : 0);
    if (Math.abs(d) < tiny) d = -tiny;
    if (d < 0) count++;
  }
  return count;
}

/** The eigenvalue with `index` eigenvalues below it, to about EPS · ‖T‖. */
function bisect(alpha: ArrayLike<number>, beta: ArrayLike<number>, index: number, scale: number): number {
  const tiny = EPS * EPS * scale;
  let lo = -scale;
  let hi = scale;
  for (;;) {
    const mid = 0.5 * (lo + hi);
    if (hi - lo <= 2 * EPS * scale || mid <= lo || mid >= hi) return mid;
    if (countBelow(alpha, beta, mid, tiny) > index) hi = mid;
    else lo = mid;
  }
}

/**
 * The unit eigenvector of eigenvalue `lambda`: T − λI = L₊D₊L₊ᵀ (from the top) = U₋D₋U₋ᵀ (from the bottom); the
 * twist r where γ_r = D₊[r] + D₋[r] − (α_r − λ) is smallest gives x_r = 1 and the rest by the two factors.
 */
function eigenvector(alpha: ArrayLike<number>, beta: ArrayLike<number>, lambda: number, scale: number): Float64Array {
  const k = alpha.length;
  const tiny = EPS * scale;
  const guard = (d: number) => (Math.abs(d) < tiny ? (d < 0 ? -tiny : tiny) : d);
  const top = new Float64Array(k);
  const bottom = new Float64Array(k);
  for (let i = 0; i < k; i++)
    top[i] = guard(alpha[i] - lambda - (i > 0 ? (beta[i - 1] * beta[i - 1]) / top[i - 1] : 0));
  for (let i = k - 1; i >= 0; i--)
    bottom[i] = guard(alpha[i] - lambda - (i + 1 < k ? (beta[i] * beta[i]) / bottom[i + 1] : 0));
  let twist = 0;
  let best = Infinity;
  for (let r = 0; r < k; r++) {
    const gamma = Math.abs(top[r] + bottom[r] - (alpha[r] - lambda));
    if (gamma < best) [best, twist] = [gamma, r];
  }
  const x = new Float64Array(k);
  x[twist] = 1;
  for (let i = twist - 1; i >= 0; i--) x[i] = (-beta[i] * x[i + 1]) / top[i];
  for (let i = twist + 1; i < k; i++) x[i] = (-beta[i - 1] * x[i - 1]) / bottom[i];
  return normalised(x);
}

function normalised(x: Float64Array): Float64Array {
  let s = 0;
  for (const v of x) s += v * v;
  const norm = Math.sqrt(s) || 1;
  return x.map((v) => v / norm);
}

/**
 * The `count` largest eigenpairs of the k×k symmetric tridiagonal matrix with diagonal `alpha` (length k) and
 * off-diagonal `beta` (length k − 1); fewer when k < count.
 */
export function tridiagonalTop(alpha: ArrayLike<number>, beta: ArrayLike<number>, count: number): TridiagonalTop {
  const k = alpha.length;
  const scale = scaleOf(alpha, beta);
  const values: number[] = [];
  const vectors: Float64Array[] = [];
  for (let j = 0; j < Math.min(count, k); j++) {
    const lambda = bisect(alpha, beta, k - 1 - j, scale);
    const x = eigenvector(alpha, beta, lambda, scale);
    // Close eigenvalues give nearly parallel twisted vectors: keep the set orthogonal (Gram–Schmidt).
    for (const v of vectors) {
      let c = 0;
      for (let i = 0; i < k; i++) c += x[i] * v[i];
      for (let i = 0; i < k; i++) x[i] -= c * v[i];
    }
    values.push(lambda);
    vectors.push(vectors.length > 0 ? normalised(x) : x);
  }
  return { values, vectors };
}
