// Opens any supported checkpoint, choosing the reader by the file's first bytes rather than its name.
import { basename, extname } from 'path';
import { CheckpointError, type Checkpoint } from '../checkpoint';
import { RandomAccessFile } from './fileAccess';
import { NPY_MAGIC, openNpy, openNpz } from './numpy';
import { openPytorch, torchArchivePrefix } from './pytorch';
import { openSafetensors } from './safetensors';
import type { TorchPickleOptions as OpenOptions } from './torchPickle';
import { looksLikeTfjsModel, openTfjs, readModelJson } from './tfjs';
import { ZipArchive } from './zip';

export { CheckpointError } from '../checkpoint';
export type { Checkpoint, CheckpointFormat, Dtype, TensorInfo } from '../checkpoint';
export { readerLimits } from './limits';
export type { OpenOptions };

const ZIP_MAGIC = Buffer.from('PK\x03\x04', 'latin1');
const EMPTY_ZIP_MAGIC = Buffer.from('PK\x05\x06', 'latin1');
// torch.save(..., _use_new_zipfile_serialization=False): pickle protocol 2, LONG1 of 10 bytes, torch's magic number.
const LEGACY_TORCH_MAGIC = Buffer.from('80028a0a6cfc9c46f9206aa85019', 'hex');
const checkpointExtensions = new Set(['.safetensors', '.pt', '.pth', '.bin', '.ckpt', '.npz', '.npy']);

/** Whether a file name looks like a checkpoint; with its folder's `siblings`, TF.js shards next to a model.json are not. */
export function isCheckpointFile(name: string, siblings: readonly string[] = []): boolean {
  const base = basename(name);
  if (isModelJson(base)) return true;
  const extension = extname(base).toLowerCase();
  if (extension === '.bin' && siblings.some((sibling) => isModelJson(basename(sibling)))) return false;
  return checkpointExtensions.has(extension);
}

/** Opens a checkpoint; every failure, now or in `read`, is a CheckpointError naming the file. `strict` refuses pickles with Python objects. */
export async function openCheckpoint(path: string, options: OpenOptions = {}): Promise<Checkpoint> {
  const file = await RandomAccessFile.open(path);
  let checkpoint: Checkpoint;
  try {
    checkpoint = await openByContent(file, options);
  } catch (err) {
    await file.close();
    throw asCheckpointError(path, err);
  }
  return {
    path: checkpoint.path,
    format: checkpoint.format,
    tensors: checkpoint.tensors,
    metadata: checkpoint.metadata,
    step: checkpoint.step,
    notes: checkpoint.notes,
    read: (name) => checkpoint.read(name).catch((err: unknown) => Promise.reject(asCheckpointError(path, err))),
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
  if (head.length > 8 && head[8] === 0x7b) return openSafetensors(file);
  if (/^\s*\{/.test(head.toString('latin1'))) {
    const json = await readModelJson(file);
    if (looksLikeTfjsModel(json)) return openTfjs(file, json);
    throw new CheckpointError(path, 'is JSON but not a TF.js model.json (it has no "weightsManifest")');
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

function isModelJson(base: string): boolean {
  return /(^|[._-])model\.json$/i.test(base);
}
