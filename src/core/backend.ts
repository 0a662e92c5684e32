// TensorFlow.js backend selection, shared by the engine and the trainer.
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type BackendChoice = 'auto' | 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

/** The npm package that provides each native backend, and how a user installs it. */
const NATIVE_PACKAGES: Record<'tensorflow-gpu' | 'tensorflow', string> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
};

export class BackendError extends Error {}

/** Loads a native backend package from the first search folder that has it (workspace first). */
function loadNative(pkg: string, searchDirs: readonly string[]): boolean {
  for (const dir of [...searchDirs, __dirname]) {
    try {
      createRequire(join(dir, 'noop.js'))(pkg);
      return true;
    } catch {
      // not installed here, or its native library failed to load: try the next folder
    }
  }
  return false;
}

/** Folder holding the tfjs-backend-wasm binaries: next to the bundle in dist/, else the package. */
function wasmDir(): string {
  if (existsSync(join(__dirname, 'tfjs-backend-wasm.wasm'))) return __dirname;
  return dirname(createRequire(__filename).resolve('@tensorflow/tfjs-backend-wasm'));
}

async function activate(name: string): Promise<boolean> {
  try {
    return (await tf.setBackend(name)) && tf.getBackend() === name;
  } catch {
    return false;
  }
}

async function tryChoice(choice: Exclude<BackendChoice, 'auto'>, searchDirs: readonly string[]): Promise<boolean> {
  if (choice === 'cpu') return activate('cpu');
  if (choice === 'wasm') {
    setWasmPaths(wasmDir() + '/');
    return activate('wasm');
  }
  return loadNative(NATIVE_PACKAGES[choice], searchDirs) && activate('tensorflow');
}

let active: Promise<string> | undefined;

/**
 * Activates a backend and returns the name of the one in use. `auto` tries the GPU and CPU
 * native bindings, then WebAssembly, then plain JavaScript; a named backend that cannot load
 * throws a BackendError that says how to install it.
 */
export async function useBackend(choice: BackendChoice = 'auto', searchDirs: readonly string[] = []): Promise<string> {
  tf.env().set('PROD', true);
  const order: Exclude<BackendChoice, 'auto'>[] =
    choice === 'auto' ? ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] : [choice];
  for (const c of order) {
    if (await tryChoice(c, searchDirs)) return c;
  }
  const hint =
    choice === 'tensorflow-gpu' || choice === 'tensorflow'
      ? `install it with \`npm install ${NATIVE_PACKAGES[choice]}\` in your workspace (it downloads libtensorflow), or choose --backend wasm`
      : 'choose --backend cpu';
  throw new BackendError(`the TensorFlow.js backend '${choice}' could not be loaded: ${hint}`);
}

/** The engine's backend: chosen once per process (auto), shared by every analysis. */
export function engineBackend(): Promise<string> {
  active ??= useBackend('auto');
  return active;
}
