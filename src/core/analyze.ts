// The engine's entry points: a checkpoint, a run folder, or one layer's detail.
import { basename, dirname, relative } from 'node:path';
import { stat } from 'node:fs/promises';
import type { LayerDetail } from '../protocol/panel';
import { type CancelCheck, neverCancelled } from './cancel';
import { type Checkpoint, CheckpointError } from './checkpoint';
import { checkpointKey, type CoverCache, type LayerMemo, noMemo } from './coverCache';
import type { OpenOptions } from './formats';
import { similarityHeatmap } from './heatmap';
import { kernelsFor } from './kernels/choose';
import { discoverLayers, type LayerSource, type LayerSpec, selectLayers } from './layers/discover';
import { readView } from './layers/views';
import { viewRows } from './layers/viewRows';
import { noLayersFound } from './layers/noLayers';
import { figuresWithoutClusters, neuronState, orientationOf } from './layerMetrics';
import type { Kernels } from './kernels/kernels';
import { computeNeurons, type Neurons } from './neurons';
import { Baseline } from './baseline';
import type { CheckpointReport, LayerSummary, RunReport } from '../protocol/report';
import type { CheckpointOutline } from '../protocol/worker';
import { SharedReads } from './sharedReads';
import {
  byStep,
  listCheckpoints,
  lossByStep,
  openEntry,
  readMetricsJsonl,
  readTrainerState,
  stepFromName,
} from './run';
import { type AnalysisSettings, withDefaults } from '../protocol/settings';
import { displayText, escapeText, MAX_LINE_CHARS } from '../protocol/displayText';

function layersOf(ckpt: LayerSource, s: AnalysisSettings): LayerSpec[] {
  return discoverLayers(ckpt, s.nextLayers, s.perHead);
}

/** Where a layer's tensors come from: a checkpoint, or its reads shared between layers (which let go of a layer's own weight once it is on the kernels). */
type LayerReads = Pick<Checkpoint, 'read'> & Partial<Pick<SharedReads, 'letGo'>>;

/**
 * A layer's neurons on the kernels that suit it, or the count of its NaN and infinite values. Its weight reaches the
 * kernels a block of rows at a time, its own weight is let go before the next layer's weight is read, and nothing of
 * either is held through the rest of its analysis (the kernels hold its unit directions).
 */
async function readNeurons(
  reads: LayerReads,
  spec: LayerSpec,
  s: AnalysisSettings,
  baseline?: Baseline,
  check: CancelCheck = neverCancelled,
): Promise<
  | { nonFinite: number; neurons: number; inputDim: number }
  | { kernels: Kernels; nr: Neurons; change: { relativeChange?: number } }
> {
  const weight = viewRows(reads, spec.weight);
  const bias = spec.bias && (await readView(reads, spec.bias));
  const meter = await baseline?.meter(spec);
  const kernels = await kernelsFor(weight);
  const next = spec.next?.weight;
  const nextWeights = async () => {
    reads.letGo?.();
    return next && { data: await readView(reads, next), shape: next.shape, groups: spec.nextGroups };
  };
  // A superseded job stops between blocks of rows as between blocks of the cover.
  const onRows = async (first: number, rows: Float32Array) => {
    check();
    await meter?.add(first, rows);
  };
  const nr = await computeNeurons(
    kernels,
    { weight, bias, next: nextWeights },
    s.includeBias,
    s.activeFraction,
    onRows,
  );
  if ('nonFinite' in nr) {
    const inputDim = weight.cols + (s.includeBias && bias ? 1 : 0);
    return { nonFinite: nr.nonFinite, neurons: weight.rows, inputDim };
  }
  const relativeChange = meter?.value(bias);
  return { kernels, nr, change: relativeChange === undefined ? {} : { relativeChange } };
}

async function summarizeLayer(
  ckpt: LayerReads,
  spec: LayerSpec,
  s: AnalysisSettings,
  baseline?: Baseline,
  check: CancelCheck = neverCancelled,
  onRequest = true,
  memo: LayerMemo = noMemo,
): Promise<LayerSummary> {
  const head = { name: spec.name, kind: spec.kind, next: spec.next?.name ?? null, view: spec.view };
  const read = await readNeurons(ckpt, spec, s, baseline, check);
  if ('nonFinite' in read) {
    const { nonFinite, neurons, inputDim } = read;
    return {
      ...head,
      neurons,
      inputDim,
      active: 0,
      clusters: 0,
      effectiveClusters: 0,
      stableRank: 0,
      largestCluster: 0,
      nonFinite,
    };
  }
  const { kernels, nr, change } = read;
  if (!onRequest && nr.count > s.maxNeurons)
    return { ...head, ...figuresWithoutClusters(kernels, nr, memo), ...change, deferred: true };
  const state = neuronState(kernels, nr, s, false, check, memo);
  kernels.release(state.neurons.units);
  return { ...head, ...state.figures, ...change };
}

