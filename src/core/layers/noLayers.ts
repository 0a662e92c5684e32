// The notice for a checkpoint in which no layer was found: the tensors it holds and the rules that were tried.
import { displayText } from '../../protocol/displayText';
import type { NoLayers } from '../../protocol/report';
import type { TensorInfo } from '../checkpoint';
import { LAYER_RULES } from './rules';

/** What else a layer's weight must be, in words (isWeightTensor and selectLayers). */
const WEIGHT_RULE = 'a floating-point tensor of 2 to 5 dimensions with at least 2 neurons, not optimizer state';

/** How many tensors a notice names. */
const NOTICE_TENSORS = 5;

export function noLayersFound(tensors: readonly TensorInfo[]): NoLayers {
  return {
    tensorCount: tensors.length,
    tensors: tensors.slice(0, NOTICE_TENSORS).map((t) => ({ name: t.name, shape: [...t.shape], dtype: t.dtype })),
    rules: [
      '<layer>.weight (PyTorch, safetensors)',
      '<layer>/kernel (Keras, TF.js)',
      `one of the ${LAYER_RULES.length} family rules of docs/layers.md (GPT-2 c_attn, in_proj_weight, q_proj, …)`,
      WEIGHT_RULE,
    ],
  };
}

/** The notice in one line: "no layer found in its 3 tensors (data [100, 2] F32, …); a layer is named …". */
export function describeNoLayers(n: NoLayers): string {
  const seen = n.tensors
    .map((t) => `${displayText(t.name)} [${t.shape.join(', ')}] ${displayText(t.dtype)}`)
    .join(', ');
  const more = n.tensorCount > n.tensors.length ? `, and ${n.tensorCount - n.tensors.length} more` : '';
  const rules = n.rules.slice(0, -1).join(' or ');
  return `no layer found in its ${n.tensorCount} tensors (${seen}${more}); a layer is named ${rules}: ${n.rules.at(-1)}`;
}
