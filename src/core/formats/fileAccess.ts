// Positioned reads of a checkpoint file: only the byte ranges a reader asks for, never the whole file.
import { promises as fs } from 'fs';
import { CheckpointError } from '../checkpoint';

/** An open file read by offset; every read is bounds-checked against the size seen at open. */
export class RandomAccessFile {
  private constructor(
    readonly path: string,
    private readonly handle: fs.FileHandle,
    readonly size: number,
  ) {}

  static async open(path: string): Promise<RandomAccessFile> {
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(path, 'r');
    } catch (err) {
      throw new CheckpointError(path, `cannot open the file (${describeFsError(err)})`);
    }
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) throw new CheckpointError(path, 'is not a regular file');
      return new RandomAccessFile(path, handle, stat.size);
    } catch (err) {
      await handle.close();
      throw err instanceof CheckpointError
        ? err
        : new CheckpointError(path, `cannot stat the file (${describeFsError(err)})`);
    }
  }

  /** Reads exactly `length` bytes at `offset`; a range past the end means the file is truncated. */
  async read(offset: number, length: number, what: string): Promise<Buffer> {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
      throw new CheckpointError(this.path, `${what} has an invalid byte range (${offset}, ${length})`);
    }
    if (offset + length > this.size) {
      throw new CheckpointError(
        this.path,
        `${what} needs bytes ${offset}..${offset + length} but the file has only ${this.size} bytes (truncated or still being written)`,
        true,
      );
    }
    const buffer = Buffer.alloc(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await this.handle.read(buffer, done, length - done, offset + done);
      // The file shrank after it was opened: it is being rewritten.
      if (bytesRead === 0)
        throw new CheckpointError(this.path, `${what} ends early: the file changed while it was read`, true);
      done += bytesRead;
    }
    return buffer;
  }

  async close(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }
}

function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return err instanceof Error ? err.message : String(err);
}
