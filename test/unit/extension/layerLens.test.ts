// The lens and hover texts above a layer's definition, on a real run (the docs/metrics.md reference run,
// trained by PyTorch; its figures are in expected.json), the run.json links, and the panel's select.
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hoverMarkdown, lensSummary } from '../../../src/extension/codeLens/lensText';
import { readModelSource, recordModelSource } from '../../../src/extension/codeLens/modelSource';
import { ModelSources } from '../../../src/extension/codeLens/modelSources';
import { PanelSession } from '../../../src/extension/panel/panelSession';
import { locateLayers, type LayerLocation } from '../../../src/core/source/match';
import type { Envelope } from '../../../src/protocol/messageHandler';
import type { HostMessage, LayerPoint } from '../../../src/protocol/panel';
import { fixture, realRunManager, until } from './helpers';

const expected = JSON.parse(readFileSync(fixture('expected.json'), 'utf8')).runs['reference/gamma1'];
const STEPS = ['step-000000.pt', 'step-001000.pt', 'step-010000.pt'];

describe('layer lenses on a real run', () => {
  const manager = realRunManager();

  async function referenceRun() {
    const dir = mkdtempSync(join(tmpdir(), 'cl-lens-'));
    for (const s of STEPS) copyFileSync(fixture('reference', 'gamma1', s), join(dir, s));
    const run = manager().open({ name: 'gamma1', target: { folder: dir } });
    await until(() => run.model.series('fc1').length === STEPS.length);
    return run;
  }

  it('says fc1 · clusters (first → minimum → latest) · effective · step above the line that defines fc1', async () => {
    const run = await referenceRun();
    const source = readFileSync(fixture('reference_runs.py'), 'utf8');
    const [location] = locateLayers(source, 'python', run.model.layers)!;
    assert.equal(location.range.start.line, source.split('\n').indexOf('        self.fc1 = torch.nn.Linear(1, WIDTH)'));
    const clusters = STEPS.map((s) => expected[s].fc1.clusters as number);
    const last = expected[STEPS[2]].fc1;
    const summary = lensSummary(location, (l) => run.model.series(l));
    assert.deepEqual(summary, {
      title: `fc1 · ${last.clusters} clusters (${clusters[0]} → ${Math.min(...clusters)} → ${last.clusters}) · effective ${last.effectiveClusters.toFixed(1)} · step 10000`,
      layer: 'fc1',
      step: 10000,
    });
    assert.equal(summary.title, 'fc1 · 2 clusters (13 → 2 → 2) · effective 2.0 · step 10000');
  });

  it('hovers with a sparkline of clusters over steps as an SVG data URI, and the latest figures', async () => {
    const run = await referenceRun();
    const source = readFileSync(fixture('reference_runs.py'), 'utf8');
    const [location] = locateLayers(source, 'python', run.model.layers)!;
    const text = hoverMarkdown(location, (l) => run.model.series(l), 'gamma1')!;
    const uri = /!\[clusters over steps\]\(data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)\)/.exec(text);
    assert.ok(uri, text);
    const svg = Buffer.from(uri[1], 'base64').toString('utf8');
    const points = /points="([^"]+)"/.exec(svg)![1].split(' ');
    assert.equal(points.length, STEPS.length, 'one point per checkpoint');
    // 13 clusters is the top of the 32 px box (1 px margin), 2 is lower down: y = 31 − 2/13 · 30.
    assert.equal(points[0].split(',')[1], '1.0');
    assert.equal(points[2].split(',')[1], (31 - (2 / 13) * 30).toFixed(1));
    const last = expected[STEPS[2]].fc1;
    assert.ok(text.includes(`| clusters | ${last.clusters} (first 13, minimum 2) |`), text);
    assert.ok(text.includes(`| active neurons | ${last.active} of ${last.neurons} |`), text);
    assert.ok(text.includes('| step | 10000 |'), text);
  });

  it('a panel asked to select a layer before its webview is ready sends it after init', async () => {
    const run = await referenceRun();
    const posted: Envelope<HostMessage>[] = [];
    const session = new PanelSession(
      async (m) => (posted.push(m), true),
      {
        settings: () => ({
          threshold: 0.95,
          similarity: 'signed',
          activeFraction: 0.05,
          includeBias: true,
          heatmapMaxNeurons: 2048,
        }),
        save: async () => undefined,
        openPanel: () => undefined,
      },
      run,
    );
    session.select('fc1', 1000);
    assert.equal(posted.length, 0);
    await session.receive({ body: { type: 'ready' } });
    assert.deepEqual(
      posted.map((m) => m.body.type),
      ['init', 'select'],
    );
    assert.deepEqual(posted[1].body, { type: 'select', layer: 'fc1', step: 1000 });
    session.select('fc1', 0);
    assert.deepEqual(posted.at(-1)!.body, { type: 'select', layer: 'fc1', step: 0 });
    // A hidden panel's webview reloads when revealed: the selection waits for its next ready.
    const count = posted.length;
    session.select('fc1', 10000, true);
    assert.equal(posted.length, count);
    await session.receive({ body: { type: 'ready' } });
    assert.deepEqual(
      posted.slice(count).map((m) => m.body.type),
      ['init', 'select'],
    );
    assert.deepEqual(posted.at(-1)!.body, { type: 'select', layer: 'fc1', step: 10000 });
    session.dispose();
  });
});

