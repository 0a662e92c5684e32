// A finished run as the host messages the panel replays: `init` from the engine's RunReport, then details.
import { stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { analyzeRun, layerDetail } from '../core/analyze';
import { neverCancelled } from '../core/cancel';
import { CoverCache } from '../core/coverCache';
import type { RunReport } from '../protocol/report';
import { lossByStep, readMetricsJsonl, readRunManifest } from '../core/run';
import type { RunManifest } from '../protocol/runFolder';
import type { AnalysisSettings } from '../protocol/settings';
import { initMessage, layerPoint, replayMessages } from '../protocol/initMessage';
import { manifestConfig } from '../protocol/runLabels';
import { checkpointNotes } from '../protocol/checkpointNotes';
import type { HostMessage, LayerDetail, LayerPoint } from '../protocol/panel';

export interface RunMessagesInput {
  /** The analysed folder (or checkpoint file). */
  target: string;
  report: RunReport;
  settings: AnalysisSettings;
  manifest?: Partial<RunManifest>;
  /** Loss per step from metrics.jsonl (empty when the run has none). */
  loss: Map<number, number>;
  details: LayerDetail[];
}

/** Step of a checkpoint, or its position when neither metadata nor name gives one. */
const stepOf = (c: RunReport['checkpoints'][number], index: number) => c.step ?? index;

export function runMessages(input: RunMessagesInput): HostMessage[] {
  const { report, settings } = input;
  const series: Record<string, LayerPoint[]> = {};
  report.checkpoints.forEach((c, i) => {
    for (const l of c.layers) {
      (series[l.name] ??= []).push(layerPoint(stepOf(c, i), l));
    }
  });
  const loss =
    input.loss.size > 0
      ? [...input.loss].map(([step, value]) => ({ step, loss: value })).sort((a, b) => a.step - b.step)
      : report.checkpoints.flatMap((c, i) => (c.loss === null ? [] : [{ step: stepOf(c, i), loss: c.loss }]));
  const analysed = report.checkpoints.filter((c) => c.error === null);
  const last = analysed[analysed.length - 1];
  const id = resolve(input.target);
  const config = input.manifest && manifestConfig(input.manifest);
  const init = initMessage([
    {
      run: {
        id,
        name: input.manifest?.name ?? basename(input.target),
        folder: input.target,
        status: 'finished',
        ...(input.manifest?.backend ? { backend: input.manifest.backend } : {}),
        ...(input.manifest?.preset ? { preset: input.manifest.preset } : {}),
        ...(last ? { step: stepOf(last, report.checkpoints.indexOf(last)) } : {}),
        ...(loss.length > 0 ? { loss: loss[loss.length - 1].loss } : {}),
        ...(config ? { config } : {}),
      },
      settings,
      layers: Object.keys(series),
      series,
      loss,
      problems: report.checkpoints
        .filter((c) => c.error !== null)
        .map((c) => ({ path: c.path, step: c.step, error: c.error as string })),
      notes: report.checkpoints.flatMap((c, i) => (c.notes?.length ? [checkpointNotes(c.path, stepOf(c, i), c)] : [])),
    },
  ]);
  return replayMessages(
    init,
    input.details.map((detail) => ({ run: id, detail })),
  );
}

/**
 * Analyses a run folder (or one checkpoint) and returns its messages, with the detail of every layer
 * at the analysed checkpoints `detailAt` picks (by position among them).
 */
export async function collectRunMessages(
  target: string,
  settings: AnalysisSettings,
  detailAt: (analysed: number) => number[],
  onProgress?: (done: number, total: number) => void,
  // The details reuse the covers of the summaries: each layer is clustered once.
  covers = new CoverCache(),
): Promise<{ messages: HostMessage[]; report: RunReport }> {
  const report = await analyzeRun(target, settings, { onProgress, covers });
  const isFolder = (await stat(target)).isDirectory();
  const root = isFolder ? target : dirname(target);
  const analysed = report.checkpoints.filter((c) => c.error === null && c.layers.length > 0);
  const pathOf = (c: RunReport['checkpoints'][number]) => (isFolder ? join(root, c.path) : target);
  const baseline = analysed.length > 1 ? pathOf(report.checkpoints[0]) : undefined;
  const details: LayerDetail[] = [];
  for (const i of detailAt(analysed.length)) {
    const c = analysed[i];
    if (!c) continue;
    for (const l of c.layers)
      if (!l.nonFinite) details.push(await layerDetail(pathOf(c), l.name, settings, baseline, neverCancelled, covers));
  }
  const manifest = isFolder ? await readRunManifest(target) : undefined;
  const loss = isFolder ? lossByStep(await readMetricsJsonl(target)) : new Map<number, number>();
  return { messages: runMessages({ target, report, settings, manifest, loss, details }), report };
}
