// PyTorch zip checkpoints (torch.save): `<prefix>/data.pkl` unpickled with a whitelist, storages read lazily from `<prefix>/data/<key>`.
import { displayText, quoted } from '../../protocol/displayText';
import { CheckpointError, type Checkpoint, type TensorInfo } from '../checkpoint';
import { decodeFloats, elementCount, itemSize } from './dtypes';
import { overBudget, readerLimits } from './limits';
import { gatherStrided, stridedExtent } from './strided';
import { floatTensor, indexTensors, rowElements, stepFromMetadata } from './tensorTable';
import { findTensors, stateDictKeys } from './pickledTensors';
import { type TensorRef, type TorchPickleOptions, torchPickleReader } from './torchPickle';
import { PickleError, PyDict, unpickle } from './unpickler';
import type { ZipArchive, ZipEntry } from './zip';

/** Python objects named in a note, at most; the rest are counted. */
const MAX_NOTED_GLOBALS = 8;

interface TorchTensor extends TensorInfo {
  readonly ref: TensorRef;
  readonly member: ZipEntry;
}

/** The `<prefix>/` of a torch archive, from its `data.pkl` member, or undefined if it has none. */
export function torchArchivePrefix(zip: ZipArchive): string | undefined {
  for (const name of zip.entries.keys()) {
    const match = /^([^/]+\/)?data\.pkl$/.exec(name);
    if (match) return match[1] ?? '';
  }
  return undefined;
}

export async function openPytorch(
  zip: ZipArchive,
  prefix: string,
  options: TorchPickleOptions = {},
): Promise<Checkpoint> {
  const path = zip.path;
  const pickleEntry = zip.entries.get(`${prefix}data.pkl`)!;
  if (pickleEntry.uncompressedSize > readerLimits.maxHeaderBytes) {
    throw new CheckpointError(
      path,
      `data.pkl is ${pickleEntry.uncompressedSize} bytes, ${overBudget('maxHeaderBytes', 'byte')}`,
    );
  }
  const byteOrderEntry = zip.entries.get(`${prefix}byteorder`);
  const littleEndian = !byteOrderEntry || (await zip.readSmall(byteOrderEntry)).toString('ascii').trim() !== 'big';

  const reader = torchPickleReader(options);
  let root: unknown;
  try {
    root = unpickle(await zip.read(pickleEntry), reader.hooks);
  } catch (err) {
    if (err instanceof PickleError) throw new CheckpointError(path, err.message);
    throw err;
  }
  const found = findTensors(root);
  if (!found) {
    throw new CheckpointError(
      path,
      `holds no state dict (a dict of tensors, or an nn.Module, at the top level or under ${stateDictKeys.join(', ')}); save model.state_dict()`,
    );
  }
  const tensors: TorchTensor[] = [];
  for (const [name, value] of found.tensors) {
    tensors.push({
      name,
      dtype: value.storage.dtype,
      shape: value.shape,
      ref: value,
      member: storageMember(zip, prefix, value),
    });
  }
  const metadata = { ...scalarEntries(found.holder), ...(root instanceof PyDict ? scalarEntries(root) : {}) };
  const byName = indexTensors(path, tensors);
  return {
    path,
    format: 'pytorch',
    tensors: tensors.map(({ name, dtype, shape }) => ({ name, dtype, shape })),
    metadata,
    step: stepFromMetadata(metadata),
    notes: reader.inertGlobals.size > 0 ? [inertNote(reader.inertGlobals)] : [],
    async read(name, rows) {
      const tensor = floatTensor(path, byName, name);
      const { ref, member, dtype } = tensor;
      rowElements(path, tensor, rows);
      // Rows of the view are a view of their own: the first axis shortened, the offset moved along its stride.
      const shape = rows ? [rows[1], ...ref.shape.slice(1)] : ref.shape;
      const offset = ref.offset + (rows ? rows[0] * ref.stride[0] : 0);
      // Of the whole view: a few bytes of file must not stand for a huge tensor, read in blocks or not.
      refuseLargeRepeatingView(path, name, ref.shape, ref.storage.numel);
      const size = itemSize(dtype);
      const last = stridedExtent(shape, ref.stride, offset);
      if (last < 0) return new Float32Array(0);
      // Only the span the view touches is read: from its first item to its last.
      const bytes = await zip.read(member, offset * size, (last - offset + 1) * size);
      return gatherStrided(decodeFloats(bytes, dtype, littleEndian), shape, ref.stride);
    },
    close: () => Promise.resolve(),
  };
}

function refuseLargeRepeatingView(path: string, name: string, shape: readonly number[], storageItems: number): void {
  const count = elementCount(shape) ?? Infinity;
  if (count <= storageItems || count * 4 <= readerLimits.maxRepeatingViewBytes) return;
  throw new CheckpointError(
    path,
    `tensor ${quoted(name)} is a view that repeats the ${storageItems} items of its storage as ${count} elements (a zero stride, as expand() makes); ` +
      `it is not read, since that would take ${count * 4} bytes, ${overBudget('maxRepeatingViewBytes', 'byte')}. Save it with .contiguous() to analyse it`,
  );
}

function storageMember(zip: ZipArchive, prefix: string, ref: TensorRef): ZipEntry {
  const { key, dtype, numel } = ref.storage;
  const member = zip.entries.get(`${prefix}data/${key}`);
  if (!member)
    throw new CheckpointError(
      zip.path,
      `storage ${quoted(key)} named in data.pkl is missing from the archive; the file is corrupt`,
    );
  if (dtype !== 'OTHER' && member.uncompressedSize < numel * itemSize(dtype)) {
    throw new CheckpointError(
      zip.path,
      `storage ${quoted(key)} has ${member.uncompressedSize} bytes, fewer than its ${numel} ${dtype} items need; the file is corrupt`,
    );
  }
  return member;
}

/** "holds Python objects that were not run: argparse.Namespace, __main__.Config": the file's other globals. */
function inertNote(globals: ReadonlySet<string>): string {
  const names = [...globals].slice(0, MAX_NOTED_GLOBALS).map((name) => displayText(name));
  const more = globals.size - names.length;
  return `holds Python objects that were not run: ${names.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

/** String-keyed str/int/float/bool entries, as text (`step`, `epoch`, `lr`, …). */
function scalarEntries(dict: PyDict): Record<string, string> {
  const scalars: Record<string, string> = {};
  for (const [key, value] of dict.items) {
    if (typeof key !== 'string') continue;
    if (['string', 'number', 'boolean', 'bigint'].includes(typeof value)) scalars[key] = String(value);
  }
  return scalars;
}
