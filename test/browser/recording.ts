// The recorded run, its expected colors, and the page actions the browser specs share.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { HostMessage, LayerDetail, LayerPoint, RunState } from '../../src/protocol/panel';
import { loadRecording, THEMES, type ThemeName } from './browser';

export const RECORDING = 'test/browser/recorded/tanh-5d.json';

/** The layer-summary fields of docs/metrics.md, in the order of the CSV columns the docs list. */
export const SUMMARY_FIELDS = [
  'neurons',
  'inputDim',
  'active',
  'clusters',
  'effectiveClusters',
  'stableRank',
  'largestCluster',
  'relativeChange',
] as const;

type Init = Extract<HostMessage, { type: 'init' }>;

/** A recording, decoded in Node independently of the page (base64 bytes → Uint8Array); `recorded`: its first run. */
export function loadRecorded(file = 'tanh-5d.json'): { init: Init; recorded: RunState; details: LayerDetail[] } {
  const raw = JSON.parse(readFileSync(join(__dirname, 'recorded', file), 'utf8')) as unknown[];
  const revive = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(revive);
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.$bytes === 'string') return new Uint8Array(Buffer.from(o.$bytes, 'base64'));
      return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, revive(x)]));
    }
    return v;
  };
  const messages = revive(raw) as HostMessage[];
  const init = messages.find((m): m is Init => m.type === 'init');
  if (!init) throw new Error(`${file} has no init message`);
  return { init, recorded: init.runs[0], details: messages.flatMap((m) => (m.type === 'detail' ? [m.detail] : [])) };
}

/** The color a cell of similarity S must have: VS Code's charts blue (−1), editor background (0), charts red (+1). */
export function expectedCellColor(theme: ThemeName, s: number): [number, number, number] {
  const vars = THEMES[theme].vars as Record<string, string>;
  const hex = (name: string) => [1, 3, 5].map((i) => parseInt(vars[name].slice(i, i + 2), 16));
  const zero = hex('--vscode-editor-background');
  const end = s < 0 ? hex('--vscode-charts-blue') : hex('--vscode-charts-red');
  const t = Math.min(1, Math.abs(s));
  return [0, 1, 2].map((c) => Math.round(zero[c] + (end[c] - zero[c]) * t)) as [number, number, number];
}

/** Posts messages (without byte arrays) to the page as the host would. */
export async function feed(page: Page, messages: HostMessage[]): Promise<void> {
  await page.evaluate((m) => (window as unknown as { __feed(m: unknown[]): void }).__feed(m), messages);
}

/** Makes the harness answer detail requests with the recording's details, fetched and decoded in the page. */
export async function serveRecordedDetails(page: Page): Promise<void> {
  await loadRecording(page, RECORDING);
  await page.evaluate('window.__harness.details = window.__recorded.filter((m) => m.type === "detail")');
}

/** An init for a live run holding the first `count` recorded points. */
export function liveInit(init: Init, count: number): Init {
  const [recorded] = init.runs;
  const series: Record<string, LayerPoint[]> = Object.fromEntries(
    Object.entries(recorded.series).map(([l, pts]) => [l, pts.slice(0, count)]),
  );
  const last = series[recorded.layers[0]][count - 1].step;
  const loss = recorded.loss.filter((p) => p.step <= last);
  const run = { ...recorded.run, status: 'running' as const, step: last, loss: loss[loss.length - 1]?.loss };
  return { type: 'init', runs: [{ ...recorded, run, series, loss }] };
}

/** The number printed after `label` in a hover text or cell. */
export function numberAfter(text: string, label: string): number {
  const m = new RegExp(`${label} (-?[\\d.]+(?:e[-+]?\\d+)?)`).exec(text);
  if (!m) throw new Error(`no '${label} <number>' in: ${text}`);
  return Number(m[1]);
}

/** Equal to 4 significant digits (what the page prints). */
export function closeTo(actual: number, expected: number): boolean {
  return Math.abs(actual - expected) <= 5e-4 * Math.max(Math.abs(expected), 1e-12) + 1e-12;
}

export async function plotBox(
  page: Page,
  scope: string,
): Promise<{
  x: number;
  y: number;
  width: number;
  height: number;
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}> {
  const area = page.locator(`${scope} .plot-area`).first();
  const box = await area.boundingBox();
  if (!box) throw new Error(`${scope}: no plot area`);
  const data = await area.evaluate((el) => ({ ...(el as HTMLElement).dataset }));
  return { ...box, xMin: Number(data.xMin), xMax: Number(data.xMax), yMin: Number(data.yMin), yMax: Number(data.yMax) };
}
