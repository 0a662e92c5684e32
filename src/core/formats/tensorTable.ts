// Lookup shared by every reader: find a listed tensor by name and refuse what `read` cannot convert.
import { quoted } from '../../protocol/displayText';
import { CheckpointError, type RowSpan, type TensorInfo } from '../checkpoint';
import { elementCount, isFloatDtype, type FloatDtype } from './dtypes';
import { overBudget, readerLimits } from './limits';

/** Indexes tensors by name; a repeated name is a corrupt file. */
export function indexTensors<T extends TensorInfo>(file: string, tensors: readonly T[]): Map<string, T> {
  if (tensors.length > readerLimits.maxTensors)
    throw new CheckpointError(
      file,
      `lists ${tensors.length} tensors, ${overBudget('maxTensors', 'tensor')}; it is not read`,
    );
  const byName = new Map<string, T>();
  for (const tensor of tensors) {
    if (byName.has(tensor.name)) throw new CheckpointError(file, `lists tensor ${quoted(tensor.name)} twice`);
    byName.set(tensor.name, tensor);
  }
  return byName;
}

/** The tensor `name`, checked to be a float tensor small enough to read into memory. */
export function floatTensor<T extends TensorInfo>(
  file: string,
  byName: ReadonlyMap<string, T>,
  name: string,
): T & { dtype: FloatDtype } {
  const tensor = byName.get(name);
  if (!tensor) throw new CheckpointError(file, `has no tensor named ${quoted(name)}`);
  if (!isFloatDtype(tensor.dtype)) {
    throw new CheckpointError(
      file,
      `tensor ${quoted(name)} is ${tensor.dtype}, not a float tensor; only F64, F32, F16 and BF16 tensors are read`,
    );
  }
  const bytes = (elementCount(tensor.shape) ?? Infinity) * 4;
  if (bytes > readerLimits.maxTensorBytes) {
    throw new CheckpointError(
      file,
      `tensor ${quoted(name)} needs ${bytes} bytes as float32, ${overBudget('maxTensorBytes', 'byte')}`,
    );
  }
  return tensor as T & { dtype: FloatDtype };
}

/**
 * The elements `[first, first + count)` of a C-order tensor that `rows` of its first axis cover (all of it when
 * absent); rows the tensor does not have are refused, naming it.
 */
export function rowElements(
  file: string,
  tensor: Pick<TensorInfo, 'name' | 'shape'>,
  rows?: RowSpan,
): { first: number; count: number } {
  const total = tensor.shape.reduce((a, b) => a * b, 1);
  if (!rows) return { first: 0, count: total };
  const [start, count] = rows;
  const height = tensor.shape[0];
  if (
    tensor.shape.length === 0 ||
    !Number.isSafeInteger(start) ||
    !Number.isSafeInteger(count) ||
    start < 0 ||
    count < 0 ||
    start + count > height
  )
    throw new CheckpointError(
      file,
      `tensor ${quoted(tensor.name)} of shape [${tensor.shape.join(', ')}] has no rows ${start}..${start + count}`,
    );
  const perRow = height === 0 ? 0 : total / height;
  return { first: start * perRow, count: count * perRow };
}

/** Step from string/number metadata: the first of `step`, `global_step`, `epoch` that is a non-negative integer. */
export function stepFromMetadata(metadata: Readonly<Record<string, string>>): number | undefined {
  for (const key of ['step', 'global_step', 'epoch']) {
    const text = metadata[key];
    if (text === undefined || !/^\s*\d+\s*$/.test(text)) continue;
    const value = Number(text);
    if (Number.isSafeInteger(value)) return value;
  }
  return undefined;
}

/** `table[key]` only for the table's own keys: names read from a file must not reach `Object.prototype`. */
export function ownEntry<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
