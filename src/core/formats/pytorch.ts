// PyTorch zip checkpoints (torch.save): `<prefix>/data.pkl` unpickled with a whitelist, storages read lazily from `<prefix>/data/<key>`.
import { quoted } from '../../protocol/displayText';
import { CheckpointError, type Checkpoint, type TensorInfo } from '../checkpoint';
import { decodeFloats, elementCount, itemSize } from './dtypes';
import { readerLimits } from './limits';
import { gatherStrided, stridedExtent } from './strided';
import { floatTensor, indexTensors, stepFromMetadata } from './tensorTable';
import { TensorRef, torchPickleHooks } from './torchPickle';
import { PickleError, PyDict, unpickle } from './unpickler';
import type { ZipArchive, ZipEntry } from './zip';

/** Keys under which training scripts nest the model's state dict, in the order they are tried. */
const stateDictKeys = ['state_dict', 'model_state_dict', 'model', 'module'];

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

export async function openPytorch(zip: ZipArchive, prefix: string): Promise<Checkpoint> {
  const path = zip.path;
  const pickleEntry = zip.entries.get(`${prefix}data.pkl`)!;
  if (pickleEntry.uncompressedSize > readerLimits.maxHeaderBytes) {
    throw new CheckpointError(
      path,
      `data.pkl is ${pickleEntry.uncompressedSize} bytes, more than the ${readerLimits.maxHeaderBytes}-byte limit`,
    );
  }
  const byteOrderEntry = zip.entries.get(`${prefix}byteorder`);
  const littleEndian = !byteOrderEntry || (await zip.read(byteOrderEntry)).toString('ascii').trim() !== 'big';

  let root: unknown;
  try {
    root = unpickle(await zip.read(pickleEntry), torchPickleHooks());
  } catch (err) {
    if (err instanceof PickleError) throw new CheckpointError(path, err.message);
    throw err;
  }
  const stateDict = findStateDict(root);
  if (!stateDict) {
    throw new CheckpointError(
      path,
      `holds no state dict (a dict of tensors at the top level or under ${stateDictKeys.join(', ')}); save model.state_dict()`,
    );
  }
  const tensors: TorchTensor[] = [];
  for (const [name, value] of stateDict.items) {
    if (typeof name !== 'string' || !(value instanceof TensorRef)) continue;
    tensors.push({
      name,
      dtype: value.storage.dtype,
      shape: value.shape,
      ref: value,
      member: storageMember(zip, prefix, value),
    });
  }
  const metadata = { ...scalarEntries(stateDict), ...(root instanceof PyDict ? scalarEntries(root) : {}) };
  const byName = indexTensors(path, tensors);
  return {
    path,
    format: 'pytorch',
    tensors: tensors.map(({ name, dtype, shape }) => ({ name, dtype, shape })),
    metadata,
    step: stepFromMetadata(metadata),
    async read(name) {
      const { ref, member, dtype, shape } = floatTensor(path, byName, name);
      refuseLargeRepeatingView(path, name, shape, ref.storage.numel);
      const size = itemSize(dtype);
      const last = stridedExtent(ref.shape, ref.stride, ref.offset);
      if (last < 0) return new Float32Array(0);
      // Only the span the view touches is read: from its first item to its last.
      const bytes = await zip.read(member, ref.offset * size, (last - ref.offset + 1) * size);
      return gatherStrided(decodeFloats(bytes, dtype, littleEndian), ref.shape, ref.stride);
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
      `it is not read, since that would take ${count * 4} bytes (limit ${readerLimits.maxRepeatingViewBytes}). Save it with .contiguous() to analyse it`,
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

function findStateDict(root: unknown): PyDict | undefined {
  if (!(root instanceof PyDict)) return undefined;
  if (holdsTensors(root)) return root;
  for (const key of stateDictKeys) {
    const nested = root.items.get(key);
    if (nested instanceof PyDict && holdsTensors(nested)) return nested;
  }
  return undefined;
}

function holdsTensors(dict: PyDict): boolean {
  for (const [key, value] of dict.items) if (typeof key === 'string' && value instanceof TensorRef) return true;
  return false;
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
