// Fresh run folders under the runs folder: `<name>-<yyyymmdd-hhmmss>`, never reusing one.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileStem, timestamp } from '../../protocol/fileNames';

/** Creates and returns a new empty folder for a run called `name` in `runsRoot`. */
export async function createRunFolder(runsRoot: string, name: string, now = new Date()): Promise<string> {
  await mkdir(runsRoot, { recursive: true });
  const base = join(runsRoot, `${fileStem(name)}-${timestamp(now)}`);
  for (let i = 1; ; i++) {
    const dir = i === 1 ? base : `${base}-${i}`;
    try {
      await mkdir(dir);
      return dir;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}
