// Which tensors are layers of neurons, as data: one rule per architecture's naming, tried in order.
import type { TensorInfo } from '../checkpoint';
import type { LayerKind } from '../../protocol/report';
import type { Layout, RowRanges } from './views';

export interface RuleContext {
  /** Another tensor of the checkpoint by name. */
  readonly sibling: (name: string) => TensorInfo | undefined;
  /** `num_attention_heads` from the checkpoint's metadata (or its config.json), when it says. */
  readonly heads?: number;
  /** `num_key_value_heads`, when it says (grouped-query attention). */
  readonly kvHeads?: number;
  /** `head_dim`, when it says. */
  readonly headDim?: number;
}

/** One of the layers a fused tensor holds (q, k, v of a fused attention input). */
export interface FusedPart {
  readonly part: 'q' | 'k' | 'v';
  readonly kind: LayerKind;
  readonly position: number;
}

export interface LayerRule {
  readonly family: string;
  /** Tensor name; the named group `layer` is the layer's name, other groups fill the templates. */
  readonly pattern: RegExp;
  /** The layer's name when it is not the group `layer` (template). */
  readonly name?: string;
  /** Further conditions on the tensor (its shape as stored) and its siblings. */
  readonly when?: (t: TensorInfo, ctx: RuleContext, groups: Readonly<Record<string, string>>) => boolean;
  /** `byRank`: dense for rank 2, conv for rank 3 to 5. */
  readonly kind: LayerKind | 'byRank';
  readonly layout: Layout;
  /** A fused tensor: its parts and the neuron rows of each (undefined: the layout is not known, not split). */
  readonly fused?: {
    readonly parts: readonly FusedPart[];
    readonly rows: (
      shape: readonly number[],
      ctx: RuleContext,
      groups: Readonly<Record<string, string>>,
    ) => RowRanges[] | undefined;
    /** The next layer of the `v` part (templates, first that exists). */
    readonly vNext: readonly string[];
  };
  /** Bias tensor name templates, first that exists. */
  readonly bias: readonly string[];
  /** Next layer by structure: layer name templates (first that exists), `null` for none, absent for model order. */
  readonly next?: readonly string[] | null;
  /** Position inside its block for model order: attention before MLP, in before out. */
  readonly position?: number;
}

const QKV: readonly FusedPart[] = [
  { part: 'q', kind: 'attention.q', position: 0 },
  { part: 'k', kind: 'attention.k', position: 1 },
  { part: 'v', kind: 'attention.v', position: 2 },
];

/** q, k and v one after another: `[q; k; v]`, equal thirds. */
function thirds(shape: readonly number[]): RowRanges[] | undefined {
  const d = shape[0] / 3;
  return Number.isInteger(d) ? [0, 1, 2].map((i) => [[i * d, d]]) : undefined;
}

/** q, k, v interleaved per head (GPT-NeoX, Falcon without multi-query): `[q_0; k_0; v_0; q_1; …]`. */
function perHead(shape: readonly number[], ctx: RuleContext): RowRanges[] | undefined {
  const heads = ctx.heads;
  const size = heads ? shape[0] / (3 * heads) : NaN;
  if (!heads || !Number.isInteger(size)) return undefined;
  return [0, 1, 2].map((p) => Array.from({ length: heads }, (_, h) => [(3 * h + p) * size, size] as const));
}

/** Falcon's fused input: interleaved per head, or multi-query `[q (d rows); k (one head); v (one head)]`. */
function falconRows(shape: readonly number[], ctx: RuleContext, g: Readonly<Record<string, string>>) {
  const [rows, d] = shape;
  if (rows === 3 * d) return perHead(shape, ctx);
  const head = (rows - d) / 2;
  // The new decoder architecture groups q, k, v per key/value head: its layout needs the head counts.
  if (!Number.isInteger(head) || head <= 0 || ctx.sibling(`${g.block}.ln_attn.weight`)) return undefined;
  return [[[0, d]], [[d, head]], [[d + head, head]]] as RowRanges[];
}

