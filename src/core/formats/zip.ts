// Zip archives (PyTorch checkpoints, .npz): central directory via positioned reads, STORED and DEFLATE members, zip64.
import { quoted } from '../../protocol/displayText';
import { constants as bufferConstants } from 'buffer';
import { constants as zlibConstants, inflateRawSync } from 'zlib';
import { crc32 } from '../../protocol/crc32';
import { CheckpointError } from '../checkpoint';
import type { RandomAccessFile } from './fileAccess';
import { overBudget, readerLimits } from './limits';

export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly flags: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly localHeaderOffset: number;
  readonly crc32: number;
}

const signatures = {
  local: 0x04034b50,
  central: 0x02014b50,
  end: 0x06054b50,
  end64: 0x06064b50,
  locator64: 0x07064b50,
};
const STORED = 0;
const DEFLATE = 8;
const MAX_U16 = 0xffff;
const MAX_U32 = 0xffffffff;

export class ZipArchive {
  /** Inflated members, oldest first: a storage shared by many tensors is inflated once. */
  private readonly inflatedCache = new Map<string, Buffer>();
  private cachedBytes = 0;
  /** Bytes inflated from this file so far, against its budget. */
  private inflatedBytes = 0;

  private constructor(
    private readonly file: RandomAccessFile,
    readonly entries: ReadonlyMap<string, ZipEntry>,
    /** Start of the central directory: every member's data lies before it. */
    private readonly dataEnd: number,
  ) {}

  get path(): string {
    return this.file.path;
  }

