// Writes safetensors files (F32) atomically: a temporary name in the same folder, then a rename,
// so that a watcher never sees a partial file under a final name (docs/formats.md "A run folder").
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface NamedTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** The bytes of a safetensors file: u64 LE header length, JSON header padded with spaces to 8 bytes, data. */
export function encodeSafetensors(
  tensors: readonly NamedTensor[],
  metadata: Readonly<Record<string, string>> = {},
): Buffer {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const t of tensors) {
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count !== t.data.length)
      throw new RangeError(
        `tensor ${t.name}: shape [${t.shape.join(', ')}] holds ${count} values, data has ${t.data.length}`,
      );
    if (t.name === '__metadata__' || Object.hasOwn(header, t.name))
      throw new RangeError(`tensor name ${t.name} is reserved or repeated`);
    header[t.name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const padded = Math.ceil(json.length / 8) * 8;
  const out = Buffer.alloc(8 + padded + offset, 0x20);
  out.writeBigUInt64LE(BigInt(padded), 0);
  json.copy(out, 8);
  let at = 8 + padded;
  for (const t of tensors) {
    // Copy through a little-endian view so the file is the same on any host.
    const view = new DataView(out.buffer, out.byteOffset + at, t.data.byteLength);
    for (let i = 0; i < t.data.length; i++) view.setFloat32(i * 4, t.data[i], true);
    at += t.data.byteLength;
  }
  return out;
}

/** Writes `bytes` to `path` through a temporary file in the same folder and a rename. */
export function writeFileAtomic(path: string, bytes: Buffer | string): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(temp, bytes);
    renameSync(temp, path);
  } catch (e) {
    rmSync(temp, { force: true });
    throw e;
  }
}

/** Writes an F32 safetensors file atomically. Metadata values are strings (the format's rule). */
export function writeSafetensors(
  path: string,
  tensors: readonly NamedTensor[],
  metadata: Readonly<Record<string, string>> = {},
): void {
  writeFileAtomic(path, encodeSafetensors(tensors, metadata));
}
