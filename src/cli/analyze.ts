// `condensation-lens analyze <file|folder>`: the docs/metrics.md figures as a table or docs/formats.md JSON.
import { analyzeRun, type LayerProgress } from '../core/analyze';
import { describeNoLayers } from '../core/layers/noLayers';
import { noCheckpointsMessage } from '../core/run';
import { displayText, escapeText, MAX_LINE_CHARS } from '../protocol/displayText';
import { blockOf, type RunReport } from '../protocol/report';
import { type Command, numberOption, parseCommandLine, similarityOption, thresholdOption, UsageError } from './command';
import { LAYER_OPTIONS, LAYER_OPTIONS_HELP, layerSettings } from './layerOptions';
import { formatTable } from './table';

const HELP = `usage: condensation-lens analyze <checkpoint file | run folder> [options]

Computes the condensation metrics of every layer of every checkpoint.
A run folder may be flat, hold checkpoints/, be a Hugging Face Trainer output_dir (checkpoint-N/ folders)
or a Lightning folder (lightning_logs/version_K/checkpoints/), or hold one folder per TF.js model; a
checkpoint may be a shard index (*.safetensors.index.json) or a checkpoint-N/ folder. Optimizer,
scheduler and RNG files beside the weights are left out.

options:
  --json                        print the docs/formats.md JSON report (version 1)
  --threshold T                 cluster threshold on cosine similarity, in [-1, 1] (default 0.95)
  --active-fraction F           active when A_k >= F * max A, in [0, 1] (default 0.05)
  --no-bias                     leave the bias out of the input vectors
  --similarity signed|absolute  |u_i . u_j| for odd activations such as tanh (default signed)
  --layer GLOB                  analyse only matching layers (repeatable)
${LAYER_OPTIONS_HELP}
  --max-neurons N               layers with more neurons get only active and stable rank (default 16384;
                                see docs/engine.md)
  --progress                    print each layer's summary to stderr as it is done, also when stderr is not a
                                terminal (on a terminal a progress line counts layers within checkpoints)

exit status: 0 when at least one checkpoint was analysed, 1 when none could be, 2 for a usage error.`;

function fixed(v: number | undefined | null, digits: number): string {
  return v === undefined || v === null ? '-' : Number.isInteger(v) ? String(v) : v.toFixed(digits);
}

/** A name inside `block` without the block's prefix, so grouped rows stay narrow. */
const within = (name: string, block: string | undefined) =>
  block && name.startsWith(`${block}.`) ? `  ${name.slice(block.length + 1)}` : name;

/** Where the analysis is: the checkpoint among the run's (when more than one) and the layer within it. */
function progressLine(p: LayerProgress): string {
  const at = p.checkpoints > 1 ? `checkpoint ${p.checkpoint}/${p.checkpoints}, ` : '';
  return `${at}layer ${p.layer}/${p.layers} ${displayText(p.summary.name)}`;
}

/** The progress line with the layer's summary, one line per layer (`--progress`). */
function streamedLine({ summary: l, ...p }: LayerProgress): string {
  const figures = l.nonFinite
    ? `${l.nonFinite} NaN/Inf values`
    : `${l.neurons} neurons, ${l.active} active, ${l.deferred ? 'clusters not computed' : `${l.clusters} clusters`}`;
  return `${progressLine({ summary: l, ...p })}: ${figures}`;
}

function table(report: RunReport): string {
  const rows: string[][] = [];
  for (const c of report.checkpoints) {
    if (c.error) continue;
    const head = [escapeText(c.path), fixed(c.step, 0), c.loss === null ? '-' : c.loss.toPrecision(4)];
    let shown: string | undefined;
    // Layers come in model order; a block's layers follow a row naming the block.
    for (const l of c.layers) {
      const block = blockOf(l.name);
      if (block && block !== shown) rows.push([...head, displayText(block)]);
      shown = block;
      const note = l.nonFinite
        ? `${l.nonFinite} NaN/Inf values`
        : l.deferred
          ? 'clusters not computed: more neurons than --max-neurons'
          : '';
      rows.push([
        ...head,
        displayText(within(l.name, block)),
        l.kind,
        l.next === null ? '-' : displayText(within(l.next, block).trim()),
        String(l.neurons),
        String(l.active),
        String(l.clusters),
        fixed(l.effectiveClusters, 2),
        fixed(l.stableRank, 2),
        String(l.largestCluster),
        fixed(l.relativeChange, 3),
        note,
      ]);
    }
  }
  const header = [
    'checkpoint',
    'step',
    'loss',
    'layer',
    'kind',
    'next',
    'neurons',
    'active',
    'clusters',
    'effective',
    'stable rank',
    'largest',
    'rel. change',
    '',
  ];
  return formatTable(header, rows, [1, 2, 6, 7, 8, 9, 10, 11, 12]);
}

export const analyzeCommand: Command = {
  name: 'analyze',
  summary: 'condensation metrics of a checkpoint or a run folder (table or --json)',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandLine(argv, {
      json: { type: 'boolean' },
      threshold: { type: 'string' },
      'active-fraction': { type: 'string' },
      'no-bias': { type: 'boolean' },
      similarity: { type: 'string' },
      layer: { type: 'string', multiple: true },
      ...LAYER_OPTIONS,
      'max-neurons': { type: 'string' },
      progress: { type: 'boolean' },
    });
    if (positionals.length !== 1) throw new UsageError('expects exactly one checkpoint file or run folder');
    const settings = {
      threshold: thresholdOption(values.threshold),
      activeFraction: numberOption(values['active-fraction'], '--active-fraction', (f) => f >= 0 && f <= 1),
      includeBias: !values['no-bias'],
      similarity: similarityOption(values.similarity),
      layers: values.layer ?? [],
      ...layerSettings(values),
      maxNeurons: numberOption(values['max-neurons'], '--max-neurons', (n) => Number.isInteger(n) && n >= 1),
    };
    const target = positionals[0];
    let report: RunReport;
    try {
      const interactive = !values.progress && !values.json && process.stderr.isTTY;
      report = await analyzeRun(target, settings, {
        onLayer: (p) => {
          if (values.progress) process.stderr.write(`${streamedLine(p)}\n`);
          else if (interactive) process.stderr.write(`\r\x1b[K${progressLine(p)}`);
        },
      });
      if (interactive) process.stderr.write('\r\x1b[K');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const reason = code === 'ENOENT' ? 'no such file or folder' : displayText((e as Error).message, MAX_LINE_CHARS);
      process.stderr.write(`${escapeText(target)}: ${reason}\n`);
      return 1;
    }
    for (const note of report.checkpoints.flatMap((c) => c.notes ?? [])) process.stderr.write(`warning: ${note}\n`);
    const failed = report.checkpoints.filter((c) => c.error);
    for (const c of failed) process.stderr.write(`${c.error}\n`);
    for (const c of report.checkpoints)
      if (c.noLayers) process.stderr.write(`warning: ${escapeText(c.path)}: ${describeNoLayers(c.noLayers)}\n`);
    if (report.checkpoints.length === 0) process.stderr.write(`${noCheckpointsMessage(escapeText(target))}\n`);
    const analysed = report.checkpoints.length > failed.length;
    if (values.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    else if (analysed) process.stdout.write(table(report) + '\n');
    return analysed ? 0 : 1;
  },
};
