// Positioned reads of a checkpoint file: only the byte ranges a reader asks for, never the whole file.
import { constants as fsConstants, promises as fs, type Stats } from 'fs';
import { CheckpointError } from '../checkpoint';

/** A file that could not be opened, with its errno code: a missing TF.js shard may still be on its way. */
export class FileOpenError extends CheckpointError {
  constructor(
    path: string,
    reason: string,
    readonly code: string | undefined,
  ) {
    super(path, reason);
  }
}

/** An open file read by offset; every read is bounds-checked against the size seen at open. */
export class RandomAccessFile {
  private constructor(
    readonly path: string,
    private readonly handle: fs.FileHandle,
    readonly size: number,
  ) {}

  /** Opens a regular file (after symlinks); a FIFO or device is refused before it is opened, so nothing blocks. */
  static async open(path: string): Promise<RandomAccessFile> {
    refuseSpecial(path, await statOrFail(path));
    let handle: fs.FileHandle;
    try {
      // Non-blocking: a file swapped for a FIFO after the stat still cannot make open() wait for a writer.
      handle = await fs.open(path, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
    } catch (err) {
      throw openError(path, err);
    }
    try {
      const stat = await handle.stat();
      refuseSpecial(path, stat);
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

/**
 * The text of a small side file (metrics.jsonl, run.json): only a regular file is read, and of a file
 * larger than `maxBytes` only its last `maxBytes` bytes (a log's newest records). Throws a CheckpointError.
 */
export async function readTextCapped(path: string, maxBytes: number): Promise<string> {
  const file = await RandomAccessFile.open(path);
  try {
    const length = Math.min(file.size, maxBytes);
    return (await file.read(file.size - length, length, 'the file')).toString('utf8');
  } finally {
    await file.close();
  }
}

async function statOrFail(path: string): Promise<Stats> {
  try {
    return await fs.stat(path);
  } catch (err) {
    throw openError(path, err);
  }
}

function openError(path: string, err: unknown): FileOpenError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return new FileOpenError(path, `cannot open the file (${describeFsError(err)})`, code);
}

// What a path that is not a regular file is, in the words of the one-line refusal.
const specialKinds: readonly [(stat: Stats) => boolean, string][] = [
  [(s) => s.isDirectory(), 'is a directory, not a file'],
  [(s) => s.isFIFO(), 'is a FIFO (named pipe), not a file; it is not read'],
  [(s) => s.isCharacterDevice() || s.isBlockDevice(), 'is a device, not a file; it is not read'],
  [(s) => s.isSocket(), 'is a socket, not a file; it is not read'],
];

function refuseSpecial(path: string, stat: Stats): void {
  if (stat.isFile()) return;
  const kind = specialKinds.find(([test]) => test(stat))?.[1] ?? 'is not a regular file; it is not read';
  throw new CheckpointError(path, kind);
}

// errno codes a user can act on, in plain words; the rest keep Node's message.
const fsErrorTexts: ReadonlyMap<string, string> = new Map([
  ['ENOENT', 'no such file'],
  ['EACCES', 'permission denied'],
  ['EPERM', 'permission denied'],
  ['EISDIR', 'is a directory'],
  ['ELOOP', 'too many levels of symbolic links'],
  ['EMFILE', 'too many open files in this process (EMFILE); close some or raise the limit, e.g. ulimit -n'],
  ['ENFILE', 'too many open files on this system (ENFILE); close some or raise the limit'],
]);

function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const text = code === undefined ? undefined : fsErrorTexts.get(code);
  return text ?? (err instanceof Error ? err.message : String(err));
}
