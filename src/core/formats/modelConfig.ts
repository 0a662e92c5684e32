// The head counts of a Hugging Face model, from the config.json saved beside its weights: layer discovery needs
// them to split fused attention inputs and to follow grouped-query attention (docs/layers.md).
import { dirname, join } from 'path';
import { CheckpointError } from '../checkpoint';
import { FileOpenError, RandomAccessFile } from './fileAccess';
import { readModelJson } from './tfjs';
import { isPlainObject } from './safetensors';

/** config.json keys read, as metadata keys (GPT-2 names its head count `n_head`). */
const HEAD_KEYS: Readonly<Record<string, string>> = {
  num_attention_heads: 'num_attention_heads',
  n_head: 'num_attention_heads',
  num_key_value_heads: 'num_key_value_heads',
  head_dim: 'head_dim',
};

/**
 * The head counts of the config.json in the weights file's folder, as metadata entries; none when there is no
 * config.json. A config.json that cannot be read gives a note instead (the analysis goes on without it).
 */
export async function modelConfigMetadata(
  weights: string,
): Promise<{ metadata: Record<string, string>; note?: string }> {
  const path = join(dirname(weights), 'config.json');
  let file: RandomAccessFile;
  try {
    file = await RandomAccessFile.open(path);
  } catch (err) {
    if (err instanceof FileOpenError && err.code === 'ENOENT') return { metadata: {} };
    return { metadata: {}, note: `config.json beside it: ${reasonOf(err)}; its head counts are not used` };
  }
  try {
    const json = await readModelJson(file);
    const metadata: Record<string, string> = {};
    if (isPlainObject(json))
      for (const [key, name] of Object.entries(HEAD_KEYS)) {
        const value = json[key];
        if (Number.isSafeInteger(value) && (value as number) > 0 && !(name in metadata)) metadata[name] = String(value);
      }
    return { metadata };
  } catch (err) {
    return { metadata: {}, note: `config.json beside it: ${reasonOf(err)}; its head counts are not used` };
  } finally {
    await file.close();
  }
}

function reasonOf(err: unknown): string {
  return err instanceof CheckpointError ? err.reason : String(err);
}
