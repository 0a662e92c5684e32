// `condensation-lens figure` as a user runs it (the built CLI): SVG contents, PNG pixels per scale, errors.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCheckpoint } from '../../../src/core/formats';
import { TRAJECTORY } from '../../../src/report/orientation';
import { decodePng } from '../helpers/png';
import { byClass, svgElements, texts, type SvgElement } from '../helpers/svg';

const ROOT = join(__dirname, '..', '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures');
const CLI = join(ROOT, 'dist', 'cli.js');
const GAMMA1 = join(FIXTURES, 'reference', 'gamma1');
const STATE_DICT = join(FIXTURES, 'pytorch', 'state_dict.pt');
const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8'));
const gamma1Last = expected.runs['reference/gamma1']['step-010000.pt'].fc1;
const stateDictFc1 = expected.checkpoints['pytorch/state_dict.pt'].layers.fc1;

const out = mkdtempSync(join(tmpdir(), 'figure-test-'));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, 'figure', ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function figure(name: string, ...args: string[]): SvgElement[] {
  const file = join(out, name);
  const r = cli(...args, '-o', file);
  assert.equal(r.code, 0, r.stderr);
  return svgElements(readFileSync(file, 'utf8'));
}

/** Cosine similarity of neurons i and j of [W | b], computed here from the stored tensors. */
async function cosineMatrix(path: string, layer: string): Promise<(i: number, j: number) => number> {
  const ckpt = await openCheckpoint(path);
  const w = await ckpt.read(`${layer}.weight`);
  const b = await ckpt.read(`${layer}.bias`);
  await ckpt.close();
  const n = b.length;
  const d = w.length / n;
  const v = (k: number) => [...w.subarray(k * d, (k + 1) * d), b[k]];
  const dot = (x: number[], y: number[]) => x.reduce((s, xi, i) => s + xi * y[i], 0);
  return (i, j) => dot(v(i), v(j)) / Math.sqrt(dot(v(i), v(i)) * dot(v(j), v(j)));
}

/** The paper style's colours (docs/figures.md). */
const PAPER = { active: '#d62728', static: '#9e9e9e', trajectory: '#1f77b4' };

/** ColorBrewer RdBu's ends and middle (docs/figures.md), written here rather than taken from the code. */
const RDBU = { negative: [0x21, 0x66, 0xac], zero: [0xf7, 0xf7, 0xf7], positive: [0xb2, 0x18, 0x2b] };

/** The colour of S through its byte (round((S + 1) / 2 · 255)), blended linearly in sRGB towards the end. */
function colourOf(s: number): number[] {
  const t = Math.round(((s + 1) / 2) * 255) / 127.5 - 1;
  const end = t < 0 ? RDBU.negative : RDBU.positive;
  return RDBU.zero.map((z, c) => z + (end[c] - z) * Math.abs(t));
}

function assertClose(actual: readonly number[], wanted: readonly number[], tolerance: number, what: string): void {
  assert.ok(
    actual.every((a, i) => Math.abs(a - wanted[i]) <= tolerance),
    `${what}: got ${actual.join(',')}, expected ${wanted.join(',')}`,
  );
}

