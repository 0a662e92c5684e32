// Fresh run folders under the runs folder: `<name>-<yyyymmdd-hhmmss>`, never reusing one.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** Creates and returns a new empty folder for a run called `name` in `runsRoot`. */
export async function createRunFolder(runsRoot: string, name: string, now = new Date()): Promise<string> {
  await mkdir(runsRoot, { recursive: true });
  const base = join(runsRoot, `${name.replace(/[^\w.-]+/g, '_')}-${stamp(now)}`);
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
