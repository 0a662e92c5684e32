// NumPy .npy (magic, version, Python-literal header, raw data) and .npz (a zip of .npy members).
import { quoted } from '../../protocol/displayText';
import { basename } from 'path';
import { CheckpointError, type Checkpoint, type Dtype, type RowSpan, type TensorInfo } from '../checkpoint';
import { decodeFloats, elementCount, type FloatDtype, itemSize } from './dtypes';
import type { RandomAccessFile } from './fileAccess';
import { overBudget, readerLimits } from './limits';
import { LiteralError, parsePythonLiteral } from './pyLiteral';
import { gatherStrided } from './strided';
import { floatTensor, indexTensors, rowElements } from './tensorTable';
import type { ZipArchive, ZipEntry } from './zip';

export const NPY_MAGIC = Buffer.from('\x93NUMPY', 'latin1');

/** A parsed .npy header: where the data lies and how to decode it. */
interface NpyLayout {
  readonly dtype: Dtype;
  readonly littleEndian: boolean;
  readonly fortranOrder: boolean;
  readonly shape: readonly number[];
  readonly dataOffset: number;
  readonly dataLength: number;
}

interface NpyTensor extends TensorInfo {
  readonly layout: NpyLayout;
  readonly member?: ZipEntry;
}

const kindDtypes: Readonly<Record<string, Dtype>> = {
  f2: 'F16',
  f4: 'F32',
  f8: 'F64',
  i1: 'I8',
  i2: 'I16',
  i4: 'I32',
  i8: 'I64',
  u1: 'U8',
  b1: 'BOOL',
};

/** The number of bytes before the data: magic, version, length field and header. */
function npyHeaderEnd(path: string, prefix: Buffer, what: string): number {
  if (prefix.length < 10 || !prefix.subarray(0, 6).equals(NPY_MAGIC))
    throw new CheckpointError(path, `${what} is not a .npy array (bad magic); the file is corrupt`);
  const major = prefix[6];
  if (major === 1) return 10 + prefix.readUInt16LE(8);
  if ((major === 2 || major === 3) && prefix.length >= 12) return 12 + prefix.readUInt32LE(8);
  throw new CheckpointError(
    path,
    `${what} has .npy format version ${major}.${prefix[7]}; only versions 1 to 3 are read`,
  );
}

/** Parses a .npy header (`header` holds at least `npyHeaderEnd` bytes) of an array stored in `totalLength` bytes. */
function parseNpyLayout(
  path: string,
  header: Buffer,
  totalLength: number,
  what: string,
  maybeIncomplete: boolean,
): NpyLayout {
  const fail = (reason: string, incomplete = false) => new CheckpointError(path, `${what} ${reason}`, incomplete);
  const dataOffset = npyHeaderEnd(path, header, what);
  const textStart = header[6] === 1 ? 10 : 12;
  let dict: unknown;
  try {
    dict = parsePythonLiteral(header.toString(header[6] === 3 ? 'utf8' : 'latin1', textStart, dataOffset));
  } catch (err) {
    if (err instanceof LiteralError) throw fail(`has a malformed header (${err.message}); the file is corrupt`);
    throw err;
  }
  const { descr, fortran_order: fortranOrder, shape } = (dict ?? {}) as Record<string, unknown>;
  if (typeof descr !== 'string')
    throw fail('is a structured array (or its header has no descr); only plain numeric arrays are read');
  const count = Array.isArray(shape) ? elementCount(shape) : undefined;
  if (count === undefined || typeof fortranOrder !== 'boolean')
    throw fail('has a header without a valid shape and fortran_order; the file is corrupt');
  const match = /^([<>|=])([a-zA-Z])(\d+)$/.exec(descr);
  if (!match)
    throw fail(`has dtype ${quoted(descr)}, which is not read (object and structured arrays are not supported)`);
  const [, order, kind, digits] = match;
  const size = (kind === 'U' ? 4 : 1) * Number(digits);
  const dataLength = count * size;
  const available = totalLength - dataOffset;
  if (dataLength > available)
    throw fail(
      `has shape [${(shape as number[]).join(', ')}] of ${descr} (${dataLength} bytes) but only ${available} bytes of data${maybeIncomplete ? ' (truncated or still being written)' : '; the file is corrupt'}`,
      maybeIncomplete,
    );
  if (dataLength < available) throw fail(`has ${available - dataLength} bytes after its data; the file is corrupt`);
  return {
    dtype: kindDtypes[`${kind}${digits}`] ?? 'OTHER',
    littleEndian: order !== '>',
    fortranOrder,
    shape: shape as number[],
    dataOffset,
    dataLength,
  };
}

