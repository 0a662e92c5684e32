// Builds the exports: the visible figure as SVG or PNG, CSV of every series (of every run compared), and the
// standalone HTML report.
import { fileStem } from '../src/protocol/fileNames';
import type { RunDetail } from '../src/protocol/initMessage';
import type { ExportFormat, WebviewMessage } from '../src/protocol/panel';
import { standaloneReportHtml } from '../src/report/standalonePage';
import { compareCsv, compareStem } from './compareExport';
import { svgToPng } from './figureExport';
import { seriesCsv } from './series';
import { snapshotMessages, type PanelState } from './state';

/** Where the running bundle came from, captured while it loads (document.currentScript is null later). */
const bundleScript = (document.currentScript as HTMLScriptElement | null)?.src;

export interface ExportSources {
  state: PanelState;
  /** The SVG of the visible tab's figure (throws while it is loading). */
  svg(): string;
  /** PNG pixels per SVG unit. */
  scale: number;
  details(): RunDetail[];
}

export async function buildExport(
  format: ExportFormat,
  src: ExportSources,
): Promise<Extract<WebviewMessage, { type: 'export' }>> {
  const { state } = src;
  const comparing = state.compared.length > 1;
  const base = fileStem(comparing ? compareStem(state) : (state.run?.name ?? 'condensation-lens'));
  const figure = `${base}-${state.view.tab}-step-${state.view.step ?? 0}`;
  switch (format) {
    case 'svg':
      return { type: 'export', format, suggestedName: `${figure}.svg`, data: src.svg() };
    case 'png':
      return {
        type: 'export',
        format,
        suggestedName: `${figure}@${src.scale}x.png`,
        data: await svgToPng(src.svg(), src.scale),
      };
    case 'csv':
      return {
        type: 'export',
        format,
        suggestedName: `${base}-series.csv`,
        data: comparing ? compareCsv(state) : seriesCsv(state.layers, state.series, state.loss),
      };
    case 'html': {
      const { script, style } = await bundleSources();
      const data = await standaloneReportHtml({
        title: `${state.run?.name ?? 'Run'} · Condensation Lens`,
        messages: snapshotMessages(state, src.details()),
        script,
        style,
      });
      return { type: 'export', format, suggestedName: `${base}-report.html`, data };
    }
  }
}

/** The panel's own script and stylesheet: inline in a report, else fetched from the extension's files. */
async function bundleSources(): Promise<{ script: string; style: string }> {
  const inlineScript = document.getElementById('condensation-lens-bundle');
  const inlineStyle = document.getElementById('condensation-lens-style');
  if (inlineScript && inlineStyle)
    return { script: inlineScript.textContent ?? '', style: inlineStyle.textContent ?? '' };
  const styleHref = document.querySelector<HTMLLinkElement>('link[rel="stylesheet"]')?.href;
  if (!bundleScript || !styleHref)
    throw new Error(
      'HTML report: the panel script or stylesheet URL is unknown; use `condensation-lens report <run> -o report.html` instead.',
    );
  const [script, style] = await Promise.all([fetchText(bundleScript), fetchText(styleHref)]);
  return { script, style };
}

async function fetchText(url: string): Promise<string> {
  try {
    const r = await fetch(url);
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    return await r.text();
  } catch (e) {
    throw new Error(
      `HTML report: could not read ${url} (${(e as Error).message}); use \`condensation-lens report <run> -o report.html\` instead.`,
      { cause: e },
    );
  }
}
