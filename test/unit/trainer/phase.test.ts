// The JMLR 2021 phase diagram: the classification on the paper's reference slopes, and the three regimes
// reproduced with this project's trainer.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classifyRegime, leastSquaresSlope, paperRegime, widthSlope } from '../../../src/trainer/phase/phaseDiagram';
import { ROOT, tempDir } from './helpers';

describe('phase diagram', () => {
  it('classifies the JMLR 2021 Fig 3 slopes (γ′ = 0): −0.506 at γ = 0.5, 0.007 at γ = 1, 0.372 at γ = 1.75', () => {
    assert.deepEqual(
      [-0.506, 0.007, 0.372].map((s) => classifyRegime(s)),
      ['linear', 'critical', 'condensed'],
    );
    assert.equal(classifyRegime(0.2, 0.25), 'critical');
  });

  it("follows the paper's boundary: γ = 1 for γ′ ≤ 0, γ′ = γ − 1 for γ′ > 0", () => {
    assert.deepEqual(
      [
        paperRegime(0.5, 0),
        paperRegime(1, -1),
        paperRegime(1.75, 0),
        paperRegime(1.5, 1),
        paperRegime(2.5, 1),
        paperRegime(2, 1),
      ],
      ['linear', 'critical', 'condensed', 'linear', 'condensed', 'critical'],
    );
  });

  it('fits the least-squares slope of log RD against log m', () => {
    assert.equal(leastSquaresSlope([0, 1, 2], [1, 3, 5]), 2);
    // RD = 3·m^−0.5 exactly: the slope is −0.5.
    const widths = [1000, 2000, 4000, 8000];
    assert.ok(
      Math.abs(
        widthSlope(
          widths,
          widths.map((m) => 3 * m ** -0.5),
        ) + 0.5,
      ) < 1e-12,
    );
  });

  it('reproduces the three regimes with the trainer (phase-relu-1d, m = 250…2000)', function () {
    this.timeout(300_000);
    const out = join(tempDir(), 'phase');
    const r = spawnSync(
      process.execPath,
      [
        join(ROOT, 'dist', 'cli.js'),
        'phase',
        'phase-relu-1d',
        '--phase-gamma',
        '0.5,1,1.75',
        '--widths',
        '250,500,1000,2000',
        '--json',
        '--out',
        out,
      ],
      { encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stderr);
    const { points } = JSON.parse(r.stdout);
    assert.deepEqual(
      points.map((p: { gamma: number; gammaPrime: number; widths: number[]; regime: string }) => [
        p.gamma,
        p.gammaPrime,
        p.widths,
        p.regime,
      ]),
      [
        [0.5, 0, [250, 500, 1000, 2000], 'linear'],
        [1, 0, [250, 500, 1000, 2000], 'critical'],
        [1.75, 0, [250, 500, 1000, 2000], 'condensed'],
      ],
    );
    for (const p of points) assert.equal(p.rd.length, 4);
    // The folder keeps the same points as phase.json, for the Phase Diagram view.
    assert.deepEqual(JSON.parse(readFileSync(join(out, 'phase.json'), 'utf8')), { points });
  });
});
