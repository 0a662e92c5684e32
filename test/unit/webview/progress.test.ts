import { strict as assert } from 'node:assert';
import type { RunInfo } from '../../../src/protocol/panel';
import { formatDuration, runProgress } from '../../../webview/progress';

const run = (patch: Partial<RunInfo>): RunInfo => ({ id: '/r', name: 'r', folder: '/r', status: 'running', ...patch });

describe('run progress (total steps, bar, ETA)', () => {
  it('shows the step out of the total, the fraction and an ETA from the speed so far', () => {
    // 300 of 1000 steps in 60 s: 700 more steps at 5 steps/s take 140 s, about 2 min.
    const p = runProgress(run({ totalSteps: 1000, startedAt: 0 }), 300, 60_000);
    assert.deepEqual(p, { fraction: 0.3, text: 'step 300 / 1000 (30 %) · ETA 2 min' });
  });

  it('has nothing to say without a total, and no ETA once the run is not training', () => {
    assert.equal(runProgress(run({}), 300, 60_000), undefined);
    assert.deepEqual(runProgress(run({ totalSteps: 1000, startedAt: 0, status: 'stopped' }), 300, 60_000), {
      fraction: 0.3,
      text: 'step 300 / 1000 (30 %)',
    });
    assert.deepEqual(runProgress(run({ totalSteps: 1_000_000 }), 1_000_000, 1), {
      fraction: 1,
      text: 'step 1000000 / 1000000 (100 %)',
    });
  });

  it('writes durations in seconds, minutes, then hours and minutes', () => {
    assert.equal(formatDuration(44_600), '45 s');
    assert.equal(formatDuration(12 * 60_000), '12 min');
    assert.equal(formatDuration((3 * 60 + 20) * 60_000), '3 h 20 min');
  });
});
