// Live latency: from a checkpoint renamed into place to the panel's `series` message being posted, for a
// 1000-neuron layer, through the real watcher, analysis worker, run model and panel session (no editor).
// Measured once with file events (node's fs.watch feeds the run's watcher, as the editor's watcher does) and
// once with polling alone (condensationLens.watcher.pollMs at its default). Each checkpoint is written as a
// trainer in another process writes it: under a temporary name (whose events arrive first), then renamed.
// Issue 9's goals: median ≤ 300 ms with events, ≤ pollMs + 300 ms with polling alone.
import { watch } from 'node:fs';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeSafetensors } from '../src/core/formats/safetensorsWriter';
import { AnalysisQueue } from '../src/extension/analysis/analysisQueue';
import { AnalysisWorker } from '../src/extension/analysis/analysisWorker';
import { PanelSession } from '../src/extension/panel/panelSession';
import { RunManager } from '../src/extension/run/runManager';
import type { HostMessage } from '../src/protocol/panel';
import { DEFAULT_SETTINGS } from '../src/protocol/settings';
import { condensedLayerOf } from './engine';

const NEURONS = 1000;
const INPUTS = 64;
const TRIALS = 15;
/** The defaults of package.json: watcher.pollMs and watcher.debounceMs. */
const POLL_MS = 1000;
const SETTLE_MS = 300;
/** Pauses between checkpoints vary, so that polling is not measured in step with its own timer. */
const GAP_MS = [150, 900];
/** From the temporary file written to its rename: its events are seen (and a scan may run) before the rename. */
const TEMP_TO_RENAME_MS = 20;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function latencies(worker: AnalysisWorker, withEvents: boolean): Promise<number[]> {
  const dir = mkdtempSync(join(tmpdir(), 'cl-bench-live-'));
  const checkpoints = join(dir, 'checkpoints');
  mkdirSync(checkpoints);
  const manager = new RunManager({
    queue: new AnalysisQueue(worker.execute),
    settings: () => DEFAULT_SETTINGS,
    debounceMs: () => SETTLE_MS,
    pollMs: () => POLL_MS,
    log: () => undefined,
  });
  const run = manager.open({ name: 'bench', target: { folder: dir } });
  const events = withEvents
    ? watch(checkpoints, (_, name) => (name ? run.watcher.fileEvent(join(checkpoints, name)) : run.poke()))
    : undefined;
  const posted = new Map<number, number>();
  const host = {
    settings: () => ({ ...DEFAULT_SETTINGS }),
    async save() {
      return undefined;
    },
    openPanel() {},
  };
  const session = new PanelSession(
    async (m: { body: HostMessage }) => {
      if (m.body.type === 'series')
        for (const p of m.body.points) if (!posted.has(p.step)) posted.set(p.step, performance.now());
      return true;
    },
    host,
    run,
  );
  await session.receive({ body: { type: 'ready' } });
  const { weight } = condensedLayerOf(NEURONS, INPUTS);
  const bytes = encodeSafetensors([{ name: 'fc1.weight', shape: [NEURONS, INPUTS], data: weight }]);
  const out: number[] = [];
  for (let i = 0; i < TRIALS + 1; i++) {
    const step = (i + 1) * 100;
    const name = `step-${String(step).padStart(6, '0')}.safetensors`;
    writeFileSync(join(checkpoints, `.${name}.tmp`), bytes);
    await sleep(TEMP_TO_RENAME_MS);
    renameSync(join(checkpoints, `.${name}.tmp`), join(checkpoints, name));
    const renamed = performance.now();
    while (!posted.has(step)) await sleep(5);
    // The first checkpoint also starts the worker and its backend: not part of the latency.
    if (i > 0) out.push(posted.get(step)! - renamed);
    await sleep(GAP_MS[0] + Math.random() * (GAP_MS[1] - GAP_MS[0]));
  }
  events?.close();
  session.dispose();
  manager.dispose();
  rmSync(dir, { recursive: true, force: true });
  return out.sort((a, b) => a - b);
}

export async function benchLive(): Promise<void> {
  const worker = new AnalysisWorker(join(__dirname, 'analysisWorker.js'));
  try {
    console.log(
      `live latency, checkpoint renamed → panel message (${NEURONS} neurons × ${INPUTS} inputs, ${TRIALS} trials; ` +
        `a checkpoint is read on first sight, one seen changing waits watcher.debounceMs = ${SETTLE_MS} ms):`,
    );
    for (const [label, withEvents, goal] of [
      ['with file events', true, 300],
      [`polling alone (pollMs ${POLL_MS})`, false, POLL_MS + 300],
    ] as const) {
      const ms = await latencies(worker, withEvents);
      const [median, p90] = [quantile(ms, 0.5), quantile(ms, 0.9)];
      console.log(
        `  ${label.padEnd(28)} median ${median.toFixed(0).padStart(5)} ms   p90 ${p90.toFixed(0).padStart(5)} ms   goal median ≤ ${goal} ms${median <= goal ? '' : '  (missed)'}`,
      );
    }
  } finally {
    worker.dispose();
  }
}
