// A fresh temporary folder per suite, removed afterwards.
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

/** Registers mocha hooks and returns a function giving paths inside the suite's temporary folder. */
export function useTempDir(prefix = 'condensation-lens-test-'): (name: string) => string {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  return (name) => join(dir, name);
}
