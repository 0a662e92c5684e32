// Paths of the committed fixtures and their independently computed expectations (test/fixtures/expected.json).
import { readFileSync } from 'fs';
import { join, resolve } from 'path';

export const fixturesDir = resolve(__dirname, '../../fixtures');

export function fixturePath(relative: string): string {
  return join(fixturesDir, relative);
}

export interface ExpectedTensor {
  readonly dtype: string;
  readonly shape: number[];
  readonly sum: number;
  readonly first: number[];
}

export interface ExpectedCheckpoint {
  readonly format: string;
  readonly step: number | null;
  readonly tensors: Record<string, ExpectedTensor>;
}

/** expected.json's per-checkpoint entries, keyed by path relative to test/fixtures. */
export const expectedCheckpoints: Record<string, ExpectedCheckpoint> = JSON.parse(
  readFileSync(fixturePath('expected.json'), 'utf8'),
).checkpoints;
