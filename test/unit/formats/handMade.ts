// Checkpoint files written by hand, byte by byte, for tests of malformed and hostile input.

/** A safetensors file by hand: u64 LE header length, the header text, the data. */
export function safetensorsBytes(header: object | string, data: Buffer = Buffer.alloc(0)): Buffer {
  const text = Buffer.from(typeof header === 'string' ? header : JSON.stringify(header));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(text.length));
  return Buffer.concat([length, text, data]);
}