function metadataNumber(ckpt: Checkpoint, key: string): number | null {
  const v = Number(ckpt.metadata[key]);
  return ckpt.metadata[key] !== undefined && Number.isFinite(v) ? v : null;
}

/** The layers the settings select of a checkpoint, in model order. */
function selectedLayers(ckpt: LayerSource, s: AnalysisSettings): LayerSpec[] {
  return selectLayers(layersOf(ckpt, s), s.layers, s.excludeLayers, s.includeEmbeddings);
}

/** The memo of `spec` in `covers`, or none. */
async function memoOf(covers: CoverCache | undefined, ckpt: Checkpoint, spec: LayerSpec, s: AnalysisSettings) {
  return covers ? covers.memo(await checkpointKey(ckpt), spec, s) : noMemo;
}

/** Called after each layer of a checkpoint with its summary and how many of the checkpoint's layers are done. */
export type LayerDone = (summary: LayerSummary, done: number, total: number) => void;

export interface CheckpointOptions {
  /** The path as the report shows it (default: the file's name). */
  display?: string;
  /** The folder the report's file lists are relative to (default: the file's folder). */
  root?: string;
  /** Keeps each layer's cover for a later detail of the same layer. */
  covers?: CoverCache;
  onLayer?: LayerDone;
}

/** Analyses every selected layer of an opened checkpoint; layers above `maxNeurons` without their clusters. */
export async function analyzeCheckpoint(
  ckpt: Checkpoint,
  settings: AnalysisSettings,
  baseline?: Baseline,
  { covers, onLayer }: CheckpointOptions = {},
): Promise<LayerSummary[]> {
  const layers = selectedLayers(ckpt, settings);
  const shared = new SharedReads(ckpt);
  const fileKey = covers && (await checkpointKey(ckpt));
  const lastUse = new Map<string, number>();
  layers.forEach((l, i) => storedTensors(l).forEach((name) => lastUse.set(name, i)));
  const out: LayerSummary[] = [];
  for (const [i, spec] of layers.entries()) {
    shared.nextLayer(new Set([...lastUse].filter(([, last]) => last > i).map(([name]) => name)));
    const memo = covers && fileKey ? covers.memo(fileKey, spec, settings) : noMemo;
    out.push(await summarizeLayer(shared, spec, settings, baseline, neverCancelled, false, memo));
    onLayer?.(out[out.length - 1], out.length, layers.length);
  }
  return out;
}

/** The stored tensors a layer reads. */
function storedTensors(l: LayerSpec): string[] {
  return [l.weight, l.bias, l.next?.weight].flatMap((v) => (v ? [v.tensor.name] : []));
}

/** The report's one-line error: the display path and the reason, both escaped (a name may hold a newline). */
function describe(e: unknown, display: string): string {
  const reason =
    e instanceof CheckpointError ? e.reason : displayText(e instanceof Error ? e.message : e, MAX_LINE_CHARS);
  return `${escapeText(display)}: ${reason}`;
}

/** Paths as a report shows them: relative to `root`, with forward slashes. */
function displayPath(root: string, path: string): string {
  return relative(root, path).split('\\').join('/');
}

/** One checkpoint (a file, a shard index, a checkpoint folder) → its report entry; one that cannot be read keeps its entry with the error. */
export function analyzeCheckpointFile(
  path: string,
  settings: AnalysisSettings,
  baseline?: Baseline,
  options: CheckpointOptions = {},
): Promise<CheckpointReport> {
  const { display = basename(path), root = dirname(path) } = options;
  return checkpointEntry(path, settings, display, root, (ckpt) => analyzeCheckpoint(ckpt, settings, baseline, options));
}

/** A checkpoint's entry with its selected layers named but not analysed (header reads only): what to ask per layer. */
export function outlineCheckpointFile(path: string, settings: AnalysisSettings): Promise<CheckpointOutline> {
  return checkpointEntry(path, settings, basename(path), dirname(path), async (ckpt) =>
    selectedLayers(ckpt, settings).map((l) => ({ name: l.name, kind: l.kind, neurons: l.weight.shape[0] })),
  );
}

