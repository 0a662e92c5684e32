// TF.js `model.json` + weight shards: each manifest group's shards are concatenated and its weights laid out in order.
import { quoted } from '../../protocol/displayText';
import { dirname, isAbsolute, relative, resolve, sep } from 'path';
import { CheckpointError, type Checkpoint, type Dtype, type TensorInfo } from '../checkpoint';
import { decodeFloats, elementCount } from './dtypes';
import { FileOpenError, RandomAccessFile } from './fileAccess';
import { readerLimits } from './limits';
import { isPlainObject } from './safetensors';
import { kernelRoles, type KernelRole } from './tfjsGraph';
import { floatTensor, indexTensors, ownEntry, rowElements, stepFromMetadata } from './tensorTable';

interface Quantization {
  readonly dtype: 'uint8' | 'uint16' | 'float16';
  readonly scale: number;
  readonly min: number;
}

interface TfjsTensor extends TensorInfo {
  readonly group: number;
  /** Byte range inside the group's concatenated shards. */
  readonly begin: number;
  readonly end: number;
  readonly quantization?: Quantization;
}

/** A manifest group's shard files, read as one byte range. */
interface ShardGroup {
  readonly files: RandomAccessFile[];
  readonly starts: number[];
}

const dtypeTable: Readonly<Record<string, readonly [Dtype, number]>> = {
  float32: ['F32', 4],
  int32: ['I32', 4],
  bool: ['BOOL', 1],
  complex64: ['OTHER', 8],
};
const quantizedSizes: Readonly<Record<string, number>> = { uint8: 1, uint16: 2, float16: 2 };

export function looksLikeTfjsModel(json: unknown): json is Record<string, unknown> {
  return isPlainObject(json) && Array.isArray(json.weightsManifest);
}

/** A bare weights manifest (`*weights_manifest.json`, as face-api ships): an array of weight groups. */
export function looksLikeWeightsManifest(json: unknown): json is unknown[] {
  return Array.isArray(json) && json.length > 0 && json.every((g) => isPlainObject(g) && Array.isArray(g.weights));
}

