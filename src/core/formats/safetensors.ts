// safetensors: u64 LE header length H, H bytes of JSON, then the data; tensors are read by offset, one at a time.
import { displayText, quoted } from '../../protocol/displayText';
import { CheckpointError, type Checkpoint, type Dtype, type TensorInfo } from '../checkpoint';
import { decodeFloats, elementCount, itemSize } from './dtypes';
import type { RandomAccessFile } from './fileAccess';
import { overBudget, readerLimits } from './limits';
import { floatTensor, indexTensors, ownEntry, rowElements, stepFromMetadata } from './tensorTable';

interface SafetensorsTensor extends TensorInfo {
  /** Byte range inside the data section. */
  readonly begin: number;
  readonly end: number;
}

export interface SafetensorsHeader {
  readonly tensors: readonly SafetensorsTensor[];
  readonly metadata: Readonly<Record<string, string>>;
  /** File offset of the data section (8 + H). */
  readonly dataStart: number;
}

// Item sizes of every safetensors dtype; those the contract does not name are listed as OTHER.
const dtypeTable: Readonly<Record<string, readonly [Dtype, number]>> = {
  F64: ['F64', 8],
  F32: ['F32', 4],
  F16: ['F16', 2],
  BF16: ['BF16', 2],
  I64: ['I64', 8],
  I32: ['I32', 4],
  I16: ['I16', 2],
  I8: ['I8', 1],
  U8: ['U8', 1],
  BOOL: ['BOOL', 1],
  U64: ['OTHER', 8],
  U32: ['OTHER', 4],
  U16: ['OTHER', 2],
  F8_E4M3: ['OTHER', 1],
  F8_E5M2: ['OTHER', 1],
  C64: ['OTHER', 8],
};

/** Reads and validates the header; nothing is allocated for a length the file cannot hold. */
export async function readSafetensorsHeader(file: RandomAccessFile): Promise<SafetensorsHeader> {
  const fail = (reason: string, maybeIncomplete = false) => new CheckpointError(file.path, reason, maybeIncomplete);
  if (file.size < 8)
    throw fail(
      `has only ${file.size} bytes, less than the 8-byte safetensors header length (truncated or still being written)`,
      true,
    );
  const headerLength = (await file.read(0, 8, 'the safetensors header length')).readBigUInt64LE(0);
  if (headerLength > BigInt(readerLimits.maxHeaderBytes)) {
    throw fail(
      `safetensors header claims ${headerLength} bytes, ${overBudget('maxHeaderBytes', 'byte')}; the file is corrupt or not safetensors`,
    );
  }
  const length = Number(headerLength);
  if (8 + length > file.size) {
    throw fail(
      `safetensors header claims ${length} bytes but only ${file.size - 8} follow (truncated or still being written)`,
      true,
    );
  }
  const text = (await file.read(8, length, 'the safetensors header')).toString('utf8');
  if (!text.startsWith('{'))
    throw fail('safetensors header does not start with "{"; the file is corrupt or not safetensors');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw fail(`safetensors header is not valid JSON (${(err as Error).message})`);
  }
  if (!isPlainObject(json)) throw fail('safetensors header is not a JSON object');
  const duplicate = duplicateKey(text);
  if (duplicate !== undefined) throw fail(`safetensors header lists ${quoted(duplicate)} twice; the file is corrupt`);

  const dataStart = 8 + length;
  const dataLength = file.size - dataStart;
  const tensors: SafetensorsTensor[] = [];
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(json)) {
    if (name === '__metadata__') metadata = parseMetadata(file.path, entry);
    else tensors.push(parseEntry(file.path, name, entry));
  }
  let end = 0;
  let endName = '';
  // Header order is kept for listing; overlaps are found in data order.
  for (const tensor of [...tensors].sort((a, b) => a.begin - b.begin || a.end - b.end)) {
    if (tensor.begin < end && tensor.end > tensor.begin) {
      throw fail(
        `tensors ${quoted(endName)} and ${quoted(tensor.name)} overlap in the data section; the file is corrupt`,
      );
    }
    // The format forbids holes: the tensors tile the data section.
    if (tensor.begin > end)
      throw fail(
        `has a hole of ${tensor.begin - end} bytes before tensor ${quoted(tensor.name)} in the data section; the file is corrupt`,
      );
    if (tensor.end > end) [end, endName] = [tensor.end, tensor.name];
  }
  if (end > dataLength) {
    throw fail(
      `tensor data ends at byte ${dataStart + end} but the file has ${file.size} bytes (truncated or still being written)`,
      true,
    );
  }
  if (end < dataLength) throw fail(`has ${dataLength - end} bytes after the last tensor; the file is corrupt`);
  return { tensors, metadata, dataStart };
}

