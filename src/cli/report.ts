// `condensation-lens report <run> -o report.html`: the inspector panel as one standalone HTML file.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { fileStem } from '../protocol/fileNames';
import { withDefaults } from '../protocol/settings';
import { standaloneReportHtml } from '../report/standalonePage';
import { type Command, parseCommandLine, similarityOption, thresholdOption, UsageError } from './command';
import { LAYER_OPTIONS, LAYER_OPTIONS_HELP, layerSettings } from './layerOptions';
import { collectRunMessages } from './reportMessages';

const HELP = `usage: condensation-lens report <run folder | checkpoint file> [-o report.html] [options]

Writes the inspector panel of a run as one HTML file that opens in any browser, offline:
cluster counts over steps, the Layers table, and the orientation plot and similarity heatmap
of every layer at the last checkpoint.

options:
  -o, --out FILE                the HTML file to write (default <run name>-report.html)
  --threshold T                 cluster threshold on cosine similarity, in [-1, 1] (default 0.95)
  --similarity signed|absolute  |u_i . u_j| for odd activations such as tanh (default signed)
  --no-detail                   leave out the orientation plot and heatmap (a smaller file)
  --layer GLOB                  report only matching layers (repeatable)
${LAYER_OPTIONS_HELP}

exit status: 0 when the report was written, 1 when no checkpoint could be analysed or the
panel bundle is missing, 2 for a usage error.`;

/** dist/webview next to the CLI bundle (dist/cli.js), or the built one when run from the sources. */
function bundleDir(): string | undefined {
  return [join(__dirname, 'webview'), join(__dirname, '..', '..', 'dist', 'webview')].find(
    (d) => existsSync(join(d, 'panel.js')) && existsSync(join(d, 'panel.css')),
  );
}

export const reportCommand: Command = {
  name: 'report',
  summary: 'write a standalone HTML report of a run (charts, Layers table, heatmap), no network needed',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandLine(argv, {
      out: { type: 'string', short: 'o' },
      threshold: { type: 'string' },
      similarity: { type: 'string' },
      'no-detail': { type: 'boolean' },
      layer: { type: 'string', multiple: true },
      ...LAYER_OPTIONS,
    });
    if (positionals.length !== 1) throw new UsageError('expects exactly one run folder or checkpoint file');
    const target = positionals[0];
    if (!existsSync(target)) {
      process.stderr.write(
        `condensation-lens report: ${target}: no such file or folder; give a run folder or a checkpoint file.\n`,
      );
      return 1;
    }
    const dir = bundleDir();
    if (!dir) {
      process.stderr.write(
        `condensation-lens report: the panel bundle (dist/webview/panel.js) is missing next to ${__dirname}; run 'npm run build' first.\n`,
      );
      return 1;
    }
    const settings = withDefaults({
      threshold: thresholdOption(values.threshold),
      similarity: similarityOption(values.similarity),
      layers: values.layer ?? [],
      ...layerSettings(values),
    });
    const lastOnly = (n: number) => (values['no-detail'] || n === 0 ? [] : [n - 1]);
    const { messages, report } = await collectRunMessages(target, settings, lastOnly);
    const analysed = report.checkpoints.filter((c) => c.error === null);
    for (const c of report.checkpoints) if (c.error) process.stderr.write(`${c.error}\n`);
    if (analysed.length === 0) {
      process.stderr.write(
        `condensation-lens report: no checkpoint in ${target} could be analysed; nothing written.\n`,
      );
      return 1;
    }
    const init = messages[0];
    const run = init.type === 'init' ? init.runs[0] : undefined;
    const name = run?.run.name ?? basename(resolve(target));
    const [script, style] = await Promise.all([
      readFile(join(dir, 'panel.js'), 'utf8'),
      readFile(join(dir, 'panel.css'), 'utf8'),
    ]);
    const out = values.out ?? `${fileStem(name)}-report.html`;
    const html = await standaloneReportHtml({ title: `${name} · Condensation Lens`, messages, script, style });
    try {
      await writeFile(out, html);
    } catch (e) {
      process.stderr.write(
        `condensation-lens report: ${out}: cannot write the report (${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'its folder does not exist' : (e as Error).message}); choose another -o path.\n`,
      );
      return 1;
    }
    const layers = run?.layers.length ?? 0;
    process.stdout.write(
      `wrote ${out}: ${analysed.length} checkpoint${analysed.length === 1 ? '' : 's'}, ${layers} layer${layers === 1 ? '' : 's'}, ${(html.length / 1e6).toFixed(1)} MB\n`,
    );
    return 0;
  },
};
