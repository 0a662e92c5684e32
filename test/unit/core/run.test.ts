// Run folders: checkpoint order, metrics.jsonl being written, run.json.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listCheckpoints, lossByStep, readMetricsJsonl, stepFromName } from '../../../src/core/run';

function folder(): string {
  return mkdtempSync(join(tmpdir(), 'cl-run-'));
}

describe('run folders', () => {
  it('takes the last run of digits in a name as the step', () => {
    assert.equal(stepFromName('epoch_12.pt'), 12);
    assert.equal(stepFromName('model-v2-step-000300.safetensors'), 300);
    assert.equal(stepFromName('final.pt'), null);
    assert.equal(stepFromName('/runs/a/checkpoints/step-20/model.json'), 20);
  });

  it('takes steps from step-like names only, never from model or shard names', () => {
    const cases: [string, number | null][] = [
      ['checkpoint-500', 500],
      ['out/checkpoint-500/model.safetensors', 500],
      ['step-000100.safetensors', 100],
      ['epoch=2-step=300.ckpt', 300],
      ['epoch_12.pt', 12],
      ['ckpt-2000.pth', 2000],
      ['model.ckpt-2000', 2000],
      ['iter_500.pt', 500],
      ['global_step100', 100],
      ['1500.safetensors', 1500],
      ['resnet18.pt', null],
      ['mobilenet_v2.pth', null],
      ['model-00001-of-00002.safetensors', null],
      ['bert-base-768.bin', null],
      ['pytorch_model.bin.index.json', null],
      ['last.ckpt', null],
      ['checkpoint-10.pth.tar', 10],
      ['model_best.pth.tar', null],
    ];
    for (const [name, step] of cases) assert.equal(stepFromName(name), step, name);
  });

  it('orders numerically (epoch_2 before epoch_10), unknown steps by mtime, skipping temp files', () => {
    const dir = folder();
    for (const n of [
      'epoch_10.pt',
      'epoch_2.pt',
      'final.pt',
      'best.pt',
      '.step-3.safetensors.tmp',
      'notes.txt',
      'step-5.safetensors.tmp-123',
    ])
      writeFileSync(join(dir, n), 'x');
    utimesSync(join(dir, 'final.pt'), 2000, 2000);
    utimesSync(join(dir, 'best.pt'), 1000, 1000);
    return listCheckpoints(dir).then((l) =>
      assert.deepEqual(
        l.map((e) => e.name),
        ['epoch_2.pt', 'epoch_10.pt', 'best.pt', 'final.pt'],
      ),
    );
  });

  it('prefers <run>/checkpoints and finds TF.js model.json folders', async () => {
    const dir = folder();
    mkdirSync(join(dir, 'checkpoints', 'step-20'), { recursive: true });
    writeFileSync(join(dir, 'checkpoints', 'step-20', 'model.json'), '{}');
    writeFileSync(join(dir, 'checkpoints', 'step-100.npz'), 'x');
    writeFileSync(join(dir, 'stray.pt'), 'x');
    const names = (await listCheckpoints(dir)).map((e) => [e.name, e.step]);
    assert.deepEqual(names, [
      ['checkpoints/step-20/model.json', 20],
      ['checkpoints/step-100.npz', 100],
    ]);
  });

  it('lists a TF.js model.json with its weight shards as one checkpoint', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'model.json'), '{}');
    writeFileSync(join(dir, 'group1-shard1of1.bin'), 'x');
    assert.deepEqual(
      (await listCheckpoints(dir)).map((e) => e.name),
      ['model.json'],
    );
  });

  it('lists timm .pth.tar checkpoints and leaves side files and other archives out', async () => {
    const dir = folder();
    for (const n of ['checkpoint-10.pth.tar', 'model_best.pth.tar', 'data.tar', 'optimizer.pt', 'rng_state_0.pth'])
      writeFileSync(join(dir, n), 'x');
    utimesSync(join(dir, 'model_best.pth.tar'), 1000, 1000);
    assert.deepEqual(
      (await listCheckpoints(dir)).map((e) => [e.name, e.step]),
      [
        ['checkpoint-10.pth.tar', 10],
        ['model_best.pth.tar', null],
      ],
    );
  });

  it('reads metrics.jsonl, skipping a partial last line and keeping unknown fields', async () => {
    const dir = folder();
    writeFileSync(
      join(dir, 'metrics.jsonl'),
      '{"step":0,"loss":1.5}\n{"step":100,"loss":0.25,"acc":0.9}\n{"step":200,"lo',
    );
    const records = await readMetricsJsonl(dir);
    assert.deepEqual(records, [
      { step: 0, loss: 1.5 },
      { step: 100, loss: 0.25, acc: 0.9 },
    ]);
    assert.deepEqual(
      [...lossByStep(records)],
      [
        [0, 1.5],
        [100, 0.25],
      ],
    );
    assert.deepEqual(await readMetricsJsonl(folder()), []);
  });
});