export async function openNpy(file: RandomAccessFile): Promise<Checkpoint> {
  const what = 'the .npy header';
  if (file.size < 10)
    throw new CheckpointError(
      file.path,
      `has only ${file.size} bytes, less than a .npy header (truncated or still being written)`,
      true,
    );
  const prefix = await file.read(0, Math.min(12, file.size), what);
  const headerEnd = npyHeaderEnd(file.path, prefix, what);
  if (headerEnd > readerLimits.maxHeaderBytes)
    throw new CheckpointError(
      file.path,
      `.npy header claims ${headerEnd} bytes, ${overBudget('maxHeaderBytes', 'byte')}; the file is corrupt`,
    );
  const layout = parseNpyLayout(file.path, await file.read(0, headerEnd, what), file.size, 'the array', true);
  const name = basename(file.path).replace(/\.npy$/i, '');
  return numpyCheckpoint(file.path, [{ name, dtype: layout.dtype, shape: layout.shape, layout }], (t, at, length) =>
    file.read(t.layout.dataOffset + at, length, `array ${quoted(t.name)}`),
  );
}

export async function openNpz(zip: ZipArchive): Promise<Checkpoint> {
  const tensors: NpyTensor[] = [];
  for (const member of zip.entries.values()) {
    if (!member.name.endsWith('.npy')) continue;
    const what = `member ${quoted(member.name)}`;
    const headerEnd = npyHeaderEnd(zip.path, await zip.readPrefix(member, 12), what);
    if (headerEnd > Math.min(member.uncompressedSize, readerLimits.maxHeaderBytes)) {
      throw new CheckpointError(
        zip.path,
        `${what} has a .npy header of ${headerEnd} bytes, more than the member holds; the file is corrupt`,
      );
    }
    const layout = parseNpyLayout(
      zip.path,
      await zip.readPrefix(member, headerEnd),
      member.uncompressedSize,
      what,
      false,
    );
    tensors.push({ name: member.name.slice(0, -4), dtype: layout.dtype, shape: layout.shape, layout, member });
  }
  return numpyCheckpoint(zip.path, tensors, (t, at, length) => zip.read(t.member!, t.layout.dataOffset + at, length));
}

function numpyCheckpoint(
  path: string,
  tensors: NpyTensor[],
  /** `length` bytes of a tensor's data from its byte `at`. */
  readData: (tensor: NpyTensor, at: number, length: number) => Promise<Buffer>,
): Checkpoint {
  const byName = indexTensors(path, tensors);
  return {
    path,
    format: 'numpy',
    tensors: tensors.map(({ name, dtype, shape }) => ({ name, dtype, shape })),
    metadata: {},
    async read(name, rows) {
      const tensor = floatTensor(path, byName, name);
      const { littleEndian, fortranOrder, shape, dataLength } = tensor.layout;
      const { first, count } = rowElements(path, tensor, rows);
      if (fortranOrder && rows) return fortranRows(tensor, rows, readData);
      if (fortranOrder) {
        const values = decodeFloats(await readData(tensor, 0, dataLength), tensor.dtype, littleEndian);
        return gatherStrided(values, shape, fortranStrides(shape));
      }
      const size = itemSize(tensor.dtype);
      return decodeFloats(await readData(tensor, first * size, count * size), tensor.dtype, littleEndian);
    },
    close: () => Promise.resolve(),
  };
}

/** Bytes of a Fortran-order array read at a time when rows of it are read alone. */
const FORTRAN_SPAN_BYTES = 2 ** 24;

/**
 * Rows `[start, start + count)` of a Fortran-order array. Each of its columns (an index of every axis but the first)
 * holds its rows one after another, so the columns are read a span of about 16 MB at a time, the rows asked for taken
 * from each into a Fortran-order block, and the block put in C order: no whole copy of the array is made.
 */
async function fortranRows(
  tensor: NpyTensor & { dtype: FloatDtype },
  [start, count]: RowSpan,
  readData: (tensor: NpyTensor, at: number, length: number) => Promise<Buffer>,
): Promise<Float32Array> {
  const { shape, littleEndian } = tensor.layout;
  const [height, size] = [shape[0], itemSize(tensor.dtype)];
  const columns = shape.slice(1).reduce((a, b) => a * b, 1);
  const block = new Float32Array(count * columns);
  const perSpan = Math.max(1, Math.floor(FORTRAN_SPAN_BYTES / (height * size)));
  for (let j0 = 0; count > 0 && j0 < columns; j0 += perSpan) {
    const j1 = Math.min(columns, j0 + perSpan);
    const bytes = await readData(tensor, (j0 * height + start) * size, ((j1 - 1 - j0) * height + count) * size);
    const span = decodeFloats(bytes, tensor.dtype, littleEndian);
    for (let j = j0; j < j1; j++) block.set(span.subarray((j - j0) * height, (j - j0) * height + count), j * count);
  }
  const blockShape = [count, ...shape.slice(1)];
  return gatherStrided(block, blockShape, fortranStrides(blockShape));
}

/** Column-major strides: the first axis varies fastest. */
function fortranStrides(shape: readonly number[]): number[] {
  let step = 1;
  return shape.map((dim) => {
    const stride = step;
    step *= dim;
    return stride;
  });
}
