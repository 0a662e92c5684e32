// Model order: block index numerically, then position in the block (attention before MLP, in before out).
import { LAYER_BLOCK } from '../../protocol/report';

/** Layers after the blocks (classifier heads); other layers outside blocks (stems, embeddings) come first. */
const HEAD = /(^|[./])(lm_head|fc|classifier|head|pooler|score|embed_out|cls)([./]|$)/;

/** A later stack of blocks: decoders after encoders. */
const LATER_STACK = /(^|\.)decoder(\.|$)/;

export type OrderKey = readonly (number | string)[];

/** Text split into alternating runs of non-digits and numbers, so that `h.2` sorts before `h.10`. */
function natural(text: string): (number | string)[] {
  return text.split(/(\d+)/).map((piece, i) => (i % 2 ? Number(piece) : piece));
}

/** Where a layer sits in the model, as a key compared element by element. */
export function orderKey(name: string, position: number | undefined): OrderKey {
  const m = LAYER_BLOCK.exec(name);
  const inBlock = m?.groups;
  if (!inBlock) return [HEAD.test(name) ? 2 : 0, 0, '', 0, 0, position ?? 5, ...natural(name)];
  const stack = inBlock.stack ?? '';
  const rest = inBlock.rest ?? '';
  const sub = /(?:^|\.)(\d+)(?:\.|$)/.exec(rest);
  return [
    HEAD.test(stack) ? 2 : 1,
    LATER_STACK.test(stack) ? 1 : 0,
    stack,
    Number(inBlock.index),
    sub ? Number(sub[1]) : -1,
    position ?? 5,
    ...natural(rest),
  ];
}

export function compareKeys(a: OrderKey, b: OrderKey): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x).localeCompare(String(y), 'en', { numeric: true });
  }
  return a.length - b.length;
}
