// What a CodeLens and its hover say about the layers of one definition, from the run's cached
// series (no vscode: the provider and the tests share it).
import type { LayerPoint } from '../../protocol/panel';
import type { LayerLocation } from '../../core/source/match';
import { sparklineSvg } from '../../report/sparkline';

/** Hover sparkline size (CSS pixels) and colour (a data-URI image sees no theme, so one that reads on both). */
const SPARK = { width: 160, height: 32, color: '#3794ff' };
/** Rows of the per-layer table in the hover of a repeated definition. */
const MAX_HOVER_ROWS = 16;

export type SeriesOf = (layer: string) => readonly LayerPoint[];

export interface LensSummary {
  title: string;
  /** The layer a click opens: the only one, or the one with most clusters now. */
  layer: string;
  /** The newest analysed step of that layer. */
  step: number;
}

const plural = (n: number, word: string) => `${n} ${n === 1 ? word : `${word}s`}`;

/** Distinct blocks among the names of a container: the values of the first segment where they differ. */
function blockCount(location: LayerLocation): number {
  if (!location.repeated) return location.layers.length;
  const split = location.layers.map((l) => l.split(/[./]/));
  const at = split[0].findIndex((seg, i) => split.some((s) => s[i] !== seg));
  return at < 0 ? 1 : new Set(split.map((s) => s.slice(0, at + 1).join('.'))).size;
}

/** The lens title, or undefined while none of its layers has been analysed. */
export function lensSummary(location: LayerLocation, seriesOf: SeriesOf): LensSummary | undefined {
  const latest = location.layers.flatMap((layer) => {
    const points = seriesOf(layer);
    return points.length > 0 ? [{ layer, points, last: points[points.length - 1] }] : [];
  });
  if (latest.length === 0) return undefined;
  const top = latest.reduce((a, b) => (b.last.clusters > a.last.clusters ? b : a));
  const step = Math.max(...latest.map((l) => l.last.step));
  if (location.layers.length === 1) {
    const { points, last } = latest[0];
    const trend = `${points[0].clusters} → ${Math.min(...points.map((p) => p.clusters))} → ${last.clusters}`;
    const title = `${location.label} · ${plural(last.clusters, 'cluster')} (${trend}) · effective ${last.effectiveClusters.toFixed(1)} · step ${last.step}`;
    return { title, layer: top.layer, step: last.step };
  }
  const counts = latest.map((l) => l.last.clusters);
  const lo = Math.min(...counts);
  const hi = Math.max(...counts);
  const range = lo === hi ? `${lo}` : `${lo}–${hi}`;
  const title = `${location.label} · clusters ${range} over ${plural(blockCount(location), 'block')} · step ${step}`;
  return { title, layer: top.layer, step: top.last.step };
}

function svgDataUri(svg: string): string {
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}

/** Escapes Markdown's special characters in a name. */
function md(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

/** The hover: a sparkline of clusters over steps and the latest figures, as Markdown. */
export function hoverMarkdown(location: LayerLocation, seriesOf: SeriesOf, runName: string): string | undefined {
  const layers = location.layers.filter((l) => seriesOf(l).length > 0);
  if (layers.length === 0) return undefined;
  const series = layers.map((l) => seriesOf(l).map((p) => p.clusters));
  const image = svgDataUri(sparklineSvg(series, SPARK.width, SPARK.height, SPARK.color));
  const out = [`**${md(location.label)}** · run ${md(runName)}`, '', `![clusters over steps](${image})`, ''];
  const repeat = location.count !== undefined ? ` (× ${location.count} in the source)` : '';
  if (layers.length === 1) {
    const points = seriesOf(layers[0]);
    const p = points[points.length - 1];
    out.push(
      '| | |',
      '|---|---|',
      `| clusters | ${p.clusters} (first ${points[0].clusters}, minimum ${Math.min(...points.map((q) => q.clusters))}) |`,
      `| effective clusters | ${p.effectiveClusters.toFixed(2)} |`,
      `| active neurons | ${p.active} of ${p.neurons} |`,
      `| largest cluster | ${p.largestCluster} |`,
      `| stable rank | ${p.stableRank.toFixed(2)} |`,
      `| step | ${p.step} |`,
    );
    return out.join('\n');
  }
  out.push(
    `Clusters over steps in ${plural(layers.length, 'layer')}${repeat}.`,
    '',
    '| layer | clusters | effective | step |',
    '|---|---|---|---|',
  );
  for (const layer of layers.slice(0, MAX_HOVER_ROWS)) {
    const points = seriesOf(layer);
    const p = points[points.length - 1];
    out.push(`| ${md(layer)} | ${p.clusters} | ${p.effectiveClusters.toFixed(2)} | ${p.step} |`);
  }
  if (layers.length > MAX_HOVER_ROWS) out.push('', `… and ${layers.length - MAX_HOVER_ROWS} more.`);
  return out.join('\n');
}
