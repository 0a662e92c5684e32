// `analyze` on real architectures: the table grouped by block in model order, --include-embeddings, --next; the
// same layer options in `report` and `figure`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InitMessage } from '../../../src/protocol/initMessage';
import type { HostMessage } from '../../../src/protocol/panel';
import { REPORT_GLOBAL } from '../../../src/report/standalonePage';

const ROOT = join(__dirname, '..', '..', '..');
const GPT2 = join(ROOT, 'test', 'fixtures', 'layers', 'gpt2.safetensors');
const CLI = join(ROOT, 'dist', 'cli.js');
const expected = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'layers', 'expected.json'), 'utf8'));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface JsonLayer {
  name: string;
  kind: string;
  next: string | null;
  view: string;
  clusters: number;
}
const layersOf = (stdout: string): JsonLayer[] => JSON.parse(stdout).checkpoints[0].layers;

describe('condensation-lens analyze on real architectures (built CLI)', () => {
  it('the table groups layers by block in model order (h.2 before h.10) with kind and next', () => {
    const r = cli('analyze', GPT2);
    assert.equal(r.code, 0, r.stderr);
    const blocks = r.stdout.split('\n').flatMap((line) => /\s(transformer\.h\.\d+)$/.exec(line)?.[1] ?? []);
    assert.deepEqual(
      blocks,
      Array.from({ length: 11 }, (_, i) => `transformer.h.${i}`),
    );
    // `gpt2` is a model name, not a step: step and loss read '-'.
    assert.match(r.stdout, /^\S+\s+-\s+-\s+ {2}mlp\.c_fc\s+mlp\.in\s+mlp\.c_proj\s+64\s+64\s+8\s/m);
    assert.match(r.stdout, /^\S+\s+-\s+-\s+ {2}attn\.c_attn\.v\s+attention\.v\s+attn\.c_proj\s+16\s/m);
  });

  it('--json gives kind, view and next as the NumPy reference expects', () => {
    const r = cli('analyze', GPT2, '--json');
    assert.equal(r.code, 0, r.stderr);
    const pick = (l: JsonLayer) => [l.name, l.kind, l.view, l.next];
    assert.deepEqual(layersOf(r.stdout).map(pick), expected['gpt2.safetensors'].layers.map(pick));
  });

  it('--include-embeddings adds wte and wpe as kind embedding, first', () => {
    const layers = layersOf(cli('analyze', GPT2, '--json', '--include-embeddings').stdout);
    assert.deepEqual(
      layers.slice(0, 2).map((l) => [l.name, l.kind, l.next]),
      [
        ['transformer.wte', 'embedding', null],
        ['transformer.wpe', 'embedding', null],
      ],
    );
  });

  it('--per-head gives one layer per head of q, k and v, as the NumPy reference expects (config.json: n_head 4)', () => {
    const file = 'gpt2_heads/model.safetensors';
    const layers = layersOf(
      cli('analyze', join(ROOT, 'test', 'fixtures', 'layers', file), '--json', '--per-head').stdout,
    );
    const pick = (l: JsonLayer) => [l.name, l.kind, l.view, l.next, l.clusters];
    assert.deepEqual(layers.map(pick), expected[file].variants[0].layers.map(pick));
    assert.equal(layers.find((l) => l.name === 'transformer.h.0.attn.c_attn.q.head1')?.clusters, 2);
  });

  it('--next LAYER=none and LAYER=NEXT replace the next layer; a bad one is one line naming it', () => {
    const fc = 'transformer.h.0.mlp.c_fc';
    const none = layersOf(cli('analyze', GPT2, '--json', '--next', `${fc}=none`).stdout).find((l) => l.name === fc);
    // Without outgoing weights every planted neuron (lengths 0.5 to 1.5) is still active: 8 clusters.
    assert.deepEqual([none?.next, none?.clusters], [null, 8]);
    const v = 'transformer.h.1.attn.c_attn.v';
    const set = layersOf(cli('analyze', GPT2, '--json', '--next', `${v}=transformer.h.1.attn.c_attn.q`).stdout);
    assert.equal(set.find((l) => l.name === v)?.next, 'transformer.h.1.attn.c_attn.q');
    const bad = cli('analyze', GPT2, '--next', `${fc}=nope`);
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr, `${GPT2}: the next layer set for '${fc}' is 'nope', which is not a layer here\n`);
    const usage = cli('analyze', GPT2, '--next', fc);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--next expects LAYER=NEXT or LAYER=none/);
  });
});

describe('condensation-lens report and figure take the layer options of analyze (built CLI)', () => {
  const out = mkdtempSync(join(tmpdir(), 'layer-options-'));

  /** The run of the `init` a report inlines (its `window.<global> = [...]` line). */
  function reportRun(...args: string[]): InitMessage['runs'][number] {
    const file = join(out, 'report.html');
    const r = cli('report', GPT2, '--no-detail', '-o', file, ...args);
    assert.equal(r.code, 0, r.stderr);
    const json = new RegExp(`window\\.${REPORT_GLOBAL} = (.*);`).exec(readFileSync(file, 'utf8'))![1];
    return ((JSON.parse(json) as HostMessage[])[0] as InitMessage).runs[0];
  }

  it('report --include-embeddings --layer GLOB holds just the embeddings; --next sets a next layer', () => {
    assert.deepEqual(reportRun('--include-embeddings', '--layer', 'transformer.w*').layers, [
      'transformer.wte',
      'transformer.wpe',
    ]);
    const fc = 'transformer.h.0.mlp.c_fc';
    const init = reportRun('--layer', fc, '--next', `${fc}=none`, '--exclude-layer', '*.c_proj');
    assert.deepEqual(init.layers, [fc]);
    assert.deepEqual([init.series[fc][0].next, init.series[fc][0].clusters], [null, 8]);
  });

  it('figure draws an embedding only with --include-embeddings', () => {
    const args = ['figure', GPT2, '--view', 'orientation', '--layer', 'transformer.wpe', '-o', join(out, 'wpe.svg')];
    const without = cli(...args);
    assert.equal(without.code, 2);
    assert.match(without.stderr, /no layer named 'transformer\.wpe'/);
    const r = cli(...args, '--include-embeddings');
    assert.equal(r.code, 0, r.stderr);
    assert.match(readFileSync(join(out, 'wpe.svg'), 'utf8'), /transformer\.wpe/);
  });
});
