// Layer discovery: which tensors of a checkpoint are layers of neurons (METRICS.md "Inputs").
import type { TensorInfo } from './checkpoint';
import type { LayerKind } from '../protocol/report';

export interface LayerSpec {
  name: string;
  kind: LayerKind;
  weight: TensorInfo;
  bias?: TensorInfo;
  /** The next layer's weight (outgoing weights of each neuron on its axis 1). */
  next?: TensorInfo;
  /** Name of the next layer, for display. */
  nextName?: string;
}

/** Naming rules, tried in order: a weight name pattern and how its bias is named. */
const NAMING_RULES: readonly { weight: RegExp; bias: (layer: string) => string }[] = [
  { weight: /^(.+)\.weight$/, bias: (p) => `${p}.bias` }, // PyTorch, safetensors, our trainer
  { weight: /^(.+)\/kernel(?::0)?$/, bias: (p) => `${p}/bias` }, // Keras / TF.js
];

/** Optimizer state stored beside the weights is never a layer. */
const OPTIMIZER_STATE = /(^|[./])(optimizer|exp_avg|exp_avg_sq|momentum_buffer|moment|velocity)([./]|$)/i;

const FLOAT_DTYPES = new Set(['F64', 'F32', 'F16', 'BF16']);

export function isWeightTensor(t: TensorInfo): boolean {
  return FLOAT_DTYPES.has(t.dtype) && t.shape.length >= 2 && !OPTIMIZER_STATE.test(t.name);
}

/** Glob (`*`, `?`) to an anchored regular expression. */
export function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/** Every layer in checkpoint order, with bias and next layer resolved (all layers, unfiltered). */
export function discoverLayers(tensors: readonly TensorInfo[]): LayerSpec[] {
  const byName = new Map(tensors.map((t) => [t.name, t]));
  const layers: LayerSpec[] = [];
  const add = (name: string, t: TensorInfo, bias: TensorInfo | undefined) => {
    const n = t.shape[0];
    layers.push({
      name,
      kind: t.shape.length === 2 ? 'dense' : 'conv',
      weight: t,
      bias: bias && FLOAT_DTYPES.has(bias.dtype) && bias.shape.length === 1 && bias.shape[0] === n ? bias : undefined,
    });
  };
  for (const t of tensors) {
    if (!isWeightTensor(t)) continue;
    // The file said which layer this weight belongs to (a TF.js graph model's ops).
    if (t.layer) add(t.layer.name, t, t.layer.bias === undefined ? undefined : byName.get(t.layer.bias));
    const rule = t.layer ? undefined : NAMING_RULES.find((r) => r.weight.test(t.name));
    const name = rule?.weight.exec(t.name)?.[1];
    if (rule && name !== undefined) add(name, t, byName.get(rule.bias(name)));
  }
  for (const [i, layer] of layers.entries()) {
    const next = layers.slice(i + 1).find((l) => l.weight.shape[1] === layer.weight.shape[0]);
    if (next) {
      layer.next = next.weight;
      layer.nextName = next.name;
    }
  }
  return layers;
}

/** The layers to analyse: at least 2 neurons, chosen by the include globs, minus the excluded. */
export function selectLayers(
  layers: readonly LayerSpec[],
  include: readonly string[],
  exclude: readonly string[],
): LayerSpec[] {
  const inc = include.map(globToRegExp);
  const exc = exclude.map(globToRegExp);
  return layers.filter(
    (l) =>
      l.weight.shape[0] >= 2 &&
      (inc.length === 0 || inc.some((r) => r.test(l.name))) &&
      !exc.some((r) => r.test(l.name)),
  );
}
