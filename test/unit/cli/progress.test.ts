// `analyze --progress`: a line per layer, counted within checkpoints, with the layer's summary (the built CLI on
// real fixture runs; the figures are the independent NumPy reference's).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures');

type Figures = { neurons: number; active: number; clusters: number };
type Run = Record<string, Record<string, Figures>>;

const runs: Record<string, Run> = {
  'sets/hf_trainer': JSON.parse(readFileSync(join(FIXTURES, 'sets', 'expected.json'), 'utf8')).runs.hf_trainer,
  'reference/gamma1': JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')).runs['reference/gamma1'],
};

/** The lines `--progress` should print for a run, checkpoints in step order as the reference lists them. */
function expectedLines(run: Run): string[] {
  const checkpoints = Object.values(run);
  return checkpoints.flatMap((layers, c) =>
    Object.entries(layers).map(
      ([name, l], i, all) =>
        `checkpoint ${c + 1}/${checkpoints.length}, layer ${i + 1}/${all.length} ${name}: ` +
        `${l.neurons} neurons, ${l.active} active, ${l.clusters} clusters`,
    ),
  );
}

describe('condensation-lens analyze --progress (built CLI)', () => {
  for (const [run, want] of Object.entries(runs)) {
    it(`${run}: one line per layer within each checkpoint, with its summary`, () => {
      const r = spawnSync(
        process.execPath,
        [join(ROOT, 'dist', 'cli.js'), 'analyze', join(FIXTURES, run), '--progress', '--json'],
        { encoding: 'utf8' },
      );
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(r.stderr.trimEnd().split('\n'), expectedLines(want));
      assert.equal(JSON.parse(r.stdout).checkpoints.length, Object.keys(want).length);
    });
  }

  it('prints no progress when stderr is not a terminal and --progress is not given', () => {
    const r = spawnSync(
      process.execPath,
      [join(ROOT, 'dist', 'cli.js'), 'analyze', join(FIXTURES, 'sets/hf_trainer')],
      {
        encoding: 'utf8',
      },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
  });
});
