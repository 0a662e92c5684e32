// Checkpoints as frameworks write them (test/fixtures/sets, by make_set_fixtures.py): sharded safetensors and
// PyTorch with their index, a Hugging Face Trainer output_dir, Lightning layouts, torchvision state dicts.
// Figures come from the independent NumPy reference in sets/expected.json.
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeRun } from '../../../src/core/analyze';
import { detectRun, listCheckpoints, noCheckpointsMessage, openEntry, runLayouts } from '../../../src/core/run';
import type { LayerSummary, RunReport } from '../../../src/protocol/report';
import { useTempDir } from '../helpers/tempDir';
import { expectCheckpointError } from '../formats/checkpointAssertions';

const SETS = join(__dirname, '..', '..', 'fixtures', 'sets');
type Figures = Omit<LayerSummary, 'name' | 'kind'>;
const expected: {
  runs: Record<string, Record<string, Record<string, Figures>>>;
  losses: Record<string, Record<string, number>>;
  tensors: Record<string, Record<string, number[]>>;
} = JSON.parse(readFileSync(join(SETS, 'expected.json'), 'utf8'));
const mainExpected: { checkpoints: Record<string, { layers: Record<string, Figures> }> } = JSON.parse(
  readFileSync(join(SETS, '..', 'expected.json'), 'utf8'),
);

const near = (actual: number, want: number, what: string, rel = 1e-4) =>
  assert.ok(Math.abs(actual - want) <= rel * Math.max(1, Math.abs(want)), `${what}: ${actual} vs expected ${want}`);

/** The report's checkpoints match the NumPy figures, in order, none with an error. */
function assertRun(report: RunReport, want: Record<string, Record<string, Figures>>, run: string) {
  assert.deepEqual(
    report.checkpoints.map((c) => [c.path, c.error]),
    Object.keys(want).map((path) => [path, null]),
  );
  for (const checkpoint of report.checkpoints) {
    const layers = want[checkpoint.path];
    assert.deepEqual(
      checkpoint.layers.map((l) => l.name),
      Object.keys(layers),
      `${run}/${checkpoint.path} layers`,
    );
    for (const layer of checkpoint.layers) {
      const figures = layers[layer.name];
      const where = `${run}/${checkpoint.path} ${layer.name}`;
      for (const key of ['neurons', 'inputDim', 'active', 'clusters', 'largestCluster'] as const)
        assert.equal(layer[key], figures[key], `${where} ${key}`);
      near(layer.effectiveClusters, figures.effectiveClusters, `${where} effectiveClusters`);
      near(layer.stableRank, figures.stableRank, `${where} stableRank`, 1e-3);
      if (figures.relativeChange === undefined) assert.equal(layer.relativeChange, undefined, `${where} lone`);
      else near(layer.relativeChange ?? NaN, figures.relativeChange, `${where} relativeChange`, 1e-3);
    }
  }
}

