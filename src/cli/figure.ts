// `condensation-lens figure <run|checkpoint> --view … -o FILE`: one figure of the panel as SVG or PNG, for papers.
import { existsSync } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { analyzeRun, layerDetail } from '../core/analyze';
import { neverCancelled } from '../core/cancel';
import { CoverCache } from '../core/coverCache';
import type { LayerDetail } from '../protocol/panel';
import type { CheckpointReport } from '../protocol/report';
import { type AnalysisSettings, withDefaults } from '../protocol/settings';
import { orientationModel, trajectoryNeurons, trajectorySteps, type OrientationStyle } from '../report/orientation';
import { PAPER_PALETTE } from '../report/palette';
import { activeOnlyByDefault, EXPORT_MAX_CELLS, similarityModel } from '../report/similarity';
import { stepCharts } from '../report/steps';
import type { FigureCaption } from '../report/svg/caption';
import { orientationSvg } from '../report/svg/orientation';
import { similaritySvg } from '../report/svg/similarity';
import { stepsSvg } from '../report/svg/steps';
import { type Command, parseCommandLine, similarityOption, thresholdOption, UsageError } from './command';
import { rasterise } from './rasterise';
import { LAYER_OPTIONS, LAYER_OPTIONS_HELP, layerSettings } from './layerOptions';
import { runMessages } from './reportMessages';

const HELP = `usage: condensation-lens figure <run folder | checkpoint file> --view orientation|similarity|steps -o FILE [options]

Draws one figure of the inspector panel as SVG (vector) or PNG, with a caption naming the run,
layer, step, threshold and similarity mode.

options:
  --view orientation|similarity|steps
                                the (θ, A) scatter, the cosine-similarity heatmap, or the series over steps
  -o, --out FILE                the file to write (.svg or .png)
  --layer NAME                  the layer (default: the first; for steps, every layer)
  --step N                      the checkpoint step (default: the last)
  --format svg|png              default: from the -o extension, else svg
  --scale 1|2|4                 PNG pixels per SVG unit (default 2)
  --style paper|clusters        orientation colours: active red / static grey, or one colour per cluster (default paper)
  --trajectories                orientation: each active neuron's path over the last checkpoints
  --log-a                       orientation: A on a log axis
  --all-neurons                 similarity: every neuron, even when fewer than half are active
  --active                      steps: the active-neuron count, on its own chart
  --threshold T                 cluster threshold on cosine similarity, in [-1, 1] (default 0.95)
  --similarity signed|absolute  |u_i . u_j| for odd activations such as tanh (default signed)
${LAYER_OPTIONS_HELP}

exit status: 0 when the figure was written, 1 when the input cannot be read or the file cannot be
written, 2 for a usage error (unknown option, layer or step).`;

const VIEWS = ['orientation', 'similarity', 'steps'] as const;
type View = (typeof VIEWS)[number];
const FORMATS = ['svg', 'png'] as const;
const SCALES = ['1', '2', '4'] as const;
const STYLES: readonly OrientationStyle[] = ['paper', 'clusters'];

const TITLES: Record<View, string> = {
  orientation: 'Orientation θ and amplitude A of each neuron',
  similarity: 'Cosine similarity between neurons',
  steps: 'Condensation over training steps',
};

function choice<T extends string>(value: string | undefined, flag: string, allowed: readonly T[], fallback?: T): T {
  const v = value ?? fallback;
  if (v === undefined) throw new UsageError(`${flag} is required: ${allowed.join(', ')}`);
  if (!allowed.includes(v as T)) throw new UsageError(`${flag} expects ${allowed.join(' or ')}, got '${v}'`);
  return v as T;
}

/** A failure of the input or output, not of the command line: one line, exit status 1. */
class InputError extends Error {}

const fail = (e: Error): never => {
  throw new InputError(e.message);
};

interface Analysed {
  checkpoint: CheckpointReport;
  path: string;
  step: number;
}

export const figureCommand: Command = {
  name: 'figure',
  summary: 'draw one figure (orientation, similarity, steps) as SVG or PNG with a caption, for papers',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandLine(argv, {
      view: { type: 'string' },
      out: { type: 'string', short: 'o' },
      layer: { type: 'string' },
      step: { type: 'string' },
      format: { type: 'string' },
      scale: { type: 'string' },
      style: { type: 'string' },
      trajectories: { type: 'boolean' },
      'log-a': { type: 'boolean' },
      'all-neurons': { type: 'boolean' },
      active: { type: 'boolean' },
      threshold: { type: 'string' },
      similarity: { type: 'string' },
      ...LAYER_OPTIONS,
    });
    if (positionals.length !== 1) throw new UsageError('expects exactly one run folder or checkpoint file');
    const view = choice(values.view, '--view', VIEWS);
    if (!values.out) throw new UsageError('-o FILE is required (.svg or .png)');
    const out = values.out;
    const format = choice(values.format, '--format', FORMATS, extname(out).toLowerCase() === '.png' ? 'png' : 'svg');
    const scale = Number(choice(values.scale, '--scale', SCALES, '2'));
    const style = choice(values.style, '--style', STYLES, 'paper');
    const step = values.step === undefined ? undefined : Number(values.step);
    if (step !== undefined && !Number.isInteger(step))
      throw new UsageError(`--step expects a whole number, got '${values.step}'`);
    const settings = withDefaults({
      threshold: thresholdOption(values.threshold),
      similarity: similarityOption(values.similarity),
      ...layerSettings(values),
    });
    const target = positionals[0];
    try {
      if (!existsSync(target))
        throw new InputError(`${target}: no such file or folder; give a run folder or a checkpoint file.`);
      const figure = await buildFigure(target, view, settings, {
        layer: values.layer,
        step,
        style,
        trajectories: !!values.trajectories,
        logA: !!values['log-a'],
        allNeurons: !!values['all-neurons'],
        active: !!values.active,
      });
      const data = format === 'png' ? await rasterise(figure, scale).catch(fail) : figure;
      await writeFile(out, data).catch((e: NodeJS.ErrnoException) => {
        throw new InputError(
          `${out}: cannot write the figure (${e.code === 'ENOENT' ? 'its folder does not exist' : e.message}); choose another -o path.`,
        );
      });
      process.stdout.write(`wrote ${out}\n`);
      return 0;
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      process.stderr.write(`condensation-lens figure: ${e.message}\n`);
      return 1;
    }
  },
};

