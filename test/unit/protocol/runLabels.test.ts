import { strict as assert } from 'node:assert';
import { differingKeys, manifestConfig, numericDifferingKeys, runLabels } from '../../../src/protocol/runLabels';

/** run.json as the trainer writes it (the config of a relu-1d run, as in a real run folder). */
const manifest = (config: Record<string, unknown>) => ({
  name: 'relu-1d-20261201-120133',
  preset: 'relu-1d',
  config: {
    width: 8,
    gamma: 1,
    lr: 0.05,
    steps: 40,
    every: 10,
    dropout: 0,
    activation: 'relu',
    optimizer: 'sgd',
    seed: 0,
    dataset: 'relu-1d',
    loss: 'half-mse',
    ...config,
  },
  backend: 'wasm',
  startedAt: '2026-12-01T12:01:34.124Z',
  process: { pid: 15245, command: ['node', 'trainer.js'] },
});
const run = (name: string, config: Record<string, unknown>) => ({ name, config: manifestConfig(manifest(config)) });

describe('run labels (what differs between compared runs)', () => {
  it('flattens run.json: the config and the preset, not the process record nor the start time', () => {
    assert.deepEqual(
      manifestConfig({ preset: 'p', config: { gamma: 0.5, opt: { name: 'adam', betas: [0.9, 0.99] } } }),
      {
        preset: 'p',
        gamma: 0.5,
        'opt.name': 'adam',
        'opt.betas': '[0.9,0.99]',
      },
    );
    assert.equal(manifestConfig({ name: 'x', startedAt: 'now' }), undefined);
  });

  it('names runs by γ when only γ differs', () => {
    assert.deepEqual(runLabels([run('a', { gamma: 0.5 }), run('b', { gamma: 4 })]), ['γ = 0.5', 'γ = 4']);
  });

  it('lists every value that differs, in config order, and dropout by its name', () => {
    assert.deepEqual(
      runLabels([
        run('a', { dropout: 0.1, width: 1000 }),
        run('b', { dropout: 0, width: 4000 }),
        run('c', { dropout: 0.1, width: 4000 }),
      ]),
      ['width = 1000, dropout = 0.1', 'width = 4000, dropout = 0', 'width = 4000, dropout = 0.1'],
    );
  });

  it('counts a key one run lacks as a difference', () => {
    assert.deepEqual(differingKeys([{ gamma: 1 }, { gamma: 1, phaseGamma: 0.5 }]), ['phaseGamma']);
    assert.deepEqual(
      runLabels([
        { name: 'a', config: { gamma: 1 } },
        { name: 'b', config: { gamma: 1, phaseGamma: 0.5 } },
      ]),
      ['γ (phase) = –', 'γ (phase) = 0.5'],
    );
  });

  it('falls back to the folder names when nothing differs, a run has no run.json, or there is one run', () => {
    assert.deepEqual(runLabels([run('relu-a', {}), run('relu-b', {})]), ['relu-a', 'relu-b']);
    assert.deepEqual(runLabels([run('relu-a', { gamma: 0.5 }), { name: 'mine' }]), ['relu-a', 'mine']);
    assert.deepEqual(runLabels([run('relu-a', { gamma: 0.5 })]), ['relu-a']);
  });

  it('adds the name to runs whose differing values are the same (two seeds of one γ against another γ)', () => {
    assert.deepEqual(runLabels([run('s0', { gamma: 0.5 }), run('s1', { gamma: 0.5 }), run('s2', { gamma: 4 })]), [
      'γ = 0.5 (s0)',
      'γ = 0.5 (s1)',
      'γ = 4',
    ]);
  });

  it('offers only keys with a number in every run for a chart against a config value', () => {
    const configs = [run('a', { gamma: 0.5, activation: 'tanh' }), run('b', { gamma: 4 })].map((r) => r.config);
    assert.deepEqual(differingKeys(configs), ['gamma', 'activation']);
    assert.deepEqual(numericDifferingKeys(configs), ['gamma']);
  });
});
