// Which TF.js weights are kernels, and how they are stored: from a graph model's topology (the op each
// weight feeds), else from the names Keras layers models and face-api manifests give them.
import { kerasKernelOrder } from '../layers/views';
import { isPlainObject } from './safetensors';

/** A kernel as stored, and the axis order taking it to neuron-major. */
export type KernelLayout = 'io' | 'depthwise' | 'neuron-major';

export interface KernelRole {
  readonly layout: KernelLayout;
  /** The layer it is the weight of; undefined when its name already says (Keras `…/kernel`). */
  readonly layer?: string;
  readonly bias?: string;
}

/** Axis orders: HWIO / IO kernels to [O, I, H, W] / [O, I]; depthwise [H, W, C, M] to [C, M, H, W]. */
export function axisOrder(layout: KernelLayout, rank: number): number[] | undefined {
  if (rank < 2 || layout === 'neuron-major') return undefined;
  if (layout === 'depthwise' && rank === 4) return [2, 3, 0, 1];
  return kerasKernelOrder(rank);
}

/**
 * The neuron-major shape: the permuted one, except a depthwise kernel, whose output channel c·M + m is one
 * neuron over its own H × W window: [C·M, 1, H, W], as PyTorch stores a grouped convolution.
 */
export function neuronMajorShape(layout: KernelLayout, stored: readonly number[]): number[] {
  const order = axisOrder(layout, stored.length);
  if (!order) return [...stored];
  if (layout === 'depthwise' && stored.length === 4) return [stored[2] * stored[3], 1, stored[0], stored[1]];
  return order.map((axis) => stored[axis]);
}

/** The ops whose input 1 is a kernel, and its layout (MatMul's depends on transpose_b). */
const kernelOps: Readonly<Record<string, KernelLayout>> = {
  Conv2D: 'io',
  _FusedConv2D: 'io',
  DepthwiseConv2dNative: 'depthwise',
  FusedDepthwiseConv2dNative: 'depthwise',
  MatMul: 'io',
  _FusedMatMul: 'io',
};

/** Weight names that say what they are, with the layer name they belong to. */
const nameRules: readonly { pattern: RegExp; layout: KernelLayout; layer?: (prefix: string) => string }[] = [
  { pattern: /^(.+\/)?kernel(:\d+)?$/, layout: 'io' }, // Keras Dense / Conv2D (layers models), `dense_1/kernel:0`
  { pattern: /^(.+)\/depthwise_kernel$/, layout: 'depthwise', layer: (p) => `${p}/depthwise` }, // Keras Depthwise/SeparableConv2D
  { pattern: /^(.+)\/pointwise_kernel$/, layout: 'io', layer: (p) => p }, // Keras SeparableConv2D
  { pattern: /^(.+)\/(filters|pointwise_filter|weights)$/, layout: 'io', layer: (p) => p }, // face-api
  { pattern: /^(.+)\/depthwise_filter$/, layout: 'depthwise', layer: (p) => `${p}/depthwise` }, // face-api
];

interface GraphNode {
  readonly name: string;
  readonly op: string;
  readonly input: readonly string[];
  readonly attr: Record<string, unknown>;
}

/** Roles by weight name: from the topology's nodes when the model has them, else from the names. */
export function kernelRoles(json: Record<string, unknown>, names: readonly string[]): Map<string, KernelRole> {
  const nodes = graphNodes(json.modelTopology);
  return nodes ? rolesFromGraph(nodes, new Set(names)) : rolesFromNames(names);
}

function rolesFromNames(names: readonly string[]): Map<string, KernelRole> {
  const roles = new Map<string, KernelRole>();
  const listed = new Set(names);
  for (const name of names) {
    for (const rule of nameRules) {
      const match = rule.pattern.exec(name);
      if (!match) continue;
      const layer = rule.layer?.(match[1]);
      // A separable convolution's bias follows its pointwise step, not the depthwise one.
      const separable = ['pointwise_kernel', 'pointwise_filter'].some((w) => listed.has(`${match[1]}/${w}`));
      const bias = layer && !(rule.layout === 'depthwise' && separable) ? `${match[1]}/bias` : undefined;
      roles.set(name, { layout: rule.layout, layer, bias });
      break;
    }
  }
  return roles;
}

function graphNodes(topology: unknown): GraphNode[] | undefined {
  if (!isPlainObject(topology) || !Array.isArray(topology.node)) return undefined;
  return topology.node.filter(isPlainObject).map((n) => ({
    name: String(n.name),
    op: String(n.op),
    input: Array.isArray(n.input) ? n.input.map((i) => String(i).replace(/^\^/, '').replace(/:\d+$/, '')) : [],
    attr: isPlainObject(n.attr) ? n.attr : {},
  }));
}

function rolesFromGraph(nodes: readonly GraphNode[], weights: ReadonlySet<string>): Map<string, KernelRole> {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  // A weight may reach its op through Identity nodes.
  const source = (input: string | undefined): string | undefined => {
    for (let hops = 0; input !== undefined && hops < nodes.length; hops++) {
      if (weights.has(input)) return input;
      const node = byName.get(input);
      if (node?.op !== 'Identity') return undefined;
      input = node.input[0];
    }
    return undefined;
  };
  const roles = new Map<string, KernelRole>();
  const layers = new Set<string>();
  for (const node of nodes) {
    const layout = Object.hasOwn(kernelOps, node.op) ? kernelOps[node.op] : undefined;
    const kernel = layout && source(node.input[1]);
    if (!layout || !kernel || roles.has(kernel)) continue;
    const transposed = /MatMul$/.test(node.op) && attrBool(node.attr.transpose_b);
    roles.set(kernel, {
      layout: transposed ? 'neuron-major' : layout,
      layer: uniqueLayer(layers, layerName(kernel, node.name)),
      bias: biasOf(node, nodes, source),
    });
  }
  return roles;
}

/** `…/conv2d_1/Conv2D_weights` → `…/conv2d_1`; a converter's `unknown_9` takes its op node's scope. */
function layerName(weight: string, node: string): string {
  const scope = (name: string) =>
    name.replace(/\/[^/]*$/, '').replace(/(\/(MatMul|Conv2D|BiasAdd|ReadVariableOp))+$/, '');
  return weight.includes('/') ? scope(weight) : scope(node) || weight;
}

function uniqueLayer(taken: Set<string>, name: string): string {
  let unique = name;
  for (let i = 2; taken.has(unique); i++) unique = `${name}#${i}`;
  taken.add(unique);
  return unique;
}

/** A fused op whose first fused op is BiasAdd has its bias as input 2; an op followed by BiasAdd takes that node's. */
function biasOf(node: GraphNode, nodes: readonly GraphNode[], source: (i?: string) => string | undefined) {
  if (node.op.startsWith('_Fused') || node.op.startsWith('Fused'))
    return fusedOps(node)[0] === 'BiasAdd' ? source(node.input[2]) : undefined;
  const add = nodes.find((n) => n.op === 'BiasAdd' && n.input[0] === node.name);
  return add && source(add.input[1]);
}

/** The converter's `fused_ops` attribute: base64 op names. */
function fusedOps(node: GraphNode): string[] {
  const list = node.attr.fused_ops;
  const names = isPlainObject(list) && isPlainObject(list.list) && Array.isArray(list.list.s) ? list.list.s : [];
  return names.map((name) => Buffer.from(String(name), 'base64').toString('utf8'));
}

function attrBool(value: unknown): boolean {
  return isPlainObject(value) && value.b === true;
}
