// What file and folder names say: step-like names, the side files training frameworks write, temporaries.
import { basename, dirname } from 'node:path';
import { checkpointExtensions } from '../formats';

/**
 * Names that mean a step, tried in order on a name without its extension: a keyword then digits, bounded by
 * separators (`step-000100`, `epoch=2-step=300`, `checkpoint-500`, `ckpt-2000`, `iter_500`, `epoch_12`), or
 * a bare number. Digits of a model or shard name (`resnet18`, `-00001-of-00002`, `bert-base-768`) match none.
 */
const stepNames: readonly RegExp[] = [
  /(?:^|[-_.=\s])(?:global[-_]?)?step[-_=]?(\d+)(?=$|[-_.=\s])/i,
  /(?:^|[-_.=\s])(?:checkpoint|ckpt|iter|iteration)[-_=]?(\d+)(?=$|[-_.=\s])/i,
  /(?:^|[-_.=\s])epoch[-_=]?(\d+)(?=$|[-_.=\s])/i,
  /^(\d+)$/,
];

/** Extensions stripped before a name is read for a step. */
const extensionPattern = new RegExp(
  `(\\.index\\.json|${[...checkpointExtensions, '.json', '.tar'].map((e) => e.replace('.', '\\.')).join('|')})+$`,
  'i',
);

function stepOfName(name: string): number | null {
  const stem = name.replace(extensionPattern, '');
  for (const pattern of stepNames) {
    const match = pattern.exec(stem);
    if (match && Number.isSafeInteger(Number(match[1]))) return Number(match[1]);
  }
  return null;
}

/**
 * The step a path's name gives: its own name, else its folder's (`checkpoint-500/model.safetensors`,
 * `step-20/model.json`); null when neither is step-like.
 */
export function stepFromName(path: string): number | null {
  return stepOfName(basename(path)) ?? stepOfName(basename(dirname(path)));
}

/** Files a trainer writes next to the weights (optimizer, scheduler, RNG, arguments): recognised, never read. */
const sideFiles: readonly RegExp[] = [
  /^(optimizer|optim|scheduler|lr_scheduler|scaler|amp_scaler)([-_.].*)?\.(pt|pth|bin)$/i,
  /^rng_state.*\.pth$/i,
  /^training_args\.bin$/i,
  /_optim_states\.pt$/i,
];

export function isSideFile(name: string): boolean {
  return sideFiles.some((pattern) => pattern.test(basename(name)));
}

/** Files a writer has not renamed into place yet. */
export function isTemporary(name: string): boolean {
  return name.startsWith('.') || /\.(tmp|part|partial)$/i.test(name) || name.includes('.tmp-');
}

/** `model-00001-of-00002.safetensors`: one shard of a sharded checkpoint, whose index names it. */
export function isShardName(name: string): boolean {
  return /-\d+-of-\d+\.(safetensors|bin)$/i.test(name);
}