interface FigureOptions {
  layer?: string;
  step?: number;
  style: OrientationStyle;
  trajectories: boolean;
  logA: boolean;
  allNeurons: boolean;
  active: boolean;
}

async function buildFigure(target: string, view: View, settings: AnalysisSettings, o: FigureOptions): Promise<string> {
  // The detail reuses the cover of its summary: the layer is clustered once.
  const covers = new CoverCache();
  const report = await analyzeRun(target, settings, { covers });
  const isFolder = (await stat(target)).isDirectory();
  const analysed: Analysed[] = report.checkpoints
    .map((c, i) => ({ checkpoint: c, path: isFolder ? join(target, c.path) : target, step: c.step ?? i }))
    .filter((a) => a.checkpoint.error === null && a.checkpoint.layers.length > 0);
  if (analysed.length === 0) {
    const first = report.checkpoints.find((c) => c.error)?.error;
    throw new InputError(first ?? `${target}: no checkpoint with a layer to analyse.`);
  }
  const layers = [...new Set(analysed.flatMap((a) => a.checkpoint.layers.map((l) => l.name)))];
  if (o.layer !== undefined && !layers.includes(o.layer))
    throw new UsageError(`--layer: no layer named '${o.layer}'; layers: ${layers.join(', ')}`);
  const steps = analysed.map((a) => a.step);
  if (o.step !== undefined && !steps.includes(o.step))
    throw new UsageError(`--step: no checkpoint at step ${o.step}; steps: ${steps.join(', ')}`);
  const at = o.step === undefined ? analysed[analysed.length - 1] : analysed.find((a) => a.step === o.step)!;
  const init = runMessages({ target, report, settings, loss: new Map(), details: [] })[0];
  if (init.type !== 'init') throw new Error('runMessages starts with init');
  const [state] = init.runs;
  const layer = o.layer ?? layers[0];
  const caption: FigureCaption = {
    title: TITLES[view],
    run: state.run.name,
    threshold: settings.threshold,
    similarity: settings.similarity,
    ...(view === 'steps' ? (o.layer !== undefined ? { layer } : {}) : { layer, step: at.step }),
  };
  if (view === 'steps') {
    const charts = stepCharts({
      shown: o.layer ? [layer] : layers,
      multiples: false,
      showStableRank: false,
      showActive: o.active,
    });
    return stepsSvg({ charts, series: state.series, loss: state.loss, logX: false }, caption, PAPER_PALETTE);
  }
  const baseline = analysed.length > 1 ? analysed[0].path : undefined;
  const detail = await readDetail(at.path, layer, settings, covers, baseline);
  if (view === 'similarity') {
    const activeOnly = !o.allNeurons && activeOnlyByDefault(detail.cluster);
    const model = similarityModel(detail.heatmap, detail.cluster, activeOnly, EXPORT_MAX_CELLS);
    return similaritySvg(model, settings.similarity, caption, PAPER_PALETTE);
  }
  const frames = [];
  if (o.trajectories)
    for (const s of trajectorySteps(steps, at.step)) {
      const a = analysed.find((x) => x.step === s)!;
      frames.push(a === at ? detail : await readDetail(a.path, layer, settings, covers));
    }
  const inputDim = at.checkpoint.layers.find((l) => l.name === layer)?.inputDim;
  const model = orientationModel(
    detail,
    { style: o.style, logA: o.logA, normalise: false },
    inputDim,
    PAPER_PALETTE.clusters.length,
    frames,
    o.trajectories ? trajectoryNeurons(detail, []) : [],
  );
  return orientationSvg(model, o.style, caption, PAPER_PALETTE);
}

async function readDetail(
  path: string,
  layer: string,
  settings: AnalysisSettings,
  covers: CoverCache,
  baseline?: string,
): Promise<LayerDetail> {
  try {
    return await layerDetail(path, layer, settings, baseline, neverCancelled, covers);
  } catch (e) {
    throw new InputError((e as Error).message);
  }
}
