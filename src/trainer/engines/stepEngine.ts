// What the training loop needs of a model: one full-batch step at a time, its loss and its weights.
import type { NamedTensor } from '../../core/formats/safetensorsWriter';

export interface StepEngine {
  /** The full-batch loss of the current weights, without dropout. */
  evaluate(): number;
  /** One full-batch update (with a fresh dropout mask when the run has dropout). */
  step(): void;
  /** The weights as a PyTorch state dict would name and shape them. */
  stateDict(): NamedTensor[];
  dispose(): void;
}