/** Opens a checkpoint and makes its report entry around the layers `entriesOf` gives; one that cannot be read keeps its entry with the error. */
async function checkpointEntry<L>(
  path: string,
  settings: AnalysisSettings,
  display: string,
  root: string,
  entriesOf: (ckpt: Checkpoint) => Promise<L[]>,
): Promise<Omit<CheckpointReport, 'layers'> & { layers: L[] }> {
  let ckpt: Checkpoint | undefined;
  try {
    ckpt = await openEntry(path, { strict: settings.strict });
    const layers = await entriesOf(ckpt);
    const files = ckpt.files && ckpt.files.length > 1 ? { files: ckpt.files.map((f) => displayPath(root, f)) } : {};
    return {
      path: display,
      step: ckpt.step ?? stepFromName(path),
      loss: metadataNumber(ckpt, 'loss'),
      layers,
      error: null,
      ...(ckpt.notes?.length ? { notes: ckpt.notes.map((note) => `${escapeText(display)}: ${note}`) } : {}),
      ...files,
      ...(layers.length === 0 ? { noLayers: noLayersFound(ckpt.tensors) } : {}),
    };
  } catch (e) {
    const incomplete = e instanceof CheckpointError && e.maybeIncomplete;
    return {
      path: display,
      step: stepFromName(path),
      loss: null,
      layers: [],
      error: describe(e, display),
      ...(incomplete ? { incomplete } : {}),
    };
  } finally {
    await ckpt?.close().catch(() => undefined);
  }
}

function reportSettings(s: AnalysisSettings): RunReport['settings'] {
  return {
    threshold: s.threshold,
    activeFraction: s.activeFraction,
    includeBias: s.includeBias,
    similarity: s.similarity,
  };
}

/** The metadata step of each checkpoint (header reads only), for ordering a run. */
async function withMetadataSteps(dir: string, options: OpenOptions) {
  const entries = await listCheckpoints(dir);
  for (const e of entries) {
    const ckpt = await openEntry(e.path, options).catch(() => undefined);
    if (ckpt?.step !== undefined) e.step = ckpt.step;
    await ckpt?.close();
  }
  return entries.sort(byStep);
}

/** Where a run's analysis is: the checkpoint (1-based, of `checkpoints`) whose `layer`-th of `layers` is done. */
export interface LayerProgress {
  checkpoint: number;
  checkpoints: number;
  layer: number;
  layers: number;
  summary: LayerSummary;
}

export interface RunOptions {
  /** Called after each checkpoint. */
  onProgress?: (done: number, total: number) => void;
  /** Called after each layer within a checkpoint. */
  onLayer?: (progress: LayerProgress) => void;
  /** Keeps each layer's cover for the details asked after (a report's). */
  covers?: CoverCache;
}

/** A checkpoint file or a run folder → the `analyze --json` report (docs/formats.md version 1). */
export async function analyzeRun(
  target: string,
  partial: Partial<AnalysisSettings> = {},
  { onProgress, onLayer, covers }: RunOptions = {},
): Promise<RunReport> {
  const settings = withDefaults(partial);
  const layerDone = (checkpoint: number, checkpoints: number): LayerDone | undefined =>
    onLayer && ((summary, layer, layers) => onLayer({ checkpoint, checkpoints, layer, layers, summary }));
  if (!(await stat(target)).isDirectory()) {
    const report = await analyzeCheckpointFile(target, settings, undefined, {
      display: target,
      covers,
      onLayer: layerDone(1, 1),
    });
    onProgress?.(1, 1);
    return { version: 1, settings: reportSettings(settings), checkpoints: [report] };
  }
  const entries = await withMetadataSteps(target, { strict: settings.strict });
  const losses = new Map([
    ...((await readTrainerState(target))?.losses ?? []),
    ...lossByStep(await readMetricsJsonl(target)),
  ]);
  const baseline = entries.length > 1 ? new Baseline(entries[0].path, { strict: settings.strict }) : undefined;
  const checkpoints: CheckpointReport[] = [];
  try {
    for (const [i, e] of entries.entries()) {
      const report = await analyzeCheckpointFile(e.path, settings, baseline, {
        display: e.name,
        root: target,
        covers,
        onLayer: layerDone(i + 1, entries.length),
      });
      if (report.loss === null && report.step !== null) report.loss = losses.get(report.step) ?? null;
      checkpoints.push(report);
      onProgress?.(i + 1, entries.length);
    }
  } finally {
    await baseline?.close();
  }
  return { version: 1, settings: reportSettings(settings), checkpoints };
}

/**
 * Opens `path`, hands `use` the checkpoint, its layer named `layer` and that layer's memo in `covers`, and closes
 * the file whatever happens.
 */
