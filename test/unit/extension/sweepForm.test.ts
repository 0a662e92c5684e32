// The Start Sweep… form: each field's check and message, and the `sweep` command line it makes.
import { strict as assert } from 'node:assert';
import {
  checkField,
  phaseCommandArgs,
  SWEEP_FIELDS,
  sweepCommandArgs,
  sweepSize,
} from '../../../src/extension/sweep/sweepForm';
import { parseSweepProgressLine } from '../../../src/protocol/sweepProgress';

describe('the Start Sweep form', () => {
  it('reads comma-separated lists, and an empty field as none (the preset’s value)', () => {
    assert.deepEqual(checkField('0.25, 0.5,1', SWEEP_FIELDS.gamma), { values: [0.25, 0.5, 1] });
    assert.deepEqual(checkField('  ', SWEEP_FIELDS.width), { values: [] });
    assert.deepEqual(checkField('0,0.1', SWEEP_FIELDS.dropout), { values: [0, 0.1] });
    assert.deepEqual(checkField('-0.5,0,0.5', SWEEP_FIELDS.phaseGammaPrime), { values: [-0.5, 0, 0.5] });
  });

  it('says what is wrong and what to type', () => {
    assert.deepEqual(checkField('1000,abc', SWEEP_FIELDS.width), { error: "'abc' is not one of: whole numbers ≥ 1" });
    assert.deepEqual(checkField('100.5', SWEEP_FIELDS.width), { error: "'100.5' is not one of: whole numbers ≥ 1" });
    assert.deepEqual(checkField('0.5,1', SWEEP_FIELDS.dropout), { error: "'1' is not one of: numbers ≥ 0 and < 1" });
    assert.deepEqual(checkField('0.5,,1', SWEEP_FIELDS.gamma), {
      error: 'an empty item: separate values with single commas (numbers ≥ 0)',
    });
    assert.deepEqual(checkField('2,3', SWEEP_FIELDS.parallel), { error: 'one number, not a list' });
    assert.deepEqual(checkField('0', SWEEP_FIELDS.seeds), { error: "'0' is not one of: whole numbers ≥ 1" });
    assert.deepEqual(checkField('1000', SWEEP_FIELDS.widths), { error: 'at least 2 values, separated by commas' });
  });

  it('makes the sweep command line, leaving out what keeps the preset’s value', () => {
    const form = {
      preset: 'relu-1d',
      gamma: [0.5, 1],
      width: [],
      dropout: [0, 0.1],
      seeds: 1,
      parallel: 2,
      backend: 'auto',
    };
    assert.equal(sweepSize(form), 4);
    assert.deepEqual(sweepCommandArgs(form, '/runs/s'), [
      'sweep',
      'relu-1d',
      '--gamma',
      '0.5,1',
      '--dropout',
      '0,0.1',
      '--parallel',
      '2',
      '--out',
      '/runs/s',
      '--progress',
      'json',
    ]);
    assert.deepEqual(
      sweepCommandArgs({ ...form, dropout: [], steps: 50, every: 10, seeds: 3, backend: 'wasm' }, '/o').slice(2, -6),
      ['--gamma', '0.5,1', '--steps', '50', '--every', '10', '--seeds', '3', '--backend', 'wasm'],
    );
    assert.equal(sweepSize({ ...form, seeds: 3 }), 12);
  });

  it('makes the phase command line; no γ′ given is γ′ = 0', () => {
    const form = {
      preset: 'phase-relu-1d',
      phaseGamma: [0.5, 1.75],
      phaseGammaPrime: [],
      widths: [20, 40],
      parallel: 1,
    };
    assert.deepEqual(phaseCommandArgs(form, '/o'), [
      'phase',
      'phase-relu-1d',
      '--phase-gamma',
      '0.5,1.75',
      '--phase-gamma-prime',
      '0',
      '--widths',
      '20,40',
      '--parallel',
      '1',
      '--out',
      '/o',
      '--progress',
      'json',
    ]);
    assert.deepEqual(phaseCommandArgs({ ...form, phaseGammaPrime: [-0.5, 0.5], steps: 50 }, '/o').slice(5, 11), [
      '-0.5,0.5',
      '--widths',
      '20,40',
      '--steps',
      '50',
      '--parallel',
    ]);
  });

  it('reads the driver’s progress lines and nothing else', () => {
    assert.deepEqual(parseSweepProgressLine('{"type":"sweep-point","name":"gamma=1","state":"started"}'), {
      type: 'sweep-point',
      name: 'gamma=1',
      state: 'started',
    });
    for (const line of [
      '{"type":"sweep-point","name":"gamma=1","state":"paused"}',
      '{"type":"sweep-progress","steps":1}',
      '{"type":"step","step":1,"epoch":0,"loss":1,"stepsPerSecond":1}',
      'sweep: 2 runs of relu-1d',
      '[#####.....] 10/20 steps',
    ])
      assert.equal(parseSweepProgressLine(line), undefined, line);
  });
});
