// An in-memory Checkpoint for hand-computed engine cases (no file format involved).
import type { Checkpoint } from '../../../src/core/checkpoint';

export function memoryCheckpoint(
  tensors: Record<string, { shape: number[]; data: number[] }>,
  metadata: Record<string, string> = {},
): Checkpoint {
  return {
    path: 'memory',
    format: 'safetensors',
    tensors: Object.entries(tensors).map(([name, t]) => ({ name, dtype: 'F32' as const, shape: t.shape })),
    metadata,
    read: async (name) => Float32Array.from(tensors[name].data),
    close: async () => undefined,
  };
}