  static async open(file: RandomAccessFile): Promise<ZipArchive> {
    const { cdOffset, cdSize, count, endOffset } = await readEndRecord(file);
    const fail = (reason: string) =>
      new CheckpointError(file.path, `zip central directory ${reason}; the file is corrupt`);
    if (cdOffset + cdSize > endOffset)
      throw fail(`(${cdSize} bytes at ${cdOffset}) overlaps its end record at ${endOffset}`);
    if (count * 46 > cdSize) throw fail(`claims ${count} entries but has only ${cdSize} bytes`);
    if (cdSize > readerLimits.maxHeaderBytes) throw fail(`is ${cdSize} bytes, ${overBudget('maxHeaderBytes', 'byte')}`);
    const cd = await file.read(cdOffset, cdSize, 'the zip central directory');
    const entries = new Map<string, ZipEntry>();
    let at = 0;
    for (let i = 0; i < count; i++) {
      if (at + 46 > cd.length || cd.readUInt32LE(at) !== signatures.central)
        throw fail(`has a bad entry ${i} at byte ${cdOffset + at}`);
      const nameLength = cd.readUInt16LE(at + 28);
      const extraLength = cd.readUInt16LE(at + 30);
      const next = at + 46 + nameLength + extraLength + cd.readUInt16LE(at + 32);
      if (next > cd.length) throw fail(`entry ${i} runs past its end`);
      const name = cd.toString('utf8', at + 46, at + 46 + nameLength);
      const sizes = zip64Sizes(cd.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength), [
        cd.readUInt32LE(at + 24),
        cd.readUInt32LE(at + 20),
        cd.readUInt32LE(at + 42),
      ]);
      if (!sizes) throw fail(`entry ${quoted(name)} lacks its zip64 sizes`);
      const [uncompressedSize, compressedSize, localHeaderOffset] = sizes;
      if (localHeaderOffset + 30 + compressedSize > cdOffset)
        throw fail(`entry ${quoted(name)} points past the member data`);
      if (entries.has(name)) throw fail(`lists ${quoted(name)} twice`);
      entries.set(name, {
        name,
        method: cd.readUInt16LE(at + 10),
        flags: cd.readUInt16LE(at + 8),
        crc32: cd.readUInt32LE(at + 16),
        compressedSize,
        uncompressedSize,
        localHeaderOffset,
      });
      at = next;
    }
    refuseOverlaps(file.path, entries);
    return new ZipArchive(file, entries, cdOffset);
  }

  /** A small member read whole (`byteorder`, `version`); a long one is not what such a member holds. */
  async readSmall(entry: ZipEntry): Promise<Buffer> {
    if (entry.uncompressedSize > readerLimits.maxSmallMemberBytes) {
      throw new CheckpointError(
        this.path,
        `zip member ${quoted(entry.name)} is ${entry.uncompressedSize} bytes, ${overBudget('maxSmallMemberBytes', 'byte')}; the file is corrupt`,
      );
    }
    return this.read(entry);
  }

  /** Bytes `start..start+length` of a member's uncompressed content (STORED members read only that range). */
  async read(entry: ZipEntry, start = 0, length = entry.uncompressedSize - start): Promise<Buffer> {
    const fail = (reason: string) => new CheckpointError(this.path, `zip member ${quoted(entry.name)} ${reason}`);
    if (start < 0 || length < 0 || start + length > entry.uncompressedSize) {
      throw fail(
        `has ${entry.uncompressedSize} bytes; bytes ${start}..${start + length} were asked for (the file is corrupt)`,
      );
    }
    const dataStart = await this.dataStart(entry);
    if (entry.method === STORED) {
      if (entry.compressedSize !== entry.uncompressedSize)
        throw fail('is stored but its sizes differ; the file is corrupt');
      return this.file.read(dataStart + start, length, `zip member ${quoted(entry.name)}`);
    }
    const inflated = this.inflatedCache.get(entry.name) ?? (await this.inflateWhole(entry, dataStart));
    return inflated.subarray(start, start + length);
  }

  private async inflateWhole(entry: ZipEntry, dataStart: number): Promise<Buffer> {
    const fail = (reason: string) => new CheckpointError(this.path, `zip member ${quoted(entry.name)} ${reason}`);
    const inflated = await this.inflate(entry, dataStart, entry.compressedSize);
    if (inflated.length !== entry.uncompressedSize) {
      throw fail(
        `inflates to ${inflated.length} bytes, not the ${entry.uncompressedSize} its directory entry says; the file is corrupt`,
      );
    }
    // A whole member is in memory anyway: check it, since damaged deflate data can still inflate.
    if (crc32(inflated) !== entry.crc32) throw fail('fails its CRC-32 check; the file is corrupt');
    this.inflatedCache.set(entry.name, inflated);
    this.cachedBytes += inflated.length;
    for (const [name, cached] of this.inflatedCache) {
      if (this.cachedBytes <= readerLimits.maxInflatedCacheBytes || name === entry.name) break;
      this.inflatedCache.delete(name);
      this.cachedBytes -= cached.length;
    }
    return inflated;
  }

  /** At least the first `length` bytes of a member (fewer only if it is shorter), without inflating all of it. */
  async readPrefix(entry: ZipEntry, length: number): Promise<Buffer> {
    const wanted = Math.min(length, entry.uncompressedSize);
    if (entry.method === STORED) return this.read(entry, 0, wanted);
    // Inflating a small compressed prefix is enough for a header; fall back to the whole member.
    const dataStart = await this.dataStart(entry);
    const prefix = await this.inflate(entry, dataStart, Math.min(entry.compressedSize, 4096), true);
    return prefix.length >= wanted ? prefix.subarray(0, wanted) : this.read(entry, 0, wanted);
  }

  private async dataStart(entry: ZipEntry): Promise<number> {
    const fail = (reason: string) => new CheckpointError(this.path, `zip member ${quoted(entry.name)} ${reason}`);
    if (entry.flags & 1) throw fail('is encrypted; encrypted archives are not supported');
    if (entry.method !== STORED && entry.method !== DEFLATE) {
      throw fail(`uses compression method ${entry.method}; only stored and deflate members are supported`);
    }
    const local = await this.file.read(
      entry.localHeaderOffset,
      30,
      `the local header of zip member ${quoted(entry.name)}`,
    );
    if (local.readUInt32LE(0) !== signatures.local) throw fail('has a bad local header signature; the file is corrupt');
    const dataStart = entry.localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
    if (dataStart + entry.compressedSize > this.dataEnd)
      throw fail('runs into the central directory; the file is corrupt');
    return dataStart;
  }

  private async inflate(
    entry: ZipEntry,
    dataStart: number,
    compressedLength: number,
    partial = false,
  ): Promise<Buffer> {
    const fail = (reason: string) => new CheckpointError(this.path, `zip member ${quoted(entry.name)} ${reason}`);
    const limit = Math.min(
      bufferConstants.MAX_LENGTH,
      readerLimits.maxTensorBytes,
      compressedLength * readerLimits.maxDeflateRatio + 64,
    );
    if (!partial && entry.uncompressedSize > limit) {
      throw fail(
        `claims ${entry.uncompressedSize} uncompressed bytes from ${entry.compressedSize} compressed; the file is corrupt or too large`,
      );
    }
    const budget = Math.max(
      readerLimits.minInflatedBytesPerFile,
      readerLimits.maxInflatedBytesPerFileByte * this.file.size,
    );
    // A whole member is charged before it is inflated; a header prefix (a few KB) after.
    const wanted = partial ? 0 : entry.uncompressedSize;
    if (this.inflatedBytes + wanted > budget) {
      throw fail(
        `would make ${this.inflatedBytes + wanted} inflated bytes in all from a ${this.file.size}-byte file, more than ${budget} ` +
          `(readerLimits.minInflatedBytesPerFile, readerLimits.maxInflatedBytesPerFileByte × the file size); it is not read`,
      );
    }
    this.inflatedBytes += wanted;
    const compressed = await this.file.read(dataStart, compressedLength, `zip member ${quoted(entry.name)}`);
    try {
      const inflated = inflateRawSync(compressed, {
        maxOutputLength: Math.max(1, partial ? limit : entry.uncompressedSize),
        ...(partial ? { finishFlush: zlibConstants.Z_SYNC_FLUSH } : {}),
      });
      if (partial) this.inflatedBytes += inflated.length;
      return inflated;
    } catch (err) {
      throw fail(`does not inflate (${(err as Error).message}); the file is corrupt`);
    }
  }
}

