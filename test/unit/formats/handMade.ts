// Checkpoint files written by hand, byte by byte, for tests of malformed and hostile input.
import { crc32 as zlibCrc32 } from 'zlib';

/** A safetensors file by hand: u64 LE header length, the header text, the data. */
export function safetensorsBytes(header: object | string, data: Buffer = Buffer.alloc(0)): Buffer {
  const text = Buffer.from(typeof header === 'string' ? header : JSON.stringify(header));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(text.length));
  return Buffer.concat([length, text, data]);
}

export interface ZipMember {
  readonly name: string;
  /** The member's bytes as stored (already deflated when `method` is 8). */
  readonly stored: Buffer;
  readonly method?: 0 | 8;
  /** The uncompressed size and CRC the directory claims (default: those of `stored`). */
  readonly uncompressedSize?: number;
  readonly crc32?: number;
}

/**
 * A zip archive by hand: local headers and data, then the central directory, then its end record. `aliases`
 * adds directory entries named `alias<i>.npy` that all point at the first member's local header.
 */
export function zipBytes(members: readonly ZipMember[], aliases = 0): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  const offsets: number[] = [];
  let offset = 0;
  // Method, CRC, sizes and name length: the same run of fields in both headers, from byte 8 (local) or 10 (central).
  const header = (length: number, signature: number, fieldsAt: number, member: ZipMember, name: string) => {
    const bytes = Buffer.alloc(length);
    bytes.writeUInt32LE(signature, 0);
    bytes.writeUInt16LE(20, 4);
    bytes.writeUInt16LE(member.method ?? 0, fieldsAt);
    bytes.writeUInt32LE(member.crc32 ?? crc32(member.stored), fieldsAt + 6);
    bytes.writeUInt32LE(member.stored.length, fieldsAt + 10);
    bytes.writeUInt32LE(member.uncompressedSize ?? member.stored.length, fieldsAt + 14);
    bytes.writeUInt16LE(Buffer.byteLength(name), fieldsAt + 18);
    return bytes;
  };
  const centralEntry = (member: ZipMember, name: string, at: number) => {
    const entry = header(46, 0x02014b50, 10, member, name);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt32LE(at, 42);
    return Buffer.concat([entry, Buffer.from(name)]);
  };
  for (const member of members) {
    const local = Buffer.concat([
      header(30, 0x04034b50, 8, member, member.name),
      Buffer.from(member.name),
      member.stored,
    ]);
    offsets.push(offset);
    central.push(centralEntry(member, member.name, offset));
    locals.push(local);
    offset += local.length;
  }
  for (let i = 0; i < aliases; i++) central.push(centralEntry(members[0], `alias${i}.npy`, offsets[0]));
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(central.length, 8);
  end.writeUInt16LE(central.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** A .npy file of float32 values (version 1 header, C order unless `fortran`). */
export function npyBytes(shape: readonly number[], values: Buffer, fortran = false): Buffer {
  const order = fortran ? 'True' : 'False';
  const dict = `{'descr': '<f4', 'fortran_order': ${order}, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const padded = dict + ' '.repeat(63 - ((10 + dict.length) % 64)) + '\n';
  const header = Buffer.alloc(10);
  Buffer.from('\x93NUMPY\x01\x00', 'latin1').copy(header);
  header.writeUInt16LE(padded.length, 8);
  return Buffer.concat([header, Buffer.from(padded, 'latin1'), values]);
}

function crc32(bytes: Buffer): number {
  return zlibCrc32(bytes) >>> 0;
}