const BLOCK = String.raw`(?<block>(?:.+?\.)?\d+)`;
const esc = (s: string) => s.replace(/[.+^${}()|[\]\\]/g, '\\$&');
const under = (path: string) => (path ? `${BLOCK}\\.(?<path>${path})` : `${BLOCK}(?<path>)`);
const at = (path: string) => (path ? '${block}.${path}.' : '${block}.');

/** GPT-2's Conv1D stores `[in, out]`: its fused attention input is `[d, 3d]`. */
const gpt2 = (ctx: RuleContext, g: Readonly<Record<string, string>>) => {
  const cAttn = ctx.sibling(`${g.block}.attn.c_attn.weight`);
  return cAttn !== undefined && cAttn.shape.length === 2 && cAttn.shape[1] === 3 * cAttn.shape[0];
};

interface AttentionFamily {
  family: string;
  /** Regex of the attention module's path inside the block. */
  path: string;
  q: string;
  k: string;
  v: string;
  /** Output projection names (first that exists is the v layer's next). */
  o: readonly string[];
}

/** Attention with separate q, k, v and output projections (nn.Linear layout). */
const ATTENTION: readonly AttentionFamily[] = [
  {
    family: 'Llama, Mistral, Qwen2, OPT, BART, Whisper',
    path: 'self_attn',
    q: 'q_proj',
    k: 'k_proj',
    v: 'v_proj',
    o: ['o_proj', 'out_proj'],
  },
  { family: 'GPT-J', path: 'attn', q: 'q_proj', k: 'k_proj', v: 'v_proj', o: ['out_proj'] },
  { family: 'BERT', path: 'attention', q: 'self.query', k: 'self.key', v: 'self.value', o: ['output.dense'] },
  {
    family: 'ViT',
    path: 'attention',
    q: 'attention.query',
    k: 'attention.key',
    v: 'attention.value',
    o: ['output.dense'],
  },
  { family: 'T5', path: String.raw`layer\.\d+\.(?:SelfAttention|EncDecAttention)`, q: 'q', k: 'k', v: 'v', o: ['o'] },
];

interface MlpFamily {
  family: string;
  path: string;
  in: readonly string[];
  out: string;
  layout?: Layout;
  when?: LayerRule['when'];
}

/** Feed-forward blocks: each `in` layer's next layer is `out` of the same block. */
const MLP: readonly MlpFamily[] = [
  { family: 'GPT-2', path: 'mlp', in: ['c_fc'], out: 'c_proj', layout: 'transposed', when: (_t, c, g) => gpt2(c, g) },
  { family: 'Llama, Mistral, Qwen2', path: 'mlp', in: ['gate_proj', 'up_proj'], out: 'down_proj' },
  { family: 'BERT, ViT', path: '', in: ['intermediate.dense'], out: 'output.dense' },
  { family: 'T5', path: String.raw`layer\.\d+\.DenseReluDense`, in: ['wi', 'wi_0', 'wi_1'], out: 'wo' },
  { family: 'GPT-NeoX, Falcon', path: 'mlp', in: ['dense_h_to_4h'], out: 'dense_4h_to_h' },
  { family: 'Qwen', path: 'mlp', in: ['w1', 'w2'], out: 'c_proj' },
  { family: 'GPT-J', path: 'mlp', in: ['fc_in'], out: 'fc_out' },
  { family: 'OPT, BART, Whisper', path: '', in: ['fc1'], out: 'fc2' },
  { family: 'nn.TransformerEncoderLayer', path: '', in: ['linear1'], out: 'linear2' },
];

const weightOf = (path: string, names: readonly string[]) =>
  new RegExp(`^(?<layer>${under(path)}\\.(?:${names.map(esc).join('|')}))\\.weight$`);

const BIAS = ['${layer}.bias'];

function attentionRules(f: AttentionFamily): LayerRule[] {
  const parts = [
    { names: [f.q], kind: 'attention.q', position: 0, next: null },
    { names: [f.k], kind: 'attention.k', position: 1, next: null },
    { names: [f.v], kind: 'attention.v', position: 2, next: f.o.map((o) => at(f.path) + o) },
    { names: f.o, kind: 'attention.o', position: 3, next: null },
  ] as const;
  return parts.map((p) => ({
    family: f.family,
    pattern: weightOf(f.path, p.names),
    // The output projection is an attention layer only beside its inputs.
    when: (_t, ctx, g) => ctx.sibling(`${g.block}.${g.path ? g.path + '.' : ''}${f.v}.weight`) !== undefined,
    kind: p.kind,
    layout: 'stored',
    bias: BIAS,
    next: p.next,
    position: p.position,
  }));
}

