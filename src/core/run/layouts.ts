// How training frameworks lay out a run folder, as a table of detectors; the first that finds checkpoints wins.
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { CheckpointEntry } from '../checkpoint';
import { describeCheckpointKinds } from '../formats';
import { anySubfolder, folderCheckpoint, folderEntries, noSubfolders } from './entries';
import { byStep } from './steps';
import { TRAINER_STATE } from './trainerState';

export interface RunLayout {
  readonly name: string;
  /** What it looks for, in words (the message when nothing is found). */
  readonly looksFor: string;
  /** The checkpoints it finds in `dir`, or none when the layout does not apply. */
  find(dir: string): Promise<CheckpointEntry[]>;
}

async function isFolder(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

async function subfolders(dir: string, pattern: RegExp): Promise<string[]> {
  const dirents = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return dirents.filter((d) => d.isDirectory() && pattern.test(d.name)).map((d) => d.name);
}

const hfCheckpoint = /^checkpoint-\d+$/;

export const runLayouts: readonly RunLayout[] = [
  {
    name: 'Hugging Face Trainer',
    looksFor: 'checkpoint-N/ folders (a Trainer output_dir)',
    async find(dir) {
      const entries = await folderEntries(dir, '', (name) => hfCheckpoint.test(name));
      return entries.some((e) => e.folder !== undefined && hfCheckpoint.test(basename(e.folder))) ? entries : [];
    },
  },
  {
    name: 'checkpoint folder',
    looksFor: 'one checkpoint folder (a Hugging Face checkpoint-N/ with trainer_state.json)',
    async find(dir) {
      const hasState = (await stat(join(dir, TRAINER_STATE)).catch(() => undefined))?.isFile();
      const found = hasState ? await folderCheckpoint(dir, basename(dir)) : undefined;
      return found ? [found] : [];
    },
  },
  {
    name: 'Lightning',
    looksFor: 'lightning_logs/version_K/checkpoints/*.ckpt',
    async find(dir) {
      const logs = join(dir, 'lightning_logs');
      const found: CheckpointEntry[] = [];
      for (const version of await subfolders(logs, /^version_\d+$/)) {
        const folder = join(logs, version, 'checkpoints');
        if (await isFolder(folder))
          found.push(...(await folderEntries(folder, `lightning_logs/${version}/checkpoints/`)));
      }
      return found;
    },
  },
  {
    name: 'checkpoints folder',
    looksFor: '<run>/checkpoints/ (also Lightning\'s ModelCheckpoint(dirpath="checkpoints"))',
    async find(dir) {
      const folder = join(dir, 'checkpoints');
      return (await isFolder(folder)) ? folderEntries(folder, 'checkpoints/', anySubfolder) : [];
    },
  },
  {
    name: 'model folders',
    looksFor: 'one folder per checkpoint (<name>/model.json of TF.js, or any folder holding one model)',
    async find(dir) {
      const entries = await folderEntries(dir, '', anySubfolder);
      return entries.some((e) => e.folder !== undefined) ? entries : [];
    },
  },
  {
    name: 'flat',
    looksFor: `checkpoint files in the folder (${describeCheckpointKinds()})`,
    find: (dir) => folderEntries(dir, '', noSubfolders),
  },
];

export interface DetectedRun {
  /** The layout that found the checkpoints, or undefined when none did. */
  readonly layout?: string;
  /** In step order (steps known while listing; metadata may refine them). */
  readonly entries: CheckpointEntry[];
}

/** The checkpoints of a run folder, by the first layout that finds any. */
export async function detectRun(dir: string): Promise<DetectedRun> {
  for (const layout of runLayouts) {
    const entries = await layout.find(dir);
    if (entries.length > 0) return { layout: layout.name, entries: entries.sort(byStep) };
  }
  return { entries: [] };
}

/** Every checkpoint of a run folder, in step order: what `analyze`, the Runs tree and Open Run Folder list. */
export async function listCheckpoints(dir: string): Promise<CheckpointEntry[]> {
  return (await detectRun(dir)).entries;
}

/** One line for a folder where no layout found a checkpoint. */
export function noCheckpointsMessage(dir: string): string {
  return `${dir}: no checkpoints found; looked for ${runLayouts.map((l) => l.looksFor).join('; ')}`;
}
