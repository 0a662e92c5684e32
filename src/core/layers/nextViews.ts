// How a next layer's weight reads when its inputs are not simply this layer's outputs: the output projection of
// grouped-query attention, the columns of one head, and a dense layer after a flatten.
import type { LayerSpec } from './discover';
import type { RuleContext } from './rules';
import { reshaped, tensorView, type TensorView } from './views';

/**
 * Grouped-query attention: `v` has kvHeads·headDim neurons, `o` takes heads·headDim inputs, and query head h reads
 * key/value head ⌊h / rep⌋ (rep = heads / kvHeads, Hugging Face's repeat_kv). Neuron (g, j) of v then feeds o's
 * columns (g·rep + r)·headDim + j for every r: `o` read as [d, kv, rep, headDim] → [rep·d, kv·headDim].
 */
export function groupedQueryNext(v: LayerSpec, o: LayerSpec, ctx: RuleContext): TensorView | undefined {
  const n = v.weight.shape[0];
  const [d, inputs] = o.weight.shape;
  const rep = inputs / n;
  const headDim = ctx.headDim ?? (ctx.heads ? inputs / ctx.heads : ctx.kvHeads ? n / ctx.kvHeads : NaN);
  const kv = n / headDim;
  const stored = o.weight.order === undefined && o.weight.rows === undefined && o.weight.shape.length === 2;
  if (!stored || !Number.isInteger(rep) || rep < 2 || !Number.isInteger(kv) || kv < 1) return undefined;
  if ((ctx.heads !== undefined && ctx.heads !== kv * rep) || (ctx.kvHeads !== undefined && ctx.kvHeads !== kv))
    return undefined;
  return reshaped(tensorView(o.weight.tensor, [2, 0, 1, 3], undefined, [d, kv, rep, headDim]), [rep * d, n]);
}

/**
 * A dense layer after a flatten of channels-last features (TF.js graph models): its input s·C + c is channel c at
 * position s, so channel c's outgoing weights are its column at every s: the dense weight read as [S·M, C].
 */
export function flattenedNext(next: LayerSpec, n: number): TensorView | undefined {
  const w = next.weight;
  const [m, inputs] = w.shape;
  const s = inputs / n;
  if (next.kind !== 'dense' || w.shape.length !== 2 || w.rows || w.dims || !Number.isInteger(s) || s < 2)
    return undefined;
  const view = w.order
    ? tensorView(w.tensor, [0, 2, 1], undefined, [s, n, m])
    : tensorView(w.tensor, [1, 0, 2], undefined, [m, s, n]);
  return reshaped(view, [s * m, n]);
}

/**
 * The columns of the output projection `o` (`[d, H·size]` stored, or `[H·size, d]` transposed) that head g of a v
 * with `kv` heads feeds: query heads g·rep … g·rep + rep − 1 (rep = H / kv, 1 without grouped-query attention),
 * as `[rep·d, size]`.
 */
export function columnsOfHead(o: TensorView, g: number, kv: number, size: number): TensorView | undefined {
  const [d, inputs] = o.shape;
  const rep = inputs / (kv * size);
  if (!Number.isInteger(rep) || o.rows || o.dims || o.shape.length !== 2) return undefined;
  const view = o.order
    ? tensorView(o.tensor, [0, 1, 3, 2], [[g, 1]], [kv, rep, size, d])
    : tensorView(o.tensor, [1, 2, 0, 3], [[g, 1]], [d, kv, rep, size]);
  return reshaped(view, [rep * d, size]);
}
