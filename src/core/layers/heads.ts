// Per-head layers (condensationLens.layers.perHead): each attention q, k and v layer split into one layer per
// head, its bias sliced the same way; head h of v feeds the columns of the output projection that read it.
import type { LayerSpec } from './discover';
import { columnsOfHead } from './nextViews';
import type { RuleContext } from './rules';
import { type RowRanges, tensorView, type TensorView } from './views';

const SPLIT = new Set(['attention.q', 'attention.k', 'attention.v']);

/** Rows [start, start + count) of the rows a view keeps (all `total` rows when `rows` is absent). */
export function subRows(rows: RowRanges | undefined, total: number, start: number, count: number): RowRanges {
  const out: [number, number][] = [];
  let skip = start;
  let left = count;
  for (const [first, length] of rows ?? [[0, total]]) {
    if (left === 0) break;
    if (skip >= length) {
      skip -= length;
      continue;
    }
    const take = Math.min(length - skip, left);
    out.push([first + skip, take]);
    left -= take;
    skip = 0;
  }
  return out;
}

/** The head size: head_dim, else the first q layer's rows over num_attention_heads, else v's over num_key_value_heads. */
function headSize(layers: readonly LayerSpec[], ctx: RuleContext): number | undefined {
  if (ctx.headDim) return ctx.headDim;
  const q = layers.find((l) => l.kind === 'attention.q');
  if (ctx.heads && q) return q.weight.shape[0] / ctx.heads;
  const v = layers.find((l) => l.kind === 'attention.v');
  return ctx.kvHeads && v ? v.weight.shape[0] / ctx.kvHeads : undefined;
}

/** What a head is a head of, for the `view` field: `head 0 of q of X, transposed`, `head 3 of model.…q_proj`. */
function wholeView(l: LayerSpec): string {
  if (l.view === 'as stored') return l.name;
  return l.view === 'transposed' ? `${l.name}, transposed` : l.view;
}

/** q, k and v layers split per head (`keepWhole`: the whole layers stay too, for a baseline that any run compares). */
export function splitHeads(layers: readonly LayerSpec[], ctx: RuleContext, keepWhole: boolean): LayerSpec[] {
  const size = headSize(layers, ctx);
  const byName = new Map(layers.map((l) => [l.name, l]));
  return layers.flatMap((l) => {
    if (!SPLIT.has(l.kind)) return [l];
    const n = l.weight.shape[0];
    const heads = size ? n / size : NaN;
    if (!Number.isInteger(heads) || heads < 1)
      return [{ ...l, view: `${l.view}; not per head: needs num_attention_heads or head_dim` }];
    const o = l.kind === 'attention.v' && l.next ? byName.get(l.next.name) : undefined;
    const perHead = Array.from({ length: heads }, (_, h): LayerSpec => {
      const rows = (view: TensorView) => subRows(view.rows, n, h * size!, size!);
      const next = o && columnsOfHead(o.weight, h, heads, size!);
      return {
        name: `${l.name}.head${h}`,
        kind: l.kind,
        weight: tensorView(l.weight.tensor, l.weight.order, rows(l.weight)),
        bias: l.bias && tensorView(l.bias.tensor, undefined, rows(l.bias)),
        view: `head ${h} of ${wholeView(l)}`,
        next: o && next ? { ...o, weight: next } : undefined,
        nextGroups: 1,
      };
    });
    return keepWhole ? [l, ...perHead] : perHead;
  });
}