describe('condensation-lens figure (built CLI)', function () {
  this.timeout(120_000);

  before(() => {
    try {
      readFileSync(CLI);
    } catch {
      throw new Error(`${CLI} is missing: run 'npm run build' first`);
    }
  });

  describe('orientation', () => {
    it('has one point per neuron, the active ones as in the reference, axes, legend and caption', () => {
      const svg = figure('o.svg', GAMMA1, '--view', 'orientation');
      const points = byClass(svg, 'neuron');
      assert.equal(points.length, gamma1Last.neurons);
      assert.equal(points.filter((p) => p.attrs['data-kind'] === 'active').length, gamma1Last.active);
      assert.equal(new Set(points.map((p) => p.attrs['data-neuron'])).size, gamma1Last.neurons);
      // Paper style: active red, static grey.
      assert.deepEqual(
        new Set(points.map((p) => `${p.attrs['data-kind']} ${p.attrs.fill}`)),
        new Set([`active ${PAPER.active}`, `static ${PAPER.static}`]),
      );
      const words = texts(svg);
      assert.ok(
        words.includes('run gamma1 · layer fc1 · step 10000 · threshold 0.95 · signed similarity'),
        words.join('|'),
      );
      assert.ok(byClass(svg, 'axis-title').some((t) => t.text.startsWith('θ (orientation)')));
      assert.ok(byClass(svg, 'axis-title').some((t) => t.text.startsWith('A (amplitude)')));
      assert.ok(words.includes('−π') && words.includes('π/2'), 'θ ticks in fractions of π');
      assert.equal(byClass(svg, 'trajectory').length, 0);
    });

    it('draws a trajectory per active neuron with --trajectories, on a log A axis with --log-a', () => {
      const svg = figure('t.svg', GAMMA1, '--view', 'orientation', '--trajectories', '--log-a');
      const paths = byClass(svg, 'trajectory');
      const neurons = new Set(paths.map((p) => p.attrs['data-neuron']));
      const active = new Set(
        byClass(svg, 'neuron')
          .filter((p) => p.attrs['data-kind'] === 'active')
          .map((p) => p.attrs['data-neuron']),
      );
      // At most TRAJECTORY.maxNeurons: the active neurons of largest A (highest on the plot).
      assert.equal(neurons.size, Math.min(gamma1Last.active, TRAJECTORY.maxNeurons));
      assert.ok([...neurons].every((n) => active.has(n)));
      const cy = new Map(byClass(svg, 'neuron').map((p) => [p.attrs['data-neuron'], Number(p.attrs.cy)]));
      const lowestDrawn = Math.max(...[...neurons].map((n) => cy.get(n)!));
      assert.ok([...active].filter((n) => !neurons.has(n)).every((n) => cy.get(n)! >= lowestDrawn));
      assert.ok(paths.every((p) => p.attrs.stroke === PAPER.trajectory));
      assert.ok(byClass(svg, 'axis-title').some((t) => t.text === 'A (amplitude), log scale'));
      assert.ok(
        texts(svg).some((t) => /^10[⁻⁰-⁹]+$/.test(t)),
        'decade ticks',
      );
    });

    it('notes the projection plane when the input has more than two dimensions', () => {
      const svg = figure('d.svg', STATE_DICT, '--view', 'orientation', '--layer', 'fc1', '--style', 'clusters');
      assert.ok(byClass(svg, 'note').some((t) => t.text.includes('top two singular directions')));
      assert.equal(byClass(svg, 'neuron').length, stateDictFc1.neurons);
    });
  });

  describe('similarity', () => {
    it('draws the cells of S in cluster order, with boundaries, axis labels and a titled colour bar', async () => {
      const svg = figure('s.svg', STATE_DICT, '--view', 'similarity', '--layer', 'fc1');
      const [image] = byClass(svg, 'cells');
      const n = stateDictFc1.neurons;
      assert.equal(Number(image.attrs['data-size']), n, 'every neuron: 14 of 16 are active');
      const cells = decodePng(Buffer.from(image.attrs.href.replace(/^data:image\/png;base64,/, ''), 'base64'));
      assert.equal(cells.width, n);
      const order: number[] = stateDictFc1.heatmap_order;
      const s = await cosineMatrix(STATE_DICT, 'fc1');
      for (const [r, c] of [
        [0, 0],
        [0, 1],
        [0, 6],
        [3, 10],
        [12, 15],
        [15, 2],
      ])
        assertClose(cells.pixel(c, r).slice(0, 3), colourOf(s(order[r], order[c])), 2, `cell ${r},${c}`);
      // Clusters of 5, 4, 4 and 1 active neurons: a line across and down before the 2nd, 3rd and 4th.
      assert.equal(byClass(svg, 'boundaries')[0] && svg.filter((e) => e.tag === 'line').length >= 6, true);
      const words = texts(svg);
      assert.ok(byClass(svg, 'axis-title').every((t) => t.text === 'neurons in cluster order'));
      assert.ok(words.includes('cosine similarity') && words.includes('−1') && words.includes('1'));
      assert.ok(words.some((t) => t.includes('layer fc1') && t.includes('threshold 0.95')));
    });

    it('shows only the active block when fewer than half of the neurons are active', () => {
      const svg = figure('a.svg', GAMMA1, '--view', 'similarity');
      assert.equal(Number(byClass(svg, 'cells')[0].attrs['data-size']), gamma1Last.active);
      assert.ok(byClass(svg, 'axis-title').every((t) => t.text === 'active neurons in cluster order'));
      const all = figure('b.svg', GAMMA1, '--view', 'similarity', '--all-neurons');
      // 1000 neurons exceed the 512-cell export limit: 2 × 2 blocks.
      const [cells] = byClass(all, 'cells');
      assert.deepEqual([cells.attrs['data-size'], cells.attrs['data-block-size']], ['500', '2']);
      assert.ok(byClass(all, 'note').some((t) => t.text.includes('mean over 2 × 2 neurons')));
    });

    for (const scale of [1, 2, 4])
      it(`writes a PNG at ${scale}× with the cells' colours`, async () => {
        const svg = figure(`p${scale}.svg`, STATE_DICT, '--view', 'similarity', '--layer', 'fc1');
        const root = svg.find((e) => e.tag === 'svg')!;
        const [image] = byClass(svg, 'cells');
        const file = join(out, `p${scale}.png`);
        const r = cli(STATE_DICT, '--view', 'similarity', '--layer', 'fc1', '--scale', String(scale), '-o', file);
        assert.equal(r.code, 0, r.stderr);
        const png = decodePng(readFileSync(file));
        assert.equal(png.width, Number(root.attrs.width) * scale);
        assert.equal(png.height, Number(root.attrs.height) * scale);
        const order: number[] = stateDictFc1.heatmap_order;
        const s = await cosineMatrix(STATE_DICT, 'fc1');
        const cell = Number(image.attrs.width) / stateDictFc1.neurons;
        const at = (r: number, c: number) =>
          png.pixel(
            Math.floor((Number(image.attrs.x) + (c + 0.5) * cell) * scale),
            Math.floor((Number(image.attrs.y) + (r + 0.5) * cell) * scale),
          );
        for (const [row, col] of [
          [0, 0],
          [0, 6],
          [3, 10],
          [15, 2],
        ])
          assertClose(
            at(row, col).slice(0, 3),
            colourOf(s(order[row], order[col])),
            3,
            `cell ${row},${col} at ${scale}×`,
          );
        // Text is rendered: the caption row has dark pixels.
        const captionRow = Array.from({ length: png.width }, (_, x) => png.pixel(x, Math.floor(12 * scale)));
        assert.ok(
          captionRow.some(([red]) => red < 100),
          'caption text drawn',
        );
      });
  });

  describe('steps', () => {
    it('charts clusters, and the active count on its own chart', () => {
      const svg = figure('st.svg', GAMMA1, '--view', 'steps', '--active');
      const charts = byClass(svg, 'chart').map((c) => c.attrs['data-title']);
      assert.deepEqual(charts.slice(0, 2), ['clusters', 'active neurons']);
      const series = byClass(svg, 'series').map((p) => p.attrs['data-label']);
      assert.ok(series.includes('Clusters') && series.includes('Active neurons'));
      assert.ok(byClass(svg, 'axis-title').some((t) => t.text === 'step'));
      assert.ok(texts(svg).includes('run gamma1 · threshold 0.95 · signed similarity'));
    });
  });

  describe('errors', () => {
    it('--help lists every option', () => {
      const r = spawnSync(process.execPath, [CLI, 'figure', '--help'], { encoding: 'utf8' });
      assert.equal(r.status, 0);
      for (const flag of ['--view', '--layer', '--step', '--format', '--scale', '--style', '--trajectories', '-o'])
        assert.ok(r.stdout.includes(flag), flag);
    });

    for (const [what, args, code, message] of [
      ['an unknown layer', [GAMMA1, '--view', 'orientation', '--layer', 'fc9'], 2, "no layer named 'fc9'; layers: fc1"],
      [
        'a missing step',
        [GAMMA1, '--view', 'similarity', '--step', '5'],
        2,
        'no checkpoint at step 5; steps: 0, 1000, 10000',
      ],
      ['an unknown view', [GAMMA1, '--view', 'pie'], 2, "--view expects orientation or similarity or steps, got 'pie'"],
      ['a bad scale', [GAMMA1, '--view', 'steps', '--scale', '3'], 2, "--scale expects 1 or 2 or 4, got '3'"],
      ['a missing input', [join(out, 'nothing'), '--view', 'steps'], 1, 'no such file or folder'],
      ['an unreadable checkpoint', [join(FIXTURES, 'bad', 'legacy.pt'), '--view', 'steps'], 1, 'legacy.pt'],
    ] as const)
      it(`refuses ${what} in one line with exit status ${code}`, () => {
        const r = cli(...args, '-o', join(out, 'x.svg'));
        assert.equal(r.code, code, r.stderr);
        assert.ok(r.stderr.includes(message), r.stderr);
        assert.ok(r.stderr.trim().split('\n').length <= 2, r.stderr);
        assert.doesNotMatch(r.stderr, /\n\s+at /);
      });
  });
});