describe('lens text for the blocks of a ModuleList', () => {
  const point = (step: number, clusters: number): LayerPoint => ({
    step,
    neurons: 64,
    inputDim: 32,
    active: 60,
    clusters,
    effectiveClusters: clusters / 2,
    stableRank: 2,
    largestCluster: 9,
  });
  const at = { line: 3, character: 8 };
  const blocks = (layers: string[], repeated: boolean): LayerLocation => ({
    label: 'h',
    range: { start: at, end: at },
    nameRange: { start: at, end: at },
    layers,
    repeated,
  });

  it('says the range of the latest clusters over the blocks, and opens the layer with the most', () => {
    // 12 blocks, two layers each; block i has 3 + i clusters in c_attn and 5 in c_proj at step 300.
    const layers = Array.from({ length: 12 }, (_, i) => [`h.${i}.attn.c_attn`, `h.${i}.attn.c_proj`]).flat();
    const series = (layer: string) => {
      const i = Number(layer.split('.')[1]);
      return [point(0, 40), point(300, layer.endsWith('c_attn') ? 3 + i + (i === 11 ? 3 : 0) : 5)];
    };
    assert.deepEqual(lensSummary(blocks(layers, true), series), {
      title: 'h · clusters 3–17 over 12 blocks · step 300',
      layer: 'h.11.attn.c_attn',
      step: 300,
    });
    const conv1 = ['layer1.0.conv1', 'layer1.1.conv1', 'layer2.0.conv1'];
    assert.equal(
      lensSummary({ ...blocks(conv1, false), label: 'layer*.*.conv1' }, () => [point(10, 4)])?.title,
      'layer*.*.conv1 · clusters 4 over 3 blocks · step 10',
    );
  });

  it('shows nothing until a layer has been analysed', () => {
    assert.equal(
      lensSummary(blocks(['h.0.mlp'], true), () => []),
      undefined,
    );
  });
});

describe("a run's model source in run.json", () => {
  it('records the script relative to the run folder, keeping the fields others wrote', async () => {
    const runs = mkdtempSync(join(tmpdir(), 'cl-src-'));
    const run = join(runs, 'run-1');
    mkdirSync(run);
    writeFileSync(join(run, 'run.json'), JSON.stringify({ name: 'mine', preset: 'custom' }));
    await recordModelSource(run, 'script', join(runs, 'train.py'));
    const json = JSON.parse(readFileSync(join(run, 'run.json'), 'utf8'));
    assert.deepEqual(json, { name: 'mine', preset: 'custom', script: '../train.py' });
    assert.equal(await readModelSource(run), join(runs, 'train.py'));
    await recordModelSource(run, 'modelSource', join(runs, 'model.py'));
    assert.equal(await readModelSource(run), join(runs, 'model.py'), 'a link made by the user wins over the script');
  });

  it('keeps a link in the workspace state when the run folder cannot be written', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cl-src-')), 'not-a-folder');
    writeFileSync(file, '');
    const state = new Map<string, unknown>();
    const sources = new ModelSources({
      get: <T>(k: string) => state.get(k) as T,
      update: async (k, v) => void state.set(k, v),
    });
    assert.equal(await sources.link(file, '/work/model.py', true), 'workspace');
    assert.equal(sources.of(file), '/work/model.py');
    const again = new ModelSources({ get: <T>(k: string) => state.get(k) as T, update: async () => undefined });
    again.load(file);
    assert.equal(again.of(file), '/work/model.py', 'kept across sessions');
  });

  it('writes nothing into a run folder in an untrusted workspace: the link stays in the workspace state', async () => {
    const run = mkdtempSync(join(tmpdir(), 'cl-src-'));
    writeFileSync(join(run, 'run.json'), '{"name":"mine"}\n');
    const state = new Map<string, unknown>();
    const sources = new ModelSources({
      get: <T>(k: string) => state.get(k) as T,
      update: async (k, v) => void state.set(k, v),
    });
    assert.equal(await sources.link(run, '/work/model.py', false), 'workspace');
    assert.equal(readFileSync(join(run, 'run.json'), 'utf8'), '{"name":"mine"}\n');
    assert.equal(sources.of(run), '/work/model.py');
  });
});
