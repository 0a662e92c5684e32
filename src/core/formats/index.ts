// Opens any supported checkpoint, choosing the reader by the file's first bytes rather than its name.
import { basename, extname } from 'path';
import { CheckpointError, type Checkpoint, type CheckpointFormat } from '../checkpoint';
import { RandomAccessFile } from './fileAccess';
import { NPY_MAGIC, openNpy, openNpz } from './numpy';
import { openPytorch, torchArchivePrefix } from './pytorch';
import { openSafetensors } from './safetensors';
import type { TorchPickleOptions as OpenOptions } from './torchPickle';
import { modelConfigMetadata } from './modelConfig';
import { looksLikeShardIndex, openShardIndex } from './shardIndex';
import { looksLikeTfjsModel, looksLikeWeightsManifest, openTfjs, readModelJson } from './tfjs';
import { ZipArchive } from './zip';

export { CheckpointError } from '../checkpoint';
export type { Checkpoint, CheckpointFormat, Dtype, TensorInfo } from '../checkpoint';
export { readerLimits } from './limits';
export type { OpenOptions };

const ZIP_MAGIC = Buffer.from('PK\x03\x04', 'latin1');
const EMPTY_ZIP_MAGIC = Buffer.from('PK\x05\x06', 'latin1');
// torch.save(..., _use_new_zipfile_serialization=False): pickle protocol 2, LONG1 of 10 bytes, torch's magic number.
const LEGACY_TORCH_MAGIC = Buffer.from('80028a0a6cfc9c46f9206aa85019', 'hex');
/** One kind of checkpoint file: how its files are named and how its first bytes tell it apart. */
export interface ReaderKind {
  readonly format: CheckpointFormat | 'shard index';
  /** Lower-case extensions, with the dot. */
  readonly extensions: readonly string[];
  /** Whole-name globs (`*` = any characters), for kinds told apart by name (JSON files). */
  readonly names: readonly string[];
  /** What identifies the content, in words (help texts and docs). */
  readonly signature: string;
}

/** Every reader, the one source of the Explorer menu, the custom editor selectors, the file pickers and the CLI. */
export const readerKinds: readonly ReaderKind[] = [
  {
    format: 'safetensors',
    extensions: ['.safetensors'],
    names: [],
    signature: 'u64 header length, then "{"',
  },
  {
    format: 'pytorch',
    extensions: ['.pt', '.pth', '.ckpt', '.bin'],
    names: ['*.pth.tar'], // timm's checkpoint-N.pth.tar, model_best.pth.tar
    signature: 'zip archive holding data.pkl (torch.save)',
  },
  {
    format: 'numpy',
    extensions: ['.npz', '.npy'],
    names: [],
    signature: '\\x93NUMPY, or a zip of .npy members',
  },
  {
    format: 'tfjs',
    extensions: [],
    names: ['*model.json', '*weights_manifest.json'],
    signature: 'JSON with "weightsManifest", or a weights manifest array',
  },
  {
    format: 'shard index',
    extensions: [],
    names: ['*.safetensors.index.json', '*.bin.index.json'],
    signature: 'JSON with "weight_map" (Hugging Face sharded checkpoint)',
  },
];

/** Every extension a reader takes, e.g. for a file picker. */
export const checkpointExtensions: readonly string[] = readerKinds.flatMap((kind) => kind.extensions);

/** Names that also mean other things (`.bin`: TF.js shards, firmware; and JSON): the checkpoint editor opens them on request only. */
const requestOnly = new Set(['.bin']);

/** What package.json declares, derived here and tied to it by a unit test. */
export const editorContributions = {
  /** The Explorer menu's `when` clause. */
  explorerWhen:
    `!explorerResourceIsFolder && (resourceExtname =~ /^\\.(${checkpointExtensions.map((e) => e.slice(1)).join('|')})$/i` +
    ` || resourceFilename =~ /^(${readerKinds.flatMap((kind) => kind.names.map(globSource)).join('|')})$/i)`,
  /** The custom editor's selector: opened by default. */
  selector: [
    ...checkpointExtensions.filter((e) => !requestOnly.has(e)).map((e) => `*${e}`),
    ...readerKinds.flatMap((kind) => kind.names).filter((glob) => !/\.json$/i.test(glob)),
  ].map((filenamePattern) => ({ filenamePattern })),
  /** The file picker's filter (JSON for model.json, manifests and shard indexes). */
  pickerExtensions: [
    ...new Set([...checkpointExtensions, ...readerKinds.flatMap((kind) => kind.names.map((glob) => extname(glob)))]),
  ].map((e) => e.slice(1)),
};

/** Every extension and name glob, in words, for messages. */
export function describeCheckpointKinds(): string {
  return readerKinds.flatMap((kind) => [...kind.extensions, ...kind.names]).join(', ');
}

/** A name glob as regular-expression source: `*` is any characters, everything else literal. */
function globSource(glob: string): string {
  return glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
}

function globMatches(glob: string, name: string): boolean {
  return new RegExp(`^${globSource(glob)}$`, 'i').test(name);
}

function matchesKind(kind: ReaderKind, base: string): boolean {
  return kind.names.some((glob) => globMatches(glob, base));
}

/** Whether a name is a JSON checkpoint (a model.json, a weights manifest or a shard index), which names its weight files. */
export function isCheckpointJson(name: string): boolean {
  const base = basename(name);
  return /\.json$/i.test(base) && readerKinds.some((kind) => matchesKind(kind, base));
}

