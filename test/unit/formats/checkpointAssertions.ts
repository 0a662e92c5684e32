// Assertions shared by the reader tests: the error contract and reading a whole checkpoint.
import { strict as assert } from 'assert';
import type { Checkpoint } from '../../../src/core/checkpoint';
import { CheckpointError, openCheckpoint } from '../../../src/core/formats';
import { discoverLayers } from '../../../src/core/layers/discover';
import { readView, type TensorView } from '../../../src/core/layers/views';

/** The neuron-major view of each tensor that is a layer's weight, by tensor name. */
export function layerViews(checkpoint: Checkpoint): Map<string, TensorView> {
  return new Map(discoverLayers(checkpoint).map((l) => [l.weight.tensor.name, l.weight]));
}

/** Opens `path` and reads every float tensor (layer weights through their view, with `asLayers`), closing it afterwards. */
export async function openAndReadAll(path: string, asLayers = false): Promise<Map<string, Float32Array>> {
  const checkpoint = await openCheckpoint(path);
  try {
    const views = asLayers ? layerViews(checkpoint) : new Map<string, TensorView>();
    const values = new Map<string, Float32Array>();
    for (const tensor of checkpoint.tensors) {
      const view = views.get(tensor.name);
      if (['F64', 'F32', 'F16', 'BF16'].includes(tensor.dtype))
        values.set(tensor.name, view ? await readView(checkpoint, view) : await checkpoint.read(tensor.name));
    }
    return values;
  } finally {
    await checkpoint.close();
  }
}

/** Awaits a rejection that must be a CheckpointError whose one-line message starts with `file`. */
export async function expectCheckpointError(
  promise: Promise<unknown>,
  file: string,
  expected: { message?: RegExp; maybeIncomplete?: boolean } = {},
): Promise<CheckpointError> {
  let error: unknown;
  try {
    await promise;
  } catch (err) {
    error = err;
  }
  assert.ok(
    error instanceof CheckpointError,
    `expected a CheckpointError, got ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
  );
  assert.ok(error.message.startsWith(`${file}: `), `message does not start with the file path: ${error.message}`);
  assert.ok(!error.message.includes('\n'), `message is not one line: ${error.message}`);
  if (expected.message) assert.match(error.message, expected.message);
  if (expected.maybeIncomplete !== undefined)
    assert.equal(error.maybeIncomplete, expected.maybeIncomplete, error.message);
  return error;
}

/** Asserts values equal `expected` (numbers, or 'NaN'/'Infinity' strings) within a relative tolerance. */
export function assertValuesClose(
  actual: ArrayLike<number>,
  expected: readonly (number | string)[],
  tolerance: number,
  label: string,
): void {
  assert.equal(actual.length, expected.length, `${label}: length`);
  for (let i = 0; i < expected.length; i++) {
    const want = Number(expected[i]);
    const got = actual[i];
    if (Number.isNaN(want)) assert.ok(Number.isNaN(got), `${label}[${i}]: ${got} is not NaN`);
    else if (!Number.isFinite(want)) assert.equal(got, want, `${label}[${i}]`);
    else
      assert.ok(Math.abs(got - want) <= tolerance * Math.max(1, Math.abs(want)), `${label}[${i}]: ${got} vs ${want}`);
  }
}
