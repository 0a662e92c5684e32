// An in-memory Checkpoint for hand-computed engine cases (no file format involved).
import type { Checkpoint } from '../../../src/core/checkpoint';
import { rowElements } from '../../../src/core/formats/tensorTable';

export function memoryCheckpoint(
  tensors: Record<string, { shape: number[]; data: number[] }>,
  metadata: Record<string, string> = {},
): Checkpoint {
  return {
    path: 'memory',
    format: 'safetensors',
    tensors: Object.entries(tensors).map(([name, t]) => ({ name, dtype: 'F32' as const, shape: t.shape })),
    metadata,
    read: async (name, rows) => {
      const { first, count } = rowElements('memory', { name, shape: tensors[name].shape }, rows);
      return Float32Array.from(tensors[name].data.slice(first, first + count));
    },
    close: async () => undefined,
  };
}
