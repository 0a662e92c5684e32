// The allowlist of globals a torch.save file may use, each a small pure constructor written here; a denylist of
// globals that would run code; any other global an inert placeholder (or, in strict mode, a refusal).
import { displayText, quoted } from '../../protocol/displayText';
import type { Dtype } from '../checkpoint';
import { overBudget, readerLimits } from './limits';
import { unsafeGlobal } from './pickleDenylist';
import { stridedExtent } from './strided';
import { ownEntry } from './tensorTable';
import { typeName, PickleError, PyDict, PyGlobal, PyObject, type PickleHooks } from './unpickler';

/** A raw storage inside the archive: `<prefix>/data/<key>`, `numel` items of `dtype`. */
export class StorageRef {
  constructor(
    readonly key: string,
    readonly dtype: Dtype,
    readonly numel: number,
  ) {}
}

/** A tensor as a view of a storage, read only when asked for. */
export class TensorRef {
  constructor(
    readonly storage: StorageRef,
    readonly offset: number,
    readonly shape: readonly number[],
    readonly stride: readonly number[],
  ) {}
}

/** A whitelisted global: a constructor implemented below, or a class/dtype used only as a marker (storage classes carry their dtype). */
class Marker {
  constructor(
    readonly qualifiedName: string,
    readonly storageDtype?: Dtype,
  ) {}
}

class NumpyDtype {
  constructor(readonly descr: string) {}
}

type Constructor = (args: readonly unknown[], hooks: PickleHooks) => unknown;

const storageDtypes: Readonly<Record<string, Dtype>> = {
  FloatStorage: 'F32',
  DoubleStorage: 'F64',
  HalfStorage: 'F16',
  BFloat16Storage: 'BF16',
  LongStorage: 'I64',
  IntStorage: 'I32',
  ShortStorage: 'I16',
  CharStorage: 'I8',
  ByteStorage: 'U8',
  BoolStorage: 'BOOL',
  UntypedStorage: 'U8',
  ComplexFloatStorage: 'OTHER',
  ComplexDoubleStorage: 'OTHER',
};

const torchDtypeNames = [
  'float64',
  'float32',
  'float16',
  'bfloat16',
  'int64',
  'int32',
  'int16',
  'int8',
  'uint8',
  'bool',
  'double',
  'float',
  'half',
  'long',
  'int',
  'short',
  'complex64',
  'complex128',
];

const rebuildTensor: Constructor = ([storage, offset, size, stride]) => {
  if (!(storage instanceof StorageRef))
    throw new PickleError(`tensor refers to a ${typeName(storage)}, not a storage; the file is corrupt`);
  if (!isIndex(offset) || !isIndexList(size) || !isIndexList(stride) || size.length !== stride.length) {
    throw new PickleError('tensor has an invalid offset, size or stride; the file is corrupt');
  }
  if (stridedExtent(size, stride, offset) >= storage.numel) {
    throw new PickleError(
      `tensor of size [${size.join(', ')}] reaches past the ${storage.numel} items of storage ${storage.key}; the file is corrupt`,
    );
  }
  return new TensorRef(storage, offset, size, stride);
};

const REBUILD_FROM_TYPE = 'torch._tensor._rebuild_from_type_v2';

/** `_rebuild_from_type_v2(func, type, args, state)` unwrapped in a loop: a file can nest it without end. */
const rebuildFromType: Constructor = ([inner, , args], hooks) => {
  let [func, funcArgs] = [inner, args];
  for (let depth = 0; func instanceof Marker && func.qualifiedName === REBUILD_FROM_TYPE; depth++) {
    if (depth >= readerLimits.maxPickleDepth)
      throw new PickleError(`pickle nests tensor subclasses ${overBudget('maxPickleDepth', 'level')}; it is not read`);
    [func, , funcArgs] = Array.isArray(funcArgs) ? funcArgs : [];
  }
  return hooks.call(func, Array.isArray(funcArgs) ? funcArgs : []);
};

/** An inert object of class `cls` (copyreg's helpers for `__reduce_ex__`), or `cls` built when it is allowed. */
const newObject: Constructor = ([cls, ...args], hooks) => hooks.call(cls, args);

const pySet = (items: unknown): Set<unknown> => new Set(Array.isArray(items) ? items : []);

const constructors: Readonly<Record<string, Constructor>> = {
  'collections.OrderedDict': ([pairs]) => {
    const dict = new PyDict();
    if (Array.isArray(pairs))
      for (const pair of pairs) if (Array.isArray(pair) && pair.length === 2) dict.items.set(pair[0], pair[1]);
    return dict;
  },
  'torch._utils._rebuild_tensor': rebuildTensor,
  'torch._utils._rebuild_tensor_v2': rebuildTensor,
  'torch._utils._rebuild_parameter': ([data]) => data,
  'torch._utils._rebuild_parameter_with_state': ([data]) => data,
  // Tensor subclasses: rebuild with the inner (allowlisted) function, drop the Python state.
  [REBUILD_FROM_TYPE]: rebuildFromType,
  'copyreg.__newobj__': newObject,
  'copyreg.__newobj_ex__': ([cls, args], hooks) => hooks.call(cls, Array.isArray(args) ? args : []),
  'copyreg._reconstructor': ([cls], hooks) => hooks.call(cls, []),
  'torch.Size': ([dims]) => Object.freeze(Array.isArray(dims) ? [...dims] : []),
  'torch.device': ([name]) => String(name),
  // Protocol 2 pickles Python 3 bytes as _codecs.encode(text, 'latin1').
  '_codecs.encode': ([text]) => Uint8Array.from(Buffer.from(String(text), 'latin1')),
  'builtins.set': ([items]) => pySet(items),
  'builtins.frozenset': ([items]) => Object.freeze(pySet(items)),
  // Protocol 2 names Python 3's builtins by their Python 2 module.
  '__builtin__.set': ([items]) => pySet(items),
  '__builtin__.frozenset': ([items]) => Object.freeze(pySet(items)),
  'numpy.dtype': ([descr]) => numpyDtype(descr),
  'numpy.core.multiarray.scalar': ([dtype, raw]) => numpyScalar(dtype, raw),
};