async function withLayer<T>(
  path: string,
  layer: string,
  s: AnalysisSettings,
  use: (ckpt: Checkpoint, spec: LayerSpec, memo: LayerMemo) => Promise<T>,
  covers?: CoverCache,
): Promise<T> {
  const ckpt = await openEntry(path, { strict: s.strict });
  try {
    const spec = namedLayer(ckpt, path, layer, s);
    return await use(ckpt, spec, await memoOf(covers, ckpt, spec, s));
  } finally {
    await ckpt.close();
  }
}

function namedLayer(
  ckpt: Checkpoint,
  path: string,
  layer: string,
  s: AnalysisSettings,
  layers = layersOf(ckpt, s),
): LayerSpec {
  const spec = layers.find((l) => l.name === layer);
  if (!spec) throw new CheckpointError(path, `has no layer named '${layer}'`);
  return spec;
}

/**
 * One layer of a checkpoint that stays open between requests (the worker's per-layer request): its tensors come
 * through `reads`, which keeps those of the layer before that other layers read too (a layer's next weight is the
 * following layer's own), so each is read once, while the layer's own weight is let go once its directions are on the
 * kernels; its cover is kept in `covers` for a later detail.
 */
export async function analyzeOpenLayer(
  ckpt: Checkpoint,
  reads: SharedReads,
  layer: string,
  settings: AnalysisSettings,
  baseline?: Baseline,
  check: CancelCheck = neverCancelled,
  onRequest = true,
  covers?: CoverCache,
): Promise<LayerSummary> {
  const layers = layersOf(ckpt, settings);
  const spec = namedLayer(ckpt, ckpt.path, layer, settings, layers);
  // Requests come in any order: the tensors other layers read are kept, this layer's own weight is let go.
  reads.nextLayer(new Set(layers.filter((l) => l !== spec).flatMap(storedTensors)));
  return summarizeLayer(reads, spec, settings, baseline, check, onRequest, await memoOf(covers, ckpt, spec, settings));
}

/** One layer of one checkpoint file → its summary (its cover kept in `covers`). */
export async function analyzeLayerFile(
  path: string,
  layer: string,
  settings: AnalysisSettings,
  baseline?: Baseline,
  check: CancelCheck = neverCancelled,
  covers?: CoverCache,
): Promise<LayerSummary> {
  return withLayer(
    path,
    layer,
    settings,
    (ckpt, spec, memo) => summarizeLayer(ckpt, spec, settings, baseline, check, true, memo),
    covers,
  );
}

/**
 * A layer's neurons on the kernels that suit it (its tensors let go), its checkpoint's step and its memo in `covers`;
 * NaN or infinite weights are refused.
 */
function finiteNeurons(path: string, layer: string, s: AnalysisSettings, check: CancelCheck, covers?: CoverCache) {
  return withLayer(
    path,
    layer,
    s,
    async (ckpt, spec, memo) => {
      const read = await readNeurons(ckpt, spec, s, undefined, check);
      if ('nonFinite' in read) throw new CheckpointError(path, `layer '${layer}' has NaN or infinite weights`);
      return { ...read, memo, step: ckpt.step ?? stepFromName(path) ?? 0 };
    },
    covers,
  );
}

/**
 * Orientation points, clusters and the ordered heatmap of one layer at one checkpoint; the cover and spectrum come
 * from `covers` when a summary of the same layer left them there.
 */
export async function layerDetail(
  path: string,
  layer: string,
  settings: AnalysisSettings,
  baselinePath?: string,
  check: CancelCheck = neverCancelled,
  covers?: CoverCache,
): Promise<LayerDetail> {
  const { kernels, nr, memo, step } = await finiteNeurons(path, layer, settings, check, covers);
  const state = neuronState(kernels, nr, settings, true, check, memo);
  let heatmap;
  try {
    const absolute = settings.similarity === 'absolute';
    heatmap = similarityHeatmap(kernels, state, settings.heatmapMaxNeurons, absolute, check);
  } finally {
    kernels.release(state.neurons.units);
  }
  let ghost: LayerDetail['ghost'];
  if (baselinePath && baselinePath !== path) {
    check();
    // The ghost points need the baseline's orientation and amplitudes only, not its clusters.
    const base = await finiteNeurons(baselinePath, layer, settings, check, covers);
    const ghostOf = orientationOf(base.kernels, base.nr, base.memo);
    ghost = { theta: [...ghostOf.theta], amplitude: [...ghostOf.amplitude] };
  }
  return {
    layer,
    step,
    theta: [...state.theta],
    amplitude: [...state.neurons.amplitude],
    cluster: [...state.clusterOf],
    ghost,
    heatmap: { ...heatmap, similarity: settings.similarity },
  };
}
