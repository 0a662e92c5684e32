// Layer discovery: the rule table applied to a checkpoint's tensors, in model order, with next layers resolved.
import { type Checkpoint, CheckpointError, type TensorInfo } from '../checkpoint';
import { overBudget, readerLimits } from '../formats/limits';
import type { LayerKind } from '../../protocol/report';
import { splitHeads } from './heads';
import { flattenedNext, groupedQueryNext } from './nextViews';
import { compareKeys, orderKey } from './order';
import { fill, LAYER_RULES, type LayerRule, type RuleContext } from './rules';
import { describeView, layoutView, type RowRanges, tensorView, type TensorView } from './views';

export interface LayerSpec {
  name: string;
  kind: LayerKind;
  weight: TensorView;
  bias?: TensorView;
  /** How the weight was read: `"as stored"`, `"transposed"`, `"q of transformer.h.0.attn.c_attn"`. */
  view: string;
  /** The next layer (its weight's axis 1 holds each neuron's outgoing weights). */
  next?: LayerSpec;
  /** Groups of the next layer's convolution, when it is grouped or depthwise (1 otherwise). */
  nextGroups: number;
}

/** What discovery needs of a checkpoint. */
export type LayerSource = Pick<Checkpoint, 'path' | 'format' | 'tensors' | 'metadata'>;

/** Next layers named by the user: layer → next layer name, or `none`. */
export type NextOverrides = Readonly<Record<string, string>>;

/** Optimizer state stored beside the weights is never a layer. */
const OPTIMIZER_STATE = /(^|[./])(optimizer|exp_avg|exp_avg_sq|momentum_buffer|moment|velocity)([./]|$)/i;

const FLOAT_DTYPES = new Set(['F64', 'F32', 'F16', 'BF16']);

function isWeightTensor(t: TensorInfo): boolean {
  return FLOAT_DTYPES.has(t.dtype) && t.shape.length >= 2 && t.shape.length <= 5 && !OPTIMIZER_STATE.test(t.name);
}

/** Glob (`*`, `?`) to an anchored regular expression. */
export function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

interface Found {
  spec: LayerSpec;
  groups: Readonly<Record<string, string>>;
  position?: number;
  /** Structural next-layer templates: `null` none, undefined: by model order. */
  nextNames?: readonly string[] | null;
  /** The graph reaches the next layer through a flatten (TF.js graph models). */
  flattened?: boolean;
}

function matchRule(t: TensorInfo, ctx: RuleContext) {
  for (const rule of LAYER_RULES) {
    const m = rule.pattern.exec(t.name);
    if (!m?.groups) continue;
    const groups: Readonly<Record<string, string>> = { ...m.groups };
    if (!rule.when || rule.when(t, ctx, groups)) return { rule, groups };
  }
  return undefined;
}

function biasView(rule: LayerRule, groups: Readonly<Record<string, string>>, rows: number, ctx: RuleContext) {
  for (const template of rule.bias) {
    const b = ctx.sibling(fill(template, groups));
    if (b) return FLOAT_DTYPES.has(b.dtype) && b.shape.length === 1 && b.shape[0] === rows ? b : undefined;
  }
  return undefined;
}

/** The layers one matched tensor gives: itself, or the q, k and v parts of a fused tensor. */
function layersOf(t: TensorInfo, rule: LayerRule, groups: Readonly<Record<string, string>>, ctx: RuleContext): Found[] {
  const whole = layoutView(t, rule.layout);
  const order = whole.order;
  const bias = biasView(rule, groups, whole.shape[0], ctx);
  const name = rule.name ? fill(rule.name, groups) : groups.layer;
  const kind = rule.kind === 'byRank' ? (t.shape.length === 2 ? 'dense' : 'conv') : rule.kind;
  const parts = rule.fused && rule.fused.rows(whole.shape, ctx, groups);
  if (!rule.fused || !parts) {
    const view = rule.fused
      ? `q, k and v of ${name}, not split: its head layout needs num_attention_heads`
      : describeView(whole);
    const spec = { name, kind, weight: whole, bias: bias && tensorView(bias), view, nextGroups: 1 };
    return [
      {
        spec,
        groups,
        position: rule.position ?? rule.fused?.parts[0].position,
        nextNames: rule.fused ? null : rule.next,
      },
    ];
  }
  const fused = rule.fused;
  return fused.parts.map((p, i) => {
    const rows: RowRanges = parts[i];
    const spec: LayerSpec = {
      name: `${name}.${p.part}`,
      kind: p.kind,
      weight: tensorView(t, order, rows),
      bias: bias && tensorView(bias, undefined, rows),
      view: describeView(whole, p.part, name),
      nextGroups: 1,
    };
    return { spec, groups, position: p.position, nextNames: p.part === 'v' ? fused.vNext : null };
  });
}

