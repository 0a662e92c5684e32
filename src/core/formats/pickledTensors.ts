// Where the tensors of an unpickled torch.save file are: a state dict (at the top or under a usual key), or a
// pickled whole nn.Module, whose `_parameters`, `_buffers` and `_modules` give the names state_dict() would.
import { overBudget, readerLimits } from './limits';
import { TensorRef } from './torchPickle';
import { PickleError, PyDict, PyObject } from './unpickler';

/** Keys under which training scripts nest the model's state dict (or module), in the order they are tried. */
export const stateDictKeys = ['state_dict', 'model_state_dict', 'model', 'module'];

export interface FoundTensors {
  /** Tensors in state_dict() order, with their dotted names. */
  readonly tensors: readonly (readonly [string, TensorRef])[];
  /** The dict the tensors came from (a state dict, or a module's `__dict__`), for its scalar entries. */
  readonly holder: PyDict;
}

/** The tensors of the file, or undefined when it holds neither a state dict nor a module. */
export function findTensors(root: unknown): FoundTensors | undefined {
  const candidates = [root, ...(root instanceof PyDict ? stateDictKeys.map((key) => root.items.get(key)) : [])];
  for (const candidate of candidates) {
    const found = candidate instanceof PyObject ? moduleTensors(candidate) : stateDictTensors(candidate);
    if (found && found.tensors.length > 0) return found;
  }
  return undefined;
}

function stateDictTensors(value: unknown): FoundTensors | undefined {
  if (!(value instanceof PyDict) || value instanceof PyObject) return undefined;
  const tensors: [string, TensorRef][] = [];
  for (const [key, item] of value.items)
    if (typeof key === 'string' && item instanceof TensorRef) tensors.push([key, item]);
  return { tensors, holder: value };
}

/** A module's `__dict__` (its BUILD state), if it looks like an nn.Module's. */
function moduleState(value: unknown): PyDict | undefined {
  const state = value instanceof PyObject ? value.state : undefined;
  return state instanceof PyDict && (state.items.has('_parameters') || state.items.has('_modules')) ? state : undefined;
}

/** Parameters, then buffers, then each submodule's, depth first: the order and names of state_dict(). */
function moduleTensors(root: PyObject): FoundTensors | undefined {
  const rootState = moduleState(root);
  if (!rootState) return undefined;
  const tensors: [string, TensorRef][] = [];
  const seen = new Set<PyObject>();
  // An explicit stack, not recursion: a file may nest modules (or point one at itself) without end.
  const pending: [PyObject, string, number][] = [[root, '', 0]];
  while (pending.length > 0) {
    const [module, prefix, depth] = pending.pop()!;
    const state = moduleState(module);
    if (!state || seen.has(module)) continue;
    if (depth > readerLimits.maxPickleDepth)
      throw new PickleError(`pickle nests modules ${overBudget('maxPickleDepth', 'level')}; it is not read`);
    seen.add(module);
    for (const field of ['_parameters', '_buffers']) {
      const dict = state.items.get(field);
      if (!(dict instanceof PyDict)) continue;
      for (const [key, item] of dict.items)
        if (typeof key === 'string' && item instanceof TensorRef) tensors.push([prefix + key, item]);
    }
    const children = state.items.get('_modules');
    if (!(children instanceof PyDict)) continue;
    const next: [PyObject, string, number][] = [];
    for (const [key, child] of children.items)
      if (typeof key === 'string' && child instanceof PyObject) next.push([child, `${prefix}${key}.`, depth + 1]);
    for (let i = next.length - 1; i >= 0; i--) pending.push(next[i]);
  }
  return { tensors, holder: rootState };
}