function mlpRules(f: MlpFamily): LayerRule[] {
  const common = { family: f.family, layout: f.layout ?? 'stored', bias: BIAS };
  const out = `${f.path ? '${block}.${path}' : '${block}'}.${f.out}`;
  return [
    {
      ...common,
      pattern: weightOf(f.path, f.in),
      when: (t, ctx, g) => (f.when?.(t, ctx, g) ?? true) && ctx.sibling(`${fill(out, g)}.weight`) !== undefined,
      kind: 'mlp.in',
      next: [out],
      position: 8,
    },
    {
      ...common,
      pattern: weightOf(f.path, [f.out]),
      when: (t, ctx, g) =>
        (f.when?.(t, ctx, g) ?? true) &&
        f.in.some((name) => ctx.sibling(`${g.block}.${g.path ? g.path + '.' : ''}${name}.weight`) !== undefined),
      kind: 'mlp.out',
      next: null,
      position: 10,
    },
  ];
}

/** Fills `${group}` placeholders from a match's named groups. */
export function fill(template: string, groups: Readonly<Record<string, string>>): string {
  return template.replace(/\$\{(\w+)\}/g, (_, key: string) => groups[key] ?? '');
}

/** Embedding tables by name, in the order a model uses them: tokens, then positions, then the rest. */
const EMBEDDINGS: readonly (readonly string[])[] = [
  [
    'wte',
    'embed_tokens',
    'embed_in',
    'word_embeddings',
    'tok_embeddings',
    'shared',
    'embedding',
    'embeddings',
    'embed',
    'emb',
  ],
  ['wpe', 'embed_positions', 'position_embeddings'],
  ['token_type_embeddings', 'relative_attention_bias'],
];

/** A fused q, k, v input: one tensor, three layers. */
function fusedRule(
  family: string,
  path: string,
  layout: Layout,
  rows: NonNullable<LayerRule['fused']>['rows'],
  vNext: string,
  when?: LayerRule['when'],
): LayerRule {
  const pattern = new RegExp(`^(?<layer>${BLOCK}\\.${path})\\.weight$`);
  return { family, pattern, when, kind: 'dense', layout, fused: { parts: QKV, rows, vNext: [vNext] }, bias: BIAS };
}

/** The output projection of a fused attention input (only beside it). */
function outputRule(family: string, path: string, layout: Layout, when: NonNullable<LayerRule['when']>): LayerRule {
  const pattern = new RegExp(`^(?<layer>${BLOCK}\\.${path})\\.weight$`);
  return { family, pattern, when, kind: 'attention.o', layout, bias: BIAS, next: null, position: 3 };
}

/** A fused `[3d, d]` (out = 0) or Conv1D `[d, 3d]` (out = 1) tensor. */
const fusedShape = (t: TensorInfo, out: number, inputs: number) =>
  t.shape.length === 2 && t.shape[out] === 3 * t.shape[inputs];
/** The block also holds `path`. */
const beside =
  (path: string): NonNullable<LayerRule['when']> =>
  (_t, ctx, g) =>
    ctx.sibling(`${g.block}.${path}.weight`) !== undefined;