/** A weight whose file says which layer it is and how the layer reads it (a TF.js graph model's ops). */
function readerNamedLayer(t: TensorInfo, layer: NonNullable<TensorInfo['layer']>, ctx: RuleContext): Found {
  const weight = layoutView(t, layer.layout ?? 'stored');
  const b = layer.bias === undefined ? undefined : ctx.sibling(layer.bias);
  const fits = b && FLOAT_DTYPES.has(b.dtype) && b.shape.length === 1 && b.shape[0] === weight.shape[0];
  const kind: LayerKind = t.shape.length === 2 ? 'dense' : 'conv';
  const spec = { name: layer.name, kind, weight, bias: fits ? tensorView(b) : undefined, view: describeView(weight) };
  // The graph's next layer is structural (a name, filled in literally); absent, model order decides.
  const graph =
    layer.next === undefined
      ? {}
      : { nextNames: layer.next === null ? null : ['${next}'], ...(layer.flattened ? { flattened: true } : {}) };
  return { spec: { ...spec, nextGroups: 1 }, groups: { layer: layer.name, next: layer.next ?? '' }, ...graph };
}

/** Groups of `next` as a consumer of `n` outputs: 1 when it takes them all, g for a grouped conv, 0 when it does not fit. */
function fit(n: number, next: TensorView, groupedAllowed: boolean): number {
  const [out, inputs] = next.shape;
  if (inputs === n) return 1;
  if (!groupedAllowed || !isGroupedCandidate(next) || n % inputs !== 0) return 0;
  const g = n / inputs;
  return out % g === 0 ? g : 0;
}

/** A conv that may be grouped: depthwise (one input channel per group), or a spatial kernel (1×1 convs are not). */
function isGroupedCandidate(v: TensorView): boolean {
  return v.shape.length >= 3 && (v.shape[1] === 1 || v.shape.slice(2).some((k) => k > 1));
}

/** The first element of an ascending list greater than `after`. */
function firstAfter(list: readonly number[] | undefined, after: number): number {
  if (!list) return Infinity;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid] > after) hi = mid;
    else lo = mid + 1;
  }
  return lo < list.length ? list[lo] : Infinity;
}

function push(index: Map<number, number[]>, key: number, at: number) {
  const list = index.get(key);
  if (list) list.push(at);
  else index.set(key, [at]);
}

const STRUCTURAL = (kind: LayerKind) => kind.startsWith('attention.') || kind.startsWith('mlp.');

/**
 * Next layers of plain dense and conv layers by model order: the first later one that takes this layer's outputs
 * (all of them, or per group), never past an attention or MLP layer. Indexed by input size: n·log n.
 */
function resolveByOrder(found: readonly Found[]) {
  const byInputs = new Map<number, number[]>();
  const grouped = new Map<number, number[]>();
  const boundary: number[] = new Array(found.length);
  let nextStructural = found.length;
  for (let i = found.length - 1; i >= 0; i--) {
    boundary[i] = nextStructural;
    if (STRUCTURAL(found[i].spec.kind)) nextStructural = i;
  }
  for (const [i, f] of found.entries()) {
    if (f.spec.kind !== 'dense' && f.spec.kind !== 'conv') continue;
    push(byInputs, f.spec.weight.shape[1], i);
    if (isGroupedCandidate(f.spec.weight)) push(grouped, f.spec.weight.shape[1], i);
  }
  for (const [i, f] of found.entries()) {
    if (f.nextNames !== undefined) continue;
    const n = f.spec.weight.shape[0];
    let best = firstAfter(byInputs.get(n), i);
    if (grouped.size > 0)
      for (let d = 1; d * d <= n; d++) {
        if (n % d !== 0) continue;
        for (const inputs of new Set([d, n / d])) {
          if (inputs === n) continue;
          const at = firstAfter(grouped.get(inputs), i);
          if (at < best && fit(n, found[at].spec.weight, true) > 0) best = at;
        }
      }
    if (best < boundary[i]) link(f.spec, found[best].spec);
  }
}

/**
 * Links `next` when it takes the outputs, is an attention output a grouped-query v feeds through shared heads,
 * or a dense layer after a flatten.
 */
function connect(spec: LayerSpec, next: LayerSpec, ctx: RuleContext, flattened = false): boolean {
  const shared = spec.kind === 'attention.v' && next.kind === 'attention.o' && groupedQueryNext(spec, next, ctx);
  const flat = flattened && next.weight.shape[1] !== spec.weight.shape[0] && flattenedNext(next, spec.weight.shape[0]);
  const weight = shared || flat;
  return link(spec, weight ? { ...next, weight } : next);
}