export async function openTfjs(file: RandomAccessFile, json: Record<string, unknown>): Promise<Checkpoint> {
  const path = file.path;
  const fail = (reason: string, maybeIncomplete = false) => new CheckpointError(path, reason, maybeIncomplete);
  const groups: ShardGroup[] = [];
  const tensors: TfjsTensor[] = [];
  try {
    const manifest = json.weightsManifest as unknown[];
    const names = manifest.flatMap((g) => (isPlainObject(g) && Array.isArray(g.weights) ? g.weights : []));
    const roles = kernelRoles(
      json,
      names.flatMap((w) => (isPlainObject(w) && typeof w.name === 'string' ? [w.name] : [])),
    );
    for (const [index, group] of manifest.entries()) {
      if (!isPlainObject(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
        throw fail(`weightsManifest[${index}] lacks "paths" or "weights"; the model.json is corrupt`);
      }
      const shards = await openShards(path, group.paths);
      groups.push(shards);
      let offset = 0;
      for (const weight of group.weights) {
        const tensor = parseWeight(path, weight, index, offset, roles);
        offset = tensor.end;
        tensors.push(tensor);
      }
      const available = shards.starts[shards.starts.length - 1];
      if (offset > available)
        throw fail(
          `weight files of group ${index} hold ${available} bytes but its weights need ${offset} (truncated or still being written)`,
          true,
        );
      if (offset < available)
        throw fail(
          `weight files of group ${index} hold ${available - offset} bytes more than its weights need; the model.json does not match them`,
        );
    }
  } catch (err) {
    await closeAll(groups);
    throw err;
  }
  const byName = indexTensors(path, tensors);
  const metadata = userMetadata(json.userDefinedMetadata);
  return {
    path,
    format: 'tfjs',
    tensors: tensors.map(({ name, dtype, shape, layer }) => ({ name, dtype, shape, ...(layer ? { layer } : {}) })),
    metadata,
    step: stepFromMetadata(metadata),
    files: [path, ...groups.flatMap((group) => group.files.map((file) => file.path))],
    async read(name, rows) {
      const tensor = floatTensor(path, byName, name);
      const { first, count } = rowElements(path, tensor, rows);
      const size = tensor.quantization ? quantizedSizes[tensor.quantization.dtype] : 4;
      const bytes = await readRange(groups[tensor.group], tensor.begin + first * size, count * size, name);
      return tensor.quantization ? dequantize(bytes, tensor.quantization) : decodeFloats(bytes, tensor.dtype);
    },
    close: () => closeAll(groups),
  };
}

function parseWeight(
  path: string,
  weight: unknown,
  group: number,
  begin: number,
  roles: ReadonlyMap<string, KernelRole>,
): TfjsTensor {
  const label = isPlainObject(weight) && typeof weight.name === 'string' ? `"${weight.name}"` : `in group ${group}`;
  const fail = (reason: string) =>
    new CheckpointError(path, `weight ${label} ${reason}; the model.json is corrupt or unsupported`);
  if (!isPlainObject(weight) || typeof weight.name !== 'string') throw fail('has no name');
  const { name, shape, dtype } = weight;
  const count = Array.isArray(shape) ? elementCount(shape) : undefined;
  if (count === undefined) throw fail(`has an invalid shape ${JSON.stringify(shape)}`);
  const known = typeof dtype === 'string' ? ownEntry(dtypeTable, dtype) : undefined;
  if (!known) throw fail(`has dtype ${JSON.stringify(dtype)}; float32, int32 and bool weights are read`);
  const quantization = parseQuantization(weight.quantization, fail);
  const byteLength = count * (quantization ? quantizedSizes[quantization.dtype] : known[1]);
  // Kernels stay as stored; the layer's view makes them neuron-major by the layout their op reads.
  const role = roles.get(name);
  const layer = role && {
    name: role.layer,
    bias: role.bias,
    next: role.next,
    ...(role.flattened ? { flattened: true } : {}),
    ...(role.layout ? { layout: role.layout } : {}),
  };
  return {
    layer,
    name,
    dtype: quantization ? 'F32' : known[0],
    shape: shape as number[],
    group,
    begin,
    end: begin + byteLength,
    quantization,
  };
}

function parseQuantization(value: unknown, fail: (reason: string) => Error): Quantization | undefined {
  if (value === undefined) return undefined;
  if (!isPlainObject(value) || typeof value.dtype !== 'string' || !ownEntry(quantizedSizes, value.dtype)) {
    throw fail(`has quantization ${JSON.stringify(value)}; only uint8, uint16 and float16 quantization are read`);
  }
  const scale = typeof value.scale === 'number' ? value.scale : 1;
  const min = typeof value.min === 'number' ? value.min : 0;
  return { dtype: value.dtype as Quantization['dtype'], scale, min };
}

function dequantize(bytes: Buffer, { dtype, scale, min }: Quantization): Float32Array {
  if (dtype === 'float16') return decodeFloats(bytes, 'F16');
  const size = quantizedSizes[dtype];
  const out = new Float32Array(bytes.length / size);
  for (let i = 0; i < out.length; i++) out[i] = (size === 1 ? bytes[i] : bytes.readUInt16LE(i * 2)) * scale + min;
  return out;
}

/** Opens a group's shards, which must lie in the model.json's folder (or below it). */
async function openShards(path: string, paths: unknown[]): Promise<ShardGroup> {
  const folder = dirname(resolve(path));
  const group: ShardGroup = { files: [], starts: [0] };
  if (paths.length > readerLimits.maxTfjsShards)
    throw new CheckpointError(
      path,
      `lists ${paths.length} weight files, more than the ${readerLimits.maxTfjsShards} a model.json may have; the model.json is corrupt`,
    );
  try {
    for (const shard of paths) {
      const target = typeof shard === 'string' ? resolve(folder, shard) : undefined;
      const inFolder =
        target !== undefined &&
        !isAbsolute(relative(folder, target)) &&
        relative(folder, target).split(sep)[0] !== '..';
      if (!target || !inFolder)
        throw new CheckpointError(
          path,
          `weight file ${JSON.stringify(shard)} is not a file next to model.json; the model.json is corrupt`,
        );
      const opened = await RandomAccessFile.open(target).catch((err: CheckpointError) => {
        // Only a missing shard may still be on its way; a FIFO or too many open files is said as itself.
        const missing = err instanceof FileOpenError && err.code === 'ENOENT';
        const hint = missing ? ' (still being written, or copy it next to model.json)' : '';
        throw new CheckpointError(path, `weight file ${quoted(shard)}: ${err.reason}${hint}`, missing);
      });
      group.files.push(opened);
      group.starts.push(group.starts[group.starts.length - 1] + opened.size);
    }
  } catch (err) {
    await closeAll([group]);
    throw err;
  }
  return group;
}

/** Reads `length` bytes at `offset` of the concatenation of a group's shards. */
async function readRange(group: ShardGroup, offset: number, length: number, name: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (let i = 0; i < group.files.length && length > 0; i++) {
    const start = group.starts[i];
    const end = group.starts[i + 1];
    if (offset >= end) continue;
    const take = Math.min(length, end - offset);
    parts.push(await group.files[i].read(offset - start, take, `weight "${name}"`));
    offset += take;
    length -= take;
  }
  return parts.length === 1 ? parts[0] : Buffer.concat(parts);
}

async function closeAll(groups: readonly ShardGroup[]): Promise<void> {
  await Promise.all(groups.flatMap((group) => group.files.map((file) => file.close())));
}

function userMetadata(value: unknown): Record<string, string> {
  const metadata: Record<string, string> = {};
  if (!isPlainObject(value)) return metadata;
  for (const [key, entry] of Object.entries(value)) {
    if (['string', 'number', 'boolean'].includes(typeof entry)) metadata[key] = String(entry);
  }
  return metadata;
}

/** Parses a JSON checkpoint (model.json, weights manifest, shard index) read in full; its size is bounded first. */
export async function readModelJson(file: RandomAccessFile): Promise<unknown> {
  if (file.size > readerLimits.maxHeaderBytes) {
    throw new CheckpointError(
      file.path,
      `is ${file.size} bytes, more than the ${readerLimits.maxHeaderBytes}-byte limit for a JSON checkpoint (model.json, weights manifest or shard index); it is not one`,
    );
  }
  const text = (await file.read(0, file.size, 'the JSON')).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CheckpointError(
      file.path,
      `is not valid JSON (${(err as Error).message}); it may still be being written, else re-export it`,
      true,
    );
  }
}
