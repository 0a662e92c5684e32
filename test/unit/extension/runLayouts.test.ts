// Open Run Folder on folders as frameworks write them (test/fixtures/sets): the real watcher, worker and engine.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import type { RunSession } from '../../../src/extension/run/runSession';
import { fixture, realRunManager, until } from './helpers';

const sets: {
  runs: Record<string, Record<string, Record<string, { clusters: number; relativeChange?: number }>>>;
  losses: Record<string, Record<string, number>>;
} = JSON.parse(readFileSync(fixture('sets', 'expected.json'), 'utf8'));

const steps = (run: RunSession, layer: string) => run.model.series(layer).map((p) => p.step);

describe('Open Run Folder on framework layouts (real worker)', () => {
  const manager = realRunManager();

  it('a Hugging Face Trainer output_dir: checkpoint-N/ steps, trainer_state.json losses, no side-file problems', async () => {
    const run = manager().open({ name: 'hf', target: { folder: fixture('sets', 'hf_trainer') } });
    await until(() => run.model.series('fc1').length === 2);
    assert.deepEqual(steps(run, 'fc1'), [500, 1000]);
    assert.deepEqual(run.model.problems, []);
    const want = sets.runs.hf_trainer;
    const clusters = run.model.series('fc1').map((p) => p.clusters);
    assert.deepEqual(clusters, [
      want['checkpoint-500/model.safetensors'].fc1.clusters,
      want['checkpoint-1000/model.safetensors'].fc1.clusters,
    ]);
    const change = run.model.series('fc1')[1].relativeChange!;
    assert.ok(Math.abs(change - want['checkpoint-1000/model.safetensors'].fc1.relativeChange!) < 1e-3, `${change}`);
    assert.deepEqual(
      run.model.loss.map((p) => p.loss),
      Object.values(sets.losses.hf_trainer),
    );
  });

  it('Lightning lightning_logs/version_K/checkpoints and a sharded safetensors folder', async () => {
    const lightning = manager().open({ name: 'pl', target: { folder: fixture('sets', 'lightning') } });
    await until(() => lightning.model.series('model.fc1').length === 2);
    assert.deepEqual(steps(lightning, 'model.fc1'), [100, 200]);
    const sharded = manager().open({ name: 'shards', target: { folder: fixture('sets', 'sharded_safetensors') } });
    await until(() => sharded.model.series('fc1').length === 1);
    assert.equal(
      sharded.model.series('fc1')[0].clusters,
      sets.runs.sharded_safetensors['model.safetensors.index.json'].fc1.clusters,
    );
    assert.deepEqual([...lightning.model.problems, ...sharded.model.problems], []);
  });
});
