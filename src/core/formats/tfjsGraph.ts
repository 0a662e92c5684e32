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
  readonly input: readonly string[];
  readonly attr: Record<string, unknown>;
}

/** Roles by weight name from a graph model's nodes (none for a layers model: its names say, see layers/rules). */
export function kernelRoles(json: Record<string, unknown>, names: readonly string[]): Map<string, KernelRole> {
  const nodes = graphNodes(json.modelTopology);
  return nodes ? rolesFromGraph(nodes, new Set(names)) : new Map();
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
      layout: transposed ? undefined : layout,
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
