// Layer discovery: which tensors of a checkpoint are layers of neurons (METRICS.md "Inputs").
import type { TensorInfo } from './checkpoint';
import type { LayerKind, NoLayers } from '../protocol/report';

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
const NAMING_RULES: readonly { weight: RegExp; bias: (layer: string) => string; text: string }[] = [
  { weight: /^(.+)\.weight$/, bias: (p) => `${p}.bias`, text: '<layer>.weight (PyTorch, safetensors)' },
  { weight: /^(.+)\/kernel(?::0)?$/, bias: (p) => `${p}/bias`, text: '<layer>/kernel (Keras, TF.js)' },
];

/** What else a layer's weight must be, in words (isWeightTensor and selectLayers). */
const WEIGHT_RULE = 'a floating-point tensor of 2 or more dimensions with at least 2 neurons, not optimizer state';

/** How many tensors a "no layer" notice names. */
const NOTICE_TENSORS = 5;

/** The notice for a checkpoint in which no layer was found. */
export function noLayersFound(tensors: readonly TensorInfo[]): NoLayers {
  return {
    tensorCount: tensors.length,
    tensors: tensors.slice(0, NOTICE_TENSORS).map((t) => ({ name: t.name, shape: [...t.shape], dtype: t.dtype })),
    rules: [...NAMING_RULES.map((r) => r.text), WEIGHT_RULE],
  };
}

/** The notice in one line: "no layer found in its 3 tensors (data [100, 2] F32, …); a layer is …". */
export function describeNoLayers(n: NoLayers): string {
  const seen = n.tensors.map((t) => `${t.name} [${t.shape.join(', ')}] ${t.dtype}`).join(', ');
  const more = n.tensorCount > n.tensors.length ? `, and ${n.tensorCount - n.tensors.length} more` : '';
  const rules = n.rules.slice(0, -1).join(' or ');
  return `no layer found in its ${n.tensorCount} tensors (${seen}${more}); a layer is named ${rules}: ${n.rules.at(-1)}`;
}

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
  for (const t of tensors) {
    if (!isWeightTensor(t)) continue;
    for (const rule of NAMING_RULES) {
      const match = rule.weight.exec(t.name);
      if (!match) continue;
      const name = match[1];
      const bias = byName.get(rule.bias(name));
      const n = t.shape[0];
      layers.push({
        name,
        kind: t.shape.length === 2 ? 'dense' : 'conv',
        weight: t,
        bias: bias && FLOAT_DTYPES.has(bias.dtype) && bias.shape.length === 1 && bias.shape[0] === n ? bias : undefined,
      });
      break;
    }
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