function link(spec: LayerSpec, next: LayerSpec | undefined): boolean {
  const groups = next ? fit(spec.weight.shape[0], next.weight, spec.kind === 'dense' || spec.kind === 'conv') : 0;
  spec.next = groups > 0 ? next : undefined;
  spec.nextGroups = groups > 0 ? groups : 1;
  return groups > 0;
}

function applyOverrides(
  path: string,
  byName: ReadonlyMap<string, LayerSpec>,
  overrides: NextOverrides,
  ctx: RuleContext,
) {
  for (const [layer, nextName] of Object.entries(overrides)) {
    const spec = byName.get(layer);
    if (!spec) continue;
    if (nextName === 'none') {
      link(spec, undefined);
      continue;
    }
    const next = byName.get(nextName);
    if (!next)
      throw new CheckpointError(path, `the next layer set for '${layer}' is '${nextName}', which is not a layer here`);
    if (!connect(spec, next, ctx))
      throw new CheckpointError(
        path,
        `the next layer set for '${layer}' is '${nextName}', which takes ${next.weight.shape[1]} inputs, not the ${spec.weight.shape[0]} outputs of '${layer}'`,
      );
  }
}

function positive(text: string | undefined): number | undefined {
  const value = Number(text);
  return text !== undefined && Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

/** Every layer in model order, with bias and next layer resolved (all layers, unfiltered); q, k, v per head on request. */
export function discoverLayers(ckpt: LayerSource, overrides: NextOverrides = {}, perHead = false): LayerSpec[] {
  return discover(ckpt, overrides, perHead ? 'per head' : 'whole');
}

/** The layers a run's baseline offers for comparison: every layer, and each attention head too. */
export function comparableLayers(ckpt: LayerSource): LayerSpec[] {
  return discover(ckpt, {}, 'both');
}

function discover(ckpt: LayerSource, overrides: NextOverrides, heads: 'whole' | 'per head' | 'both'): LayerSpec[] {
  const byTensor = new Map(ckpt.tensors.map((t) => [t.name, t]));
  const ctx: RuleContext = {
    sibling: (name) => byTensor.get(name),
    heads: positive(ckpt.metadata.num_attention_heads),
    kvHeads: positive(ckpt.metadata.num_key_value_heads),
    headDim: positive(ckpt.metadata.head_dim),
  };
  const found: Found[] = [];
  for (const t of ckpt.tensors) {
    if (!isWeightTensor(t)) continue;
    if (t.layer) {
      found.push(readerNamedLayer(t, t.layer, ctx));
      continue;
    }
    const match = matchRule(t, ctx);
    if (match) found.push(...layersOf(t, match.rule, match.groups, ctx));
    if (found.length > readerLimits.maxLayers)
      throw new CheckpointError(ckpt.path, `has ${overBudget('maxLayers', 'layer')}; analyse a part with --layer`);
  }
  // Hugging Face writes safetensors sorted by name; other formats keep the model's own order.
  if (ckpt.format === 'safetensors') {
    const keys = new Map(found.map((f) => [f, orderKey(f.spec.name, f.position)]));
    found.sort((a, b) => compareKeys(keys.get(a)!, keys.get(b)!));
  }
  const byName = new Map(found.map((f) => [f.spec.name, f.spec]));
  for (const f of found) {
    if (!f.nextNames) continue;
    const name = f.nextNames.map((tpl) => fill(tpl, f.groups)).find((n) => byName.has(n));
    if (name) connect(f.spec, byName.get(name)!, ctx, f.flattened);
  }
  resolveByOrder(found);
  const whole = found.map((f) => f.spec);
  const specs = heads === 'whole' ? whole : splitHeads(whole, ctx, heads === 'both');
  if (specs.length > readerLimits.maxLayers)
    throw new CheckpointError(
      ckpt.path,
      `has ${overBudget('maxLayers', 'layer')} per head; analyse a part with --layer`,
    );
  applyOverrides(ckpt.path, new Map(specs.map((l) => [l.name, l])), overrides, ctx);
  return specs;
}

/** The layers to analyse: at least 2 neurons of at least one input, chosen by the globs, embeddings on request. */
export function selectLayers(
  layers: readonly LayerSpec[],
  include: readonly string[],
  exclude: readonly string[],
  includeEmbeddings = false,
): LayerSpec[] {
  const inc = include.map(globToRegExp);
  const exc = exclude.map(globToRegExp);
  return layers.filter(
    (l) =>
      l.weight.shape[0] >= 2 &&
      l.weight.shape.slice(1).every((s) => s > 0) &&
      (includeEmbeddings || l.kind !== 'embedding') &&
      (inc.length === 0 || inc.some((r) => r.test(l.name))) &&
      !exc.some((r) => r.test(l.name)),
  );
}
