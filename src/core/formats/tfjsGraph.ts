// Which weights of a TF.js graph model are kernels, of which layer, and how their op reads them: from the
// topology's nodes (the op each weight feeds). Layers models and weights manifests are named by layers/rules.
import { isPlainObject } from './safetensors';

/** How an op reads its kernel: `[in, out]` / HWIO, depthwise `[k, k, C, M]`, or neuron-major (MatMul transpose_b). */
export type KernelLayout = 'keras' | 'depthwise' | undefined;

export interface KernelRole {
  readonly layout: KernelLayout;
  /** The layer it is the weight of. */
  readonly layer: string;
  readonly bias?: string;
  /** The layer its op's output reaches first through the graph (null: none, it leaves through other ops). */
  readonly next: string | null;
  /** It reaches `next` through a Reshape: a flatten of channels-last features, when `next` takes more inputs. */
  readonly flattened?: boolean;
}

/** The ops whose input 1 is a kernel, and its layout (MatMul's depends on transpose_b). */
const kernelOps: Readonly<Record<string, 'keras' | 'depthwise'>> = {
  Conv2D: 'keras',
  _FusedConv2D: 'keras',
  DepthwiseConv2dNative: 'depthwise',
  FusedDepthwiseConv2dNative: 'depthwise',
  MatMul: 'keras',
  _FusedMatMul: 'keras',
};

interface GraphNode {
  readonly name: string;
  readonly op: string;
  /** Input node names (`:N` outputs and `^` control markers dropped). */
  readonly input: readonly string[];
  /** The inputs it computes with (control dependencies left out). */
  readonly data: readonly string[];
  readonly attr: Record<string, unknown>;
}

/**
 * Ops that hand each channel on as the same channel (or feature) index: activations, bias, batch norm, pooling,
 * element-wise sums and products (residual branches), padding and the reshapes of a global pooling.
 */
const CHANNEL_OPS = new Set([
  'Identity',
  'Relu',
  'Relu6',
  'Elu',
  'Selu',
  'LeakyRelu',
  'Prelu',
  'Sigmoid',
  'Tanh',
  'Softplus',
  'BiasAdd',
  'FusedBatchNorm',
  'FusedBatchNormV2',
  'FusedBatchNormV3',
  'MaxPool',
  'AvgPool',
  'Mean',
  'Add',
  'AddV2',
  'Sub',
  'Mul',
  'Pad',
  'Reshape',
  'Squeeze',
]);

/** Roles by weight name from a graph model's nodes (none for a layers model: its names say, see layers/rules). */
export function kernelRoles(json: Record<string, unknown>, names: readonly string[]): Map<string, KernelRole> {
  const nodes = graphNodes(json.modelTopology);
  return nodes ? rolesFromGraph(nodes, new Set(names)) : new Map();
}

function graphNodes(topology: unknown): GraphNode[] | undefined {
  if (!isPlainObject(topology) || !Array.isArray(topology.node)) return undefined;
  return topology.node.filter(isPlainObject).map((n) => {
    const inputs = Array.isArray(n.input) ? n.input.map(String) : [];
    const clean = (i: string) => i.replace(/^\^/, '').replace(/:\d+$/, '');
    return {
      name: String(n.name),
      op: String(n.op),
      input: inputs.map(clean),
      data: inputs.filter((i) => !i.startsWith('^')).map(clean),
      attr: isPlainObject(n.attr) ? n.attr : {},
    };
  });
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
  // Each kernel's first op defines its layer; a later op sharing the kernel is that layer too.
  const found = new Map<string, { op: string; role: Omit<KernelRole, 'next'> }>();
  const layerOfOp = new Map<string, string>();
  const layers = new Set<string>();
  for (const node of nodes) {
    const layout = Object.hasOwn(kernelOps, node.op) ? kernelOps[node.op] : undefined;
    const kernel = layout && source(node.input[1]);
    if (!layout || !kernel) continue;
    const shared = found.get(kernel);
    if (shared) {
      layerOfOp.set(node.name, shared.role.layer);
      continue;
    }
    const transposed = /MatMul$/.test(node.op) && attrBool(node.attr.transpose_b);
    const layer = uniqueLayer(layers, layerName(kernel, node.name));
    layerOfOp.set(node.name, layer);
    const role = { layout: transposed ? undefined : layout, layer, bias: biasOf(node, nodes, source) };
    found.set(kernel, { op: node.name, role });
  }
  const next = nextLayerOf(nodes, layerOfOp);
  return new Map([...found].map(([kernel, f]) => [kernel, { ...f.role, ...next(f.op) }]));
}

/**
 * The layer an op's output reaches first, breadth first through CHANNEL_OPS (ties in node order): the first
 * kernel op that takes it as its data input. Null when it reaches none (a head, a concatenation, a slice);
 * `flattened` when the path that reached it first passed a Reshape.
 */
function nextLayerOf(nodes: readonly GraphNode[], layerOfOp: ReadonlyMap<string, string>) {
  const consumers = new Map<string, GraphNode[]>();
  for (const node of nodes)
    for (const input of new Set(node.data)) {
      const list = consumers.get(input);
      if (list) list.push(node);
      else consumers.set(input, [node]);
    }
  return (op: string): Pick<KernelRole, 'next' | 'flattened'> => {
    const seen = new Set([op]);
    for (let frontier = [{ name: op, flattened: false }]; frontier.length > 0;) {
      const after: typeof frontier = [];
      for (const { name, flattened } of frontier)
        for (const c of consumers.get(name) ?? []) {
          if (seen.has(c.name)) continue;
          seen.add(c.name);
          const layer = layerOfOp.get(c.name);
          if (layer !== undefined && c.data[0] === name) return { next: layer, ...(flattened ? { flattened } : {}) };
          if (layer === undefined && CHANNEL_OPS.has(c.op))
            after.push({ name: c.name, flattened: flattened || c.op === 'Reshape' });
        }
      frontier = after;
    }
    return { next: null };
  };
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