/**
 * Members whose data overlap are refused, as zip readers do: one deflated member listed 20 000 times would be
 * inflated 20 000 times. Each member takes at least its 30-byte local header and its compressed bytes.
 */
function refuseOverlaps(path: string, entries: ReadonlyMap<string, ZipEntry>): void {
  const byOffset = [...entries.values()].sort((a, b) => a.localHeaderOffset - b.localHeaderOffset);
  for (let i = 1; i < byOffset.length; i++) {
    const previous = byOffset[i - 1];
    if (previous.localHeaderOffset + 30 + previous.compressedSize > byOffset[i].localHeaderOffset) {
      throw new CheckpointError(
        path,
        `zip members ${quoted(previous.name)} and ${quoted(byOffset[i].name)} overlap; the file is corrupt or a zip bomb`,
      );
    }
  }
}

/** Locates the end-of-central-directory record (and its zip64 twin when fields overflow). */
async function readEndRecord(
  file: RandomAccessFile,
): Promise<{ cdOffset: number; cdSize: number; count: number; endOffset: number }> {
  const truncated = () =>
    new CheckpointError(
      file.path,
      'zip archive has no end-of-central-directory record (truncated or still being written)',
      true,
    );
  if (file.size < 22) throw truncated();
  const tailLength = Math.min(file.size, readerLimits.zipEndSearchBytes);
  const tailStart = file.size - tailLength;
  const tail = await file.read(tailStart, tailLength, 'the end of the zip archive');
  let at = tail.length - 22;
  while (at >= 0 && !(tail.readUInt32LE(at) === signatures.end && at + 22 + tail.readUInt16LE(at + 20) <= tail.length))
    at--;
  if (at < 0) throw truncated();
  const endOffset = tailStart + at;
  if (tail.readUInt16LE(at + 4) !== 0 || tail.readUInt16LE(at + 6) !== 0) {
    throw new CheckpointError(file.path, 'is a multi-volume zip archive; join it into one file first');
  }
  const count = tail.readUInt16LE(at + 10);
  const cdSize = tail.readUInt32LE(at + 12);
  const cdOffset = tail.readUInt32LE(at + 16);
  const overflowed = count === MAX_U16 || cdSize === MAX_U32 || cdOffset === MAX_U32;
  // A zip64 locator just before the end record means the zip64 record holds the authoritative values.
  const locator = endOffset >= 20 ? await file.read(endOffset - 20, 20, 'the zip64 locator') : undefined;
  const corrupt = (what: string) =>
    new CheckpointError(file.path, `zip64 ${what} is missing or corrupt; the file is corrupt`);
  if (!locator || locator.readUInt32LE(0) !== signatures.locator64) {
    if (overflowed) throw corrupt('end-of-central-directory locator');
    return { cdOffset, cdSize, count, endOffset };
  }
  const end64Offset = safeNumber(locator.readBigUInt64LE(8));
  if (end64Offset === undefined || end64Offset + 56 > endOffset) throw corrupt('end-of-central-directory record');
  const end64 = await file.read(end64Offset, 56, 'the zip64 end record');
  if (end64.readUInt32LE(0) !== signatures.end64) throw corrupt('end-of-central-directory record');
  const count64 = safeNumber(end64.readBigUInt64LE(32));
  const size64 = safeNumber(end64.readBigUInt64LE(40));
  const offset64 = safeNumber(end64.readBigUInt64LE(48));
  if (count64 === undefined || size64 === undefined || offset64 === undefined)
    throw corrupt('end-of-central-directory record');
  return { cdOffset: offset64, cdSize: size64, count: count64, endOffset: end64Offset };
}

/** Replaces 0xFFFFFFFF fields (uncompressed, compressed, offset) by their zip64 extra values, in that order. */
function zip64Sizes(extra: Buffer, fields: [number, number, number]): [number, number, number] | undefined {
  if (!fields.includes(MAX_U32)) return fields;
  for (let at = 0; at + 4 <= extra.length; at += 4 + extra.readUInt16LE(at + 2)) {
    if (extra.readUInt16LE(at) !== 0x0001) continue;
    const end = Math.min(extra.length, at + 4 + extra.readUInt16LE(at + 2));
    let cursor = at + 4;
    const result = [...fields] as [number, number, number];
    for (let i = 0; i < 3; i++) {
      if (fields[i] !== MAX_U32) continue;
      const value = cursor + 8 <= end ? safeNumber(extra.readBigUInt64LE(cursor)) : undefined;
      if (value === undefined) return undefined;
      result[i] = value;
      cursor += 8;
    }
    return result;
  }
  return undefined;
}

function safeNumber(value: bigint): number | undefined {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : undefined;
}