export async function openSafetensors(file: RandomAccessFile): Promise<Checkpoint> {
  const header = await readSafetensorsHeader(file);
  const byName = indexTensors(file.path, header.tensors);
  return {
    path: file.path,
    format: 'safetensors',
    tensors: header.tensors.map(({ name, dtype, shape }) => ({ name, dtype, shape })),
    metadata: header.metadata,
    step: stepFromMetadata(header.metadata),
    async read(name, rows) {
      const tensor = floatTensor(file.path, byName, name);
      const { first, count } = rowElements(file.path, tensor, rows);
      const size = itemSize(tensor.dtype);
      const bytes = await file.read(
        header.dataStart + tensor.begin + first * size,
        count * size,
        `tensor ${quoted(name)}`,
      );
      return decodeFloats(bytes, tensor.dtype);
    },
    close: () => Promise.resolve(),
  };
}

function parseEntry(path: string, name: string, entry: unknown): SafetensorsTensor {
  const fail = (reason: string) =>
    new CheckpointError(path, `safetensors header entry ${quoted(name)} ${reason}; the file is corrupt`);
  if (!isPlainObject(entry)) throw fail('is not an object');
  const { dtype, shape, data_offsets: offsets } = entry;
  const known = typeof dtype === 'string' ? ownEntry(dtypeTable, dtype) : undefined;
  if (!known)
    throw fail(`has unknown dtype ${typeof dtype === 'string' ? quoted(dtype) : displayText(JSON.stringify(dtype))}`);
  const count = Array.isArray(shape) ? elementCount(shape) : undefined;
  if (count === undefined) throw fail(`has an invalid shape ${displayText(JSON.stringify(shape))}`);
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) ||
    offsets[0] > offsets[1]
  ) {
    throw fail(`has invalid data_offsets ${displayText(JSON.stringify(offsets))}`);
  }
  const [begin, end] = offsets as [number, number];
  const [contractDtype, size] = known;
  if (end - begin !== count * size) {
    throw fail(
      `has shape [${(shape as number[]).join(', ')}] of ${dtype} (${count * size} bytes) but data_offsets span ${end - begin} bytes`,
    );
  }
  return { name, dtype: contractDtype, shape: shape as number[], begin, end };
}

function parseMetadata(path: string, entry: unknown): Record<string, string> {
  if (!isPlainObject(entry))
    throw new CheckpointError(path, 'safetensors __metadata__ is not an object; the file is corrupt');
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(entry)) {
    // The format says str → str; numbers written by lenient writers are kept as text.
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      metadata[key] = String(value);
  }
  return metadata;
}

/**
 * The first key the header's top-level object repeats (JSON.parse keeps the last silently), in one pass over
 * the text, which JSON.parse has already checked to be valid JSON.
 */
function duplicateKey(text: string): string | undefined {
  const keys = new Set<string>();
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '{' || char === '[') depth++;
    else if (char === '}' || char === ']') depth--;
    else if (char === '"') {
      const start = i;
      for (i++; text[i] !== '"'; i++) if (text[i] === '\\') i++;
      if (depth !== 1 || !/^\s*:/.test(text.slice(i + 1, i + 64))) continue;
      const key = JSON.parse(text.slice(start, i + 1)) as string;
      if (keys.has(key)) return key;
      keys.add(key);
    }
  }
  return undefined;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
