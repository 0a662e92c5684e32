// Reads what was appended to a growing text file since the last read, line by line: a last line
// without its newline is kept back until it is complete (a writer may be in the middle of it).
import { open } from 'node:fs/promises';

/** Appended bytes are read in chunks of at most this size, so a huge file is not read in one go. */
const CHUNK_BYTES = 1 << 20;

export class LineTail {
  private offset = 0;
  private partial = Buffer.alloc(0);
  private inode: number | undefined;

  constructor(readonly path: string) {}

  /**
   * The complete lines appended since the last read. `restarted` says the file was replaced or truncated
   * (it is read again from its start), so what was read before no longer holds.
   */
  async read(): Promise<{ lines: string[]; restarted: boolean }> {
    let file;
    try {
      file = await open(this.path, 'r');
    } catch {
      return { lines: [], restarted: false }; // not written yet
    }
    try {
      const { size, ino } = await file.stat();
      const restarted = size < this.offset || (this.inode !== undefined && ino !== this.inode);
      this.inode = ino;
      if (restarted) [this.offset, this.partial] = [0, Buffer.alloc(0)];
      const lines: string[] = [];
      while (this.offset < size) {
        const chunk = Buffer.alloc(Math.min(CHUNK_BYTES, size - this.offset));
        const { bytesRead } = await file.read(chunk, 0, chunk.length, this.offset);
        if (bytesRead === 0) break;
        this.offset += bytesRead;
        const text = Buffer.concat([this.partial, chunk.subarray(0, bytesRead)]);
        const end = text.lastIndexOf(0x0a);
        this.partial = end < 0 ? text : text.subarray(end + 1);
        if (end >= 0) lines.push(...text.subarray(0, end).toString('utf8').split('\n'));
      }
      return { lines: lines.map((l) => l.replace(/\r$/, '')).filter((l) => l.trim() !== ''), restarted };
    } finally {
      await file.close();
    }
  }
}

/** The JSON objects among `lines`; anything else (garbage, a line cut by a crash) is skipped. */
export function jsonRecords(lines: readonly string[]): Record<string, unknown>[] {
  const records: Record<string, unknown>[] = [];
  for (const line of lines) {
    try {
      const value: unknown = JSON.parse(line);
      if (value && typeof value === 'object' && !Array.isArray(value)) records.push(value as Record<string, unknown>);
    } catch {
      // not JSON: skipped, as the CLI does
    }
  }
  return records;
}