describe('checkpoint sets and run layouts (real framework layouts)', () => {
  const temp = useTempDir();

  for (const [run, index, shards] of [
    ['sharded_safetensors', 'model.safetensors.index.json', 'model-0000{1,2}-of-00002.safetensors'],
    ['sharded_pytorch', 'pytorch_model.bin.index.json', 'pytorch_model-0000{1,2}-of-00002.bin'],
  ]) {
    it(`${run}: one checkpoint read through its index, figures equal to the unsharded model's`, async () => {
      const report = await analyzeRun(join(SETS, run));
      assertRun(report, expected.runs[run], run);
      const [checkpoint] = report.checkpoints;
      assert.equal(checkpoint.step, null, 'shard numbers are not a step');
      assert.deepEqual(checkpoint.files, [index, shards.replace('{1,2}', '1'), shards.replace('{1,2}', '2')]);
      // The same MLP unsharded (safetensors/mlp_f32.safetensors): the NumPy figures of both agree.
      const unsharded = mainExpected.checkpoints['safetensors/mlp_f32.safetensors'].layers;
      for (const layer of checkpoint.layers) {
        assert.equal(layer.clusters, unsharded[layer.name].clusters, layer.name);
        near(layer.effectiveClusters, unsharded[layer.name].effectiveClusters, layer.name);
      }
    });
  }

  it('an index with a missing shard is refused in one line naming the index and the shard', async () => {
    const dir = temp('missing-shard');
    mkdirSync(dir);
    copyFileSync(
      join(SETS, 'sharded_safetensors', 'model.safetensors.index.json'),
      join(dir, 'model.safetensors.index.json'),
    );
    copyFileSync(
      join(SETS, 'sharded_safetensors', 'model-00001-of-00002.safetensors'),
      join(dir, 'model-00001-of-00002.safetensors'),
    );
    const index = join(dir, 'model.safetensors.index.json');
    await expectCheckpointError(openEntry(index), index, {
      message:
        /is a shard index of 2 files; shard model-00002-of-00002\.safetensors cannot open the file \(no such file\)/,
      maybeIncomplete: true,
    });
  });

  it('an index still being written is "maybe incomplete", in words that fit an index', async () => {
    const dir = temp('partial-index');
    mkdirSync(dir);
    const index = join(dir, 'model.safetensors.index.json');
    writeFileSync(
      index,
      readFileSync(join(SETS, 'sharded_safetensors', 'model.safetensors.index.json'), 'utf8').slice(0, 40),
    );
    const error = await expectCheckpointError(openEntry(index), index, {
      message: /is not valid JSON .*; it may still be being written/,
      maybeIncomplete: true,
    });
    assert.doesNotMatch(error.message, /TF\.js/);
  });

  it('Hugging Face Trainer output_dir: checkpoint-N/ folders, steps and losses from trainer_state.json, side files ignored', async () => {
    const report = await analyzeRun(join(SETS, 'hf_trainer'));
    assertRun(report, expected.runs.hf_trainer, 'hf_trainer');
    assert.deepEqual(
      report.checkpoints.map((c) => [c.step, c.loss]),
      Object.values(expected.losses.hf_trainer).map((loss, i) => [[500, 1000][i], loss]),
    );
  });

  it('a Trainer output_dir after save_model and save_state: the final model beside the checkpoint-N/ folders', async () => {
    const dir = temp('output_dir');
    cpSync(join(SETS, 'hf_trainer'), dir, { recursive: true });
    for (const file of ['model.safetensors', 'trainer_state.json', 'config.json', 'training_args.bin'])
      copyFileSync(join(dir, 'checkpoint-1000', file), join(dir, file));
    const report = await analyzeRun(dir);
    assert.deepEqual(report.checkpoints.map((c) => [c.path, c.step, c.error]).sort(), [
      ['checkpoint-1000/model.safetensors', 1000, null],
      ['checkpoint-500/model.safetensors', 500, null],
      ['model.safetensors', 1000, null],
    ]);
  });

  it('one checkpoint-N/ folder: its step and loss, no side-file errors, no relativeChange against itself', async () => {
    const report = await analyzeRun(join(SETS, 'hf_trainer', 'checkpoint-500'));
    assert.equal(report.checkpoints.length, 1);
    const [checkpoint] = report.checkpoints;
    assert.equal(checkpoint.error, null);
    assert.equal(checkpoint.step, 500);
    assert.equal(checkpoint.loss, expected.losses.hf_trainer['checkpoint-500/model.safetensors']);
    assert.ok(checkpoint.layers.length > 0 && checkpoint.layers.every((l) => l.relativeChange === undefined));
    assert.deepEqual(checkpoint.files, ['model.safetensors', 'trainer_state.json']);
  });

  it('a folder that is not one checkpoint is refused in one line saying what it holds and what to do', async () => {
    const torchvision = join(SETS, 'torchvision');
    await expectCheckpointError(openEntry(torchvision), torchvision, {
      message:
        /is a directory holding 2 checkpoints \(.*resnet18\.pt.*\); analyse it as a run folder or open one of them/,
    });
    const empty = temp('no-weights');
    mkdirSync(empty);
    writeFileSync(join(empty, 'config.json'), '{}');
    await expectCheckpointError(openEntry(empty), empty, {
      message:
        /is a directory holding no checkpoint \(looked for \.safetensors, .*\); open a checkpoint file or a run folder/,
    });
  });

  it('Lightning lightning_logs/version_K/checkpoints/*.ckpt: steps from global_step, state dict under "state_dict"', async () => {
    const report = await analyzeRun(join(SETS, 'lightning'));
    assertRun(report, expected.runs.lightning, 'lightning');
    assert.deepEqual(
      report.checkpoints.map((c) => c.step),
      [100, 200],
    );
  });

  it('Lightning ModelCheckpoint(dirpath="checkpoints"): last.ckpt takes its step from global_step', async () => {
    const report = await analyzeRun(join(SETS, 'lightning_dirpath'));
    assert.deepEqual(report.checkpoints.map((c) => [c.path, c.step, c.error]).sort(), [
      ['checkpoints/epoch=2-step=300.ckpt', 300, null],
      ['checkpoints/last.ckpt', 300, null],
    ]);
  });

  it('torchvision resnet18 / mobilenet_v2 state dicts: read by their real names, no step from the model name', async () => {
    const entries = await listCheckpoints(join(SETS, 'torchvision'));
    assert.deepEqual(entries.map((e) => [e.name, e.step]).sort(), [
      ['mobilenet_v2.pt', null],
      ['resnet18.pt', null],
    ]);
    for (const e of entries) {
      const ckpt = await e.open();
      try {
        assert.equal(ckpt.step, undefined);
        const shapes = Object.fromEntries(ckpt.tensors.map((t) => [t.name, [...t.shape]]));
        assert.deepEqual(shapes, expected.tensors[`torchvision/${e.name}`]);
      } finally {
        await ckpt.close();
      }
    }
    const report = await analyzeRun(join(SETS, 'torchvision'));
    assert.ok(report.checkpoints.every((c) => c.step === null && c.error === null));
  });

  it('TF.js models under their own names (face-api: age.json beside age.bin): each model with its shard', async () => {
    const dir = join(SETS, 'tfjs_graph');
    const entries = await listCheckpoints(dir);
    assert.deepEqual(
      entries.map((e) => [e.name, e.files.map((f) => f.slice(dir.length + 1))]),
      [
        ['age.json', ['age.json', 'age.bin']],
        ['gender.json', ['gender.json', 'gender.bin']],
      ],
    );
    const report = await analyzeRun(dir);
    assert.deepEqual(
      report.checkpoints.map((c) => [c.path, c.error, c.layers.length > 0]),
      [
        ['age.json', null, true],
        ['gender.json', null, true],
      ],
    );
    // A JSON without a .bin of its name beside it is never read as a model.
    const plain = temp('json-only');
    mkdirSync(plain);
    writeFileSync(
      join(plain, 'tokenizer.json'),
      JSON.stringify({ weightsManifest: [{ paths: ['w.bin'], weights: [] }] }),
    );
    writeFileSync(join(plain, 'w.bin'), Buffer.alloc(4));
    assert.deepEqual(
      (await listCheckpoints(plain)).map((e) => e.name),
      ['w.bin'],
    );
  });

  it('a checkpoint is judged over all its files: a shard being written changes the entry', async () => {
    const dir = temp('growing');
    cpSync(join(SETS, 'sharded_safetensors'), dir, { recursive: true });
    const [before] = await listCheckpoints(dir);
    assert.equal(before.files.length, 3);
    writeFileSync(join(dir, 'model-00002-of-00002.safetensors'), Buffer.alloc(10));
    const [after] = await listCheckpoints(dir);
    assert.notEqual(after.size, before.size);
    rmSync(join(dir, 'model-00002-of-00002.safetensors'));
    // A shard still missing: the index alone is listed, and opening it says which shard is missing.
    const [partial] = await listCheckpoints(dir);
    assert.deepEqual(partial.files.length, 2);
  });

  it('each layout detector finds its real folder', async () => {
    const tfjsFolders = temp('tfjs-folders');
    for (const model of ['tfjs', 'tfjs_conv'])
      cpSync(join(SETS, '..', model), join(tfjsFolders, model), { recursive: true });
    const cases: [string, string | undefined, number][] = [
      [join(SETS, 'hf_trainer'), 'Hugging Face Trainer', 2],
      [join(SETS, 'hf_trainer', 'checkpoint-500'), 'checkpoint folder', 1],
      [join(SETS, 'lightning'), 'Lightning', 2],
      [join(SETS, 'lightning_dirpath'), 'checkpoints folder', 2],
      [join(SETS, '..', 'reference'), undefined, 0], // a folder of runs (each subfolder holds three) is not a run
      [tfjsFolders, 'model folders', 2],
      [join(SETS, 'torchvision'), 'flat', 2],
      [join(SETS, 'sharded_pytorch'), 'flat', 1],
    ];
    for (const [dir, layout, count] of cases) {
      const found = await detectRun(dir);
      assert.deepEqual([found.layout, found.entries.length], [layout, count], dir);
    }
  });

  it('a folder with no checkpoint names every layout it looked for', async () => {
    const dir = temp('empty-run');
    mkdirSync(dir);
    writeFileSync(join(dir, 'config.json'), '{}');
    assert.deepEqual(await listCheckpoints(dir), []);
    const message = noCheckpointsMessage(dir);
    assert.ok(!message.includes('\n'));
    for (const layout of runLayouts) assert.ok(message.includes(layout.looksFor), layout.name);
    assert.match(message, /lightning_logs\/version_K\/checkpoints\/\*\.ckpt/);
    assert.match(message, /checkpoint-N\//);
  });
});