/** Whether a file name looks like a checkpoint; with its folder's `siblings`, TF.js shards next to a model.json are not. */
export function isCheckpointFile(name: string, siblings: readonly string[] = []): boolean {
  const base = basename(name);
  if (readerKinds.some((kind) => matchesKind(kind, base))) return true;
  const extension = extname(base).toLowerCase();
  if (extension === '.bin' && siblings.some((sibling) => isModelJson(basename(sibling)))) return false;
  return checkpointExtensions.includes(extension);
}

/** Opens a checkpoint; every failure, now or in `read`, is a CheckpointError naming the file. `strict` refuses pickles with Python objects. */
export async function openCheckpoint(path: string, options: OpenOptions = {}): Promise<Checkpoint> {
  const file = await RandomAccessFile.open(path);
  let checkpoint: Checkpoint;
  let config: Awaited<ReturnType<typeof modelConfigMetadata>> = { metadata: {} };
  try {
    checkpoint = await openByContent(file, options);
    if (checkpoint.format === 'safetensors' || checkpoint.format === 'pytorch')
      config = await modelConfigMetadata(checkpoint.path);
  } catch (err) {
    await file.close();
    throw asCheckpointError(path, err);
  }
  const notes = [...(checkpoint.notes ?? []), ...(config.note ? [config.note] : [])];
  return {
    path: checkpoint.path,
    format: checkpoint.format,
    tensors: checkpoint.tensors,
    // The file's own metadata wins over the head counts of a config.json beside it.
    metadata: { ...config.metadata, ...checkpoint.metadata },
    step: checkpoint.step,
    notes: notes.length > 0 ? notes : checkpoint.notes,
    files: checkpoint.files,
    read: (name, rows) =>
      checkpoint.read(name, rows).catch((err: unknown) => Promise.reject(asCheckpointError(path, err))),
    close: async () => {
      await checkpoint.close().catch(() => undefined);
      await file.close();
    },
  };
}

async function openByContent(file: RandomAccessFile, options: OpenOptions): Promise<Checkpoint> {
  const path = file.path;
  if (file.size === 0) throw new CheckpointError(path, 'is empty (still being written, or not a checkpoint)', true);
  const head = await file.read(0, Math.min(file.size, LEGACY_TORCH_MAGIC.length), 'the first bytes');
  if (startsWith(head, ZIP_MAGIC) || startsWith(head, EMPTY_ZIP_MAGIC))
    return openZip(await ZipArchive.open(file), options);
  if (startsWith(head, NPY_MAGIC)) return openNpy(file);
  if (startsWith(head, LEGACY_TORCH_MAGIC)) {
    throw new CheckpointError(
      path,
      'is a legacy (non-zip) PyTorch file; re-save it with a current torch (torch.save default zip format), e.g. torch.save(torch.load(f), f)',
    );
  }
  // JSON never holds the NUL bytes of a safetensors header length, whose byte 8 is also "{".
  const json = /^\s*[{[]/.test(head.toString('latin1')) && !head.includes(0);
  if (!json && head.length > 8 && head[8] === 0x7b) return openSafetensors(file);
  if (json) {
    const json = await readModelJson(file);
    if (looksLikeTfjsModel(json)) return openTfjs(file, json);
    if (looksLikeWeightsManifest(json)) return openTfjs(file, { weightsManifest: json });
    if (looksLikeShardIndex(json)) return openShardIndex(path, json, (shard) => openCheckpoint(shard, options));
    throw new CheckpointError(
      path,
      'is JSON but not a TF.js model.json (it has no "weightsManifest") nor a shard index (no "weight_map"); open the weights file instead',
    );
  }
  // A file shorter than any magic that begins like one is still being written.
  if (
    [ZIP_MAGIC, NPY_MAGIC, LEGACY_TORCH_MAGIC].some((magic) => head.length < magic.length && startsWith(magic, head))
  ) {
    throw new CheckpointError(path, `has only ${file.size} bytes (truncated or still being written)`, true);
  }
  const extension = extname(path).toLowerCase();
  if (extension === '.safetensors') return openSafetensors(file);
  if (extension === '.npy') return openNpy(file);
  const pickle =
    head[0] === 0x80
      ? '; it looks like a bare pickle: save a state dict with torch.save (zip format) or as safetensors'
      : '';
  throw new CheckpointError(
    path,
    `is not a recognised checkpoint (safetensors, PyTorch zip, NumPy .npy/.npz or TF.js model.json)${pickle}`,
  );
}

async function openZip(zip: ZipArchive, options: OpenOptions): Promise<Checkpoint> {
  const prefix = torchArchivePrefix(zip);
  if (prefix !== undefined) return openPytorch(zip, prefix, options);
  if ([...zip.entries.keys()].some((name) => name.endsWith('.npy'))) return openNpz(zip);
  throw new CheckpointError(
    zip.path,
    'is a zip archive with neither data.pkl (PyTorch) nor .npy members (NumPy); not a checkpoint',
  );
}

function asCheckpointError(path: string, err: unknown): CheckpointError {
  if (err instanceof CheckpointError) return err;
  // Not an expected problem, but still reported as one line against the file rather than crashing the caller.
  return new CheckpointError(path, `could not be read (${err instanceof Error ? err.message : String(err)})`);
}

function startsWith(buffer: Buffer, prefix: Buffer): boolean {
  return buffer.length >= prefix.length && buffer.subarray(0, prefix.length).equals(prefix);
}

/** A TF.js model.json or weights manifest, whose `.bin` siblings are its shards. */
function isModelJson(base: string): boolean {
  return readerKinds.some((kind) => kind.format === 'tfjs' && matchesKind(kind, base));
}
