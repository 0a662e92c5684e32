// Sharded checkpoints: a Hugging Face `*.safetensors.index.json` / `pytorch_model.bin.index.json` maps every
// tensor to the shard holding it; the shards are opened as one checkpoint, in the index's tensor order.
import { basename, dirname, isAbsolute, join, relative, sep } from 'path';
import { CheckpointError, type Checkpoint, type TensorInfo } from '../checkpoint';
import { readerLimits } from './limits';
import { isPlainObject } from './safetensors';

export function looksLikeShardIndex(json: unknown): json is { weight_map: Record<string, unknown> } {
  return isPlainObject(json) && isPlainObject(json.weight_map);
}

/** The shard file names an index lists, in first-use order (for listing a folder without opening anything). */
export function shardNames(json: unknown): string[] {
  if (!looksLikeShardIndex(json)) return [];
  return [...new Set(Object.values(json.weight_map).filter((v): v is string => typeof v === 'string'))];
}

export async function openShardIndex(
  path: string,
  json: { weight_map: Record<string, unknown> },
  open: (file: string) => Promise<Checkpoint>,
): Promise<Checkpoint> {
  const names = shardNames(json);
  const what = `is a shard index of ${names.length} files`;
  if (names.length === 0)
    throw new CheckpointError(path, `${what}: its weight_map names no shard; the index is corrupt`);
  if (names.length > readerLimits.maxTfjsShards)
    throw new CheckpointError(path, `${what}, more than the ${readerLimits.maxTfjsShards} read; the index is corrupt`);
  const folder = dirname(path);
  const shards = new Map<string, Checkpoint>();
  try {
    for (const name of names) {
      const inFolder = !isAbsolute(name) && !relative(folder, join(folder, name)).split(sep).includes('..');
      if (!inFolder)
        throw new CheckpointError(path, `${what}; shard ${JSON.stringify(name)} is not next to the index (corrupt)`);
      shards.set(name, await openShard(path, what, join(folder, name), open));
    }
    return merge(path, json.weight_map, shards);
  } catch (err) {
    await Promise.all([...shards.values()].map((s) => s.close()));
    throw err;
  }
}

async function openShard(
  index: string,
  what: string,
  file: string,
  open: (file: string) => Promise<Checkpoint>,
): Promise<Checkpoint> {
  try {
    return await open(file);
  } catch (err) {
    const reason = err instanceof CheckpointError ? err.reason : String(err);
    // A missing or partial shard is most often one still being copied or written.
    throw new CheckpointError(
      index,
      `${what}; shard ${basename(file)} ${reason}; every shard must sit next to the index (or wait until it is written)`,
      true,
    );
  }
}

function merge(path: string, weightMap: Record<string, unknown>, shards: Map<string, Checkpoint>): Checkpoint {
  const owner = new Map<string, Checkpoint>();
  const listed = new Map([...shards].map(([file, s]) => [file, new Map(s.tensors.map((t) => [t.name, t]))]));
  const tensors: TensorInfo[] = [];
  for (const [name, shardName] of Object.entries(weightMap)) {
    const shard = shards.get(String(shardName))!;
    const tensor = listed.get(String(shardName))!.get(name);
    if (!tensor)
      throw new CheckpointError(
        path,
        `names tensor "${name}" in shard ${String(shardName)}, which does not hold it; re-save the model or fix the index`,
      );
    owner.set(name, shard);
    tensors.push(tensor);
  }
  const opened = [...shards.values()];
  return {
    path,
    format: opened[0].format,
    tensors,
    metadata: Object.assign({}, ...opened.map((s) => s.metadata)) as Record<string, string>,
    step: opened.find((s) => s.step !== undefined)?.step,
    files: [path, ...opened.map((s) => s.path)],
    read(name, rows) {
      const shard = owner.get(name);
      if (!shard) return Promise.reject(new CheckpointError(path, `has no tensor named "${name}"`));
      return shard.read(name, rows);
    },
    close: async () => {
      await Promise.all(opened.map((s) => s.close()));
    },
  };
}
