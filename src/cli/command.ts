// The shape of a CLI command, and the usage error that maps to exit status 2.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { SimilarityMode } from '../protocol/settings';

export interface Command {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Full `--help` text. */
  readonly help: string;
  /** Returns the process exit status. */
  run(argv: string[]): Promise<number>;
}

/** A mistake in the command line: printed with a pointer to --help, exit status 2. */
export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs with `--help` added and its errors turned into UsageError. */
export function parseCommandLine<O extends Options>(argv: string[], options: O) {
  try {
    return parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** `--similarity signed|absolute`, signed by default. */
export function similarityOption(value: string | undefined): SimilarityMode {
  const mode = value ?? 'signed';
  if (mode !== 'signed' && mode !== 'absolute')
    throw new UsageError(`--similarity expects signed or absolute, got '${mode}'`);
  return mode;
}

/** `--threshold T`, a cosine similarity in [-1, 1]; undefined when not given. */
export function thresholdOption(value: string | undefined): number | undefined {
  return numberOption(value, '--threshold', (t) => t >= -1 && t <= 1);
}

/** Parses a numeric option, naming the option in the error. */
export function numberOption(
  value: string | undefined,
  flag: string,
  check: (n: number) => boolean = Number.isFinite,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !check(n)) throw new UsageError(`${flag} expects a number in range, got '${value}'`);
  return n;
}

/** `--next LAYER=NEXT` (or `LAYER=none`), repeatable: next layers named by hand. */
export function nextOption(values: readonly string[] | undefined): Record<string, string> {
  return Object.fromEntries(
    (values ?? []).map((value) => {
      const at = value.indexOf('=');
      if (at <= 0 || at === value.length - 1)
        throw new UsageError(`--next expects LAYER=NEXT or LAYER=none, got '${value}'`);
      return [value.slice(0, at), value.slice(at + 1)];
    }),
  );
}