/** The rules, most specific first; the last two are the plain PyTorch and Keras naming. */
export const LAYER_RULES: readonly LayerRule[] = [
  fusedRule('GPT-2 (Conv1D)', 'attn\\.c_attn', 'transposed', thirds, '${block}.attn.c_proj', (t) =>
    fusedShape(t, 1, 0),
  ),
  outputRule('GPT-2 (Conv1D)', 'attn\\.c_proj', 'transposed', (_t, ctx, g) => gpt2(ctx, g)),
  fusedRule('Qwen', 'attn\\.c_attn', 'stored', thirds, '${block}.attn.c_proj', (t) => fusedShape(t, 0, 1)),
  outputRule('Qwen', 'attn\\.c_proj', 'stored', beside('attn.c_attn')),
  fusedRule('GPT-NeoX', 'attention\\.query_key_value', 'stored', perHead, '${block}.attention.dense'),
  fusedRule('Falcon', 'self_attention\\.query_key_value', 'stored', falconRows, '${block}.self_attention.dense'),
  outputRule('GPT-NeoX', 'attention\\.dense', 'stored', beside('attention.query_key_value')),
  outputRule('Falcon', 'self_attention\\.dense', 'stored', beside('self_attention.query_key_value')),
  {
    family: 'nn.MultiheadAttention',
    pattern: /^(?<layer>(?<path>(?:.+\.)?)in_proj)_weight$/,
    when: (t) => t.shape.length === 2,
    kind: 'dense',
    layout: 'stored',
    fused: { parts: QKV, rows: thirds, vNext: ['${path}out_proj'] },
    bias: ['${path}in_proj_bias'],
  },
  {
    family: 'nn.MultiheadAttention',
    pattern: /^(?<layer>(?<path>(?:.+\.)?)out_proj)\.weight$/,
    when: (_t, ctx, g) => ctx.sibling(`${g.path}in_proj_weight`) !== undefined,
    kind: 'attention.o',
    layout: 'stored',
    bias: BIAS,
    next: null,
    position: 3,
  },
  ...ATTENTION.flatMap(attentionRules),
  ...MLP.flatMap(mlpRules),
  ...EMBEDDINGS.map((names, position): LayerRule => ({
    family: 'embeddings',
    pattern: new RegExp(`^(?<layer>(?:.+[./])?(?:${names.join('|')}))\\.weight$`),
    when: (t) => t.shape.length === 2,
    kind: 'embedding',
    layout: 'stored',
    bias: [],
    next: null,
    position,
  })),
  {
    family: 'Keras embeddings',
    pattern: /^(?<layer>.+)\/embeddings(?::\d+)?$/,
    when: (t) => t.shape.length === 2,
    kind: 'embedding',
    layout: 'stored',
    bias: [],
    next: null,
  },
  {
    family: 'PyTorch (nn.Linear, nn.Conv1d/2d/3d)',
    pattern: /^(?<layer>.+)\.weight$/,
    kind: 'byRank',
    layout: 'stored',
    bias: BIAS,
  },
  {
    family: 'Keras, TF.js (Dense [in, out], Conv HWIO)',
    pattern: /^(?<layer>.+)\/kernel(?::\d+)?$/,
    kind: 'byRank',
    layout: 'keras',
    bias: ['${layer}/bias', '${layer}/bias:0'],
  },
  ...kerasSeparable('Keras DepthwiseConv2D, SeparableConv2D', 'depthwise_kernel', 'pointwise_kernel'),
  ...kerasSeparable('face-api (TF.js)', 'depthwise_filter', 'pointwise_filter', ['filters', 'weights']),
];

/**
 * Keras-laid-out depthwise and pointwise kernels: `P/depthwise` is the depthwise step (`[k, k, C, M]`), `P` the
 * pointwise one (and any other HWIO kernel name given). A separable convolution's bias follows its pointwise step.
 */
function kerasSeparable(family: string, depthwise: string, pointwise: string, others: string[] = []): LayerRule[] {
  const pattern = (names: string[]) => new RegExp(`^(?<layer>.+)\\/(?:${names.join('|')})(?::\\d+)?$`);
  const separable: NonNullable<LayerRule['when']> = (_t, ctx, g) =>
    [`${g.layer}/${pointwise}`, `${g.layer}/${pointwise}:0`].some((name) => ctx.sibling(name) !== undefined);
  const depthwiseRule = { family, pattern: pattern([depthwise]), name: '${layer}/depthwise', kind: 'conv' } as const;
  const bias = ['${layer}/bias', '${layer}/bias:0'];
  return [
    { ...depthwiseRule, when: separable, layout: 'depthwise', bias: [] },
    { ...depthwiseRule, layout: 'depthwise', bias },
    { family, pattern: pattern([pointwise, ...others]), kind: 'byRank', layout: 'keras', bias },
  ];
}