/** Globals that are only referenced, never called. */
function markerFor(module: string, name: string): unknown {
  const storageDtype = module === 'torch' ? ownEntry(storageDtypes, name) : undefined;
  if (storageDtype) return new Marker(`torch.${name}`, storageDtype);
  if (module === 'torch' && torchDtypeNames.includes(name)) return new Marker(`torch.${name}`);
  if (`${module}.${name}` === 'torch.Tensor' || `${module}.${name}` === 'torch.nn.parameter.Parameter')
    return new Marker(`${module}.${name}`);
  return undefined;
}

export interface TorchPickleOptions {
  /** Refuse any global outside the allowlist, as CI wants, instead of keeping it as an inert placeholder. */
  readonly strict?: boolean;
}

/** Hooks for `unpickle` plus the names of the Python objects it kept inert (for the report's note). */
export interface TorchPickleReader {
  readonly hooks: PickleHooks;
  readonly inertGlobals: ReadonlySet<string>;
}

/**
 * Hooks for `unpickle`: allowlisted constructors build tensors and containers, storages are lazy references,
 * a denylisted global refuses the file as unsafe, and any other global is an inert PyGlobal (strict: refused).
 */
export function torchPickleHooks(options: TorchPickleOptions = {}): PickleHooks {
  return torchPickleReader(options).hooks;
}

export function torchPickleReader(options: TorchPickleOptions = {}): TorchPickleReader {
  const storages = new Map<string, StorageRef>();
  const inertGlobals = new Set<string>();
  const hooks: PickleHooks = {
    findGlobal(module, name) {
      const qualifiedName = `${module}.${name}`;
      const unsafe = unsafeGlobal(module, name);
      if (unsafe !== undefined)
        throw new PickleError(`is unsafe: it would run ${displayText(unsafe)} when loaded with torch.load; not read`);
      if (ownEntry(constructors, qualifiedName)) return new Marker(qualifiedName);
      const marker = markerFor(module, name);
      if (marker !== undefined) return marker;
      if (options.strict)
        throw new PickleError(
          `refuses to load global ${displayText(qualifiedName)} (not a tensor/state-dict type, and strict mode is on); only plain state dicts are read`,
        );
      inertGlobals.add(qualifiedName);
      return new PyGlobal(module, name);
    },
    call(callable, args) {
      if (callable instanceof PyGlobal || callable instanceof PyObject) return new PyObject(callable, args);
      const construct = callable instanceof Marker ? ownEntry(constructors, callable.qualifiedName) : undefined;
      if (!construct)
        throw new PickleError(
          `pickle calls ${callable instanceof Marker ? callable.qualifiedName : typeName(callable)}, which is not a constructor this reader allows; only plain state dicts are read`,
        );
      return construct(args, hooks);
    },
    persistentLoad(pid) {
      if (!Array.isArray(pid) || pid[0] !== 'storage' || pid.length < 5)
        throw new PickleError('pickle has a persistent id that is not a torch storage; the file is corrupt');
      const [, type, key, , numel] = pid;
      if (!(type instanceof Marker) || type.storageDtype === undefined || typeof key !== 'string' || !isIndex(numel)) {
        throw new PickleError(`pickle has a malformed storage reference ${quoted(key)}; the file is corrupt`);
      }
      const known = storages.get(key);
      if (known) return known;
      const storage = new StorageRef(key, type.storageDtype, numel);
      storages.set(key, storage);
      return storage;
    },
  };
  return { hooks, inertGlobals };
}

// numpy object arrays hold pickled Python objects that np.load / torch.load would unpickle and run.
function numpyDtype(descr: unknown): NumpyDtype {
  const text = String(descr);
  if (/^[|<>=]?O\d*$/.test(text))
    throw new PickleError('is unsafe: it holds a numpy object array, which torch.load would unpickle; not read');
  return new NumpyDtype(text);
}

// numpy scalars (e.g. a loss saved as np.float64) become plain numbers; other kinds are kept as text.
function numpyScalar(dtype: unknown, raw: unknown): unknown {
  const descr = dtype instanceof NumpyDtype ? dtype.descr : '';
  if (!(raw instanceof Uint8Array)) return descr;
  const view = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  // A Map: the dtype name comes from the file, and "__proto__" must not find Object.prototype.
  const readers = new Map<string, () => number | bigint>([
    ['f8', () => view.readDoubleLE(0)],
    ['f4', () => view.readFloatLE(0)],
    ['i8', () => view.readBigInt64LE(0)],
    ['i4', () => view.readInt32LE(0)],
    ['u8', () => view.readBigUInt64LE(0)],
    ['u4', () => view.readUInt32LE(0)],
  ]);
  const read = readers.get(descr);
  if (!read || view.length < Number(descr.slice(1))) return `numpy.${descr}`;
  const value = read();
  return typeof value === 'bigint' &&
    value >= BigInt(Number.MIN_SAFE_INTEGER) &&
    value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value;
}

function isIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isIndexList(value: unknown): value is number[] {
  return Array.isArray(value) && value.every(isIndex);
}
