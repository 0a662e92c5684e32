// TF.js model.json + shards: shards found next to model.json, quantized weights dequantized, damage reported.
import { strict as assert } from 'assert';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { openCheckpoint } from '../../../src/core/formats';
import { discoverLayers } from '../../../src/core/layers/discover';
import { readView } from '../../../src/core/layers/views';
import { fixturePath } from '../helpers/fixtures';
import { useTempDir } from '../helpers/tempDir';
import { expectCheckpointError, openAndReadAll } from './checkpointAssertions';

const realModel = JSON.parse(readFileSync(fixturePath('tfjs/model.json'), 'utf8'));
const realWeights = readFileSync(fixturePath('tfjs/weights.bin'));

describe('formats: TF.js', () => {
  const temp = useTempDir();
  let folders = 0;

  /** Writes a model.json (and shards) into a fresh folder and returns the model.json path. */
  function writeModel(model: unknown, shards: Record<string, Buffer>): string {
    const folder = temp(`model-${folders++}`);
    mkdirSync(folder);
    for (const [name, bytes] of Object.entries(shards)) writeFileSync(join(folder, name), bytes);
    const path = join(folder, 'model.json');
    writeFileSync(path, typeof model === 'string' ? model : JSON.stringify(model));
    return path;
  }
  const withManifest = (manifest: unknown) => ({ ...realModel, weightsManifest: manifest });

  it('a group split across two shards reads the same values as the single shard', async () => {
    const cut = 101; // not a multiple of 4: a weight straddles the two files
    const manifest = [{ ...realModel.weightsManifest[0], paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'] }];
    const path = writeModel(withManifest(manifest), {
      'group1-shard1of2.bin': realWeights.subarray(0, cut),
      'group1-shard2of2.bin': realWeights.subarray(cut),
    });
    assert.deepEqual(await openAndReadAll(path), await openAndReadAll(fixturePath('tfjs/model.json')));
  });

  it('uint8 and float16 quantized weights are dequantized (hand-computed values)', async () => {
    // kernel [D_in=2, N=3] stored as q = 0..5 with scale 0.5, min -1: values -1, -0.5, 0, 0.5, 1, 1.5.
    const kernel = Buffer.from([0, 1, 2, 3, 4, 5]);
    const bias = Buffer.from(new Uint16Array([0x3c00, 0xc000]).buffer); // float16 1 and -2
    const path = writeModel(
      {
        weightsManifest: [
          {
            paths: ['w.bin'],
            weights: [
              {
                name: 'dense/kernel',
                shape: [2, 3],
                dtype: 'float32',
                quantization: { dtype: 'uint8', scale: 0.5, min: -1 },
              },
              { name: 'dense/bias', shape: [2], dtype: 'float32', quantization: { dtype: 'float16' } },
            ],
          },
        ],
        userDefinedMetadata: { step: 40 },
      },
      { 'w.bin': Buffer.concat([kernel, bias]) },
    );
    const checkpoint = await openCheckpoint(path);
    assert.deepEqual(checkpoint.tensors, [
      { name: 'dense/kernel', dtype: 'F32', shape: [2, 3] },
      { name: 'dense/bias', dtype: 'F32', shape: [2] },
    ]);
    assert.equal(checkpoint.step, 40);
    assert.deepEqual(Array.from(await checkpoint.read('dense/kernel')), [-1, -0.5, 0, 0.5, 1, 1.5]);
    assert.deepEqual(Array.from(await checkpoint.read('dense/bias')), [1, -2]);
    // The layer reads it neuron-major: neuron n's row is stored column n, [[-1, 0.5], [-0.5, 1], [0, 1.5]].
    const [layer] = discoverLayers(checkpoint);
    assert.deepEqual([layer.name, layer.view, layer.weight.shape], ['dense', 'transposed', [3, 2]]);
    assert.deepEqual(Array.from(await readView(checkpoint, layer.weight)), [-1, 0.5, -0.5, 1, 0, 1.5]);
    await checkpoint.close();
  });

  const cases: [string, () => string, RegExp, boolean][] = [
    [
      'a missing weight file',
      () => writeModel(realModel, {}),
      /weight file "weights\.bin": cannot open the file \(no such file\)/,
      true,
    ],
    // (4·12 + 12 + 12·3 + 3) float32 weights = 396 bytes.
    [
      'a weight file cut short',
      () => writeModel(realModel, { 'weights.bin': realWeights.subarray(0, 100) }),
      /hold 100 bytes but its weights need 396 \(truncated/,
      true,
    ],
    [
      'a weight file longer than its weights',
      () => writeModel(realModel, { 'weights.bin': Buffer.concat([realWeights, Buffer.alloc(8)]) }),
      /8 bytes more than its weights need/,
      false,
    ],
    [
      'a weight path outside the model folder',
      () => writeModel(withManifest([{ ...realModel.weightsManifest[0], paths: ['../weights.bin'] }]), {}),
      /"\.\.\/weights\.bin" is not a file next to model\.json/,
      false,
    ],
    [
      'an absolute weight path',
      () => writeModel(withManifest([{ ...realModel.weightsManifest[0], paths: ['/etc/passwd'] }]), {}),
      /"\/etc\/passwd" is not a file next to model\.json/,
      false,
    ],
    [
      'a model.json cut short',
      () => writeModel(JSON.stringify(realModel).slice(0, 300), { 'weights.bin': realWeights }),
      /is not valid JSON/,
      true,
    ],
    ['JSON without a weightsManifest', () => writeModel({ format: 'layers-model' }, {}), /no "weightsManifest"/, false],
    [
      'a group without paths',
      () => writeModel(withManifest([{ weights: [] }]), {}),
      /weightsManifest\[0\] lacks "paths" or "weights"/,
      false,
    ],
    [
      'string weights',
      () => writeModel(withManifest([{ paths: [], weights: [{ name: 's', shape: [1], dtype: 'string' }] }]), {}),
      /weight "s" has dtype "string"/,
      false,
    ],
    [
      'an unknown quantization',
      () =>
        writeModel(
          withManifest([
            { paths: [], weights: [{ name: 'q', shape: [1], dtype: 'float32', quantization: { dtype: 'int4' } }] },
          ]),
          {},
        ),
      /only uint8, uint16 and float16 quantization/,
      false,
    ],
    [
      '100 000 weight files (would exhaust file handles)',
      () =>
        writeModel(
          withManifest([
            { ...realModel.weightsManifest[0], paths: Array.from({ length: 100_000 }, (_, i) => `w${i}.bin`) },
          ]),
          {},
        ),
      /lists 100000 weight files, more than the 4096/,
      false,
    ],
    [
      'a bad shape',
      () => writeModel(withManifest([{ paths: [], weights: [{ name: 'k', shape: [2, 'x'], dtype: 'float32' }] }]), {}),
      /weight "k" has an invalid shape/,
      false,
    ],
  ];
  for (const [label, make, message, maybeIncomplete] of cases) {
    it(`${label} → CheckpointError`, async () => {
      const path = make();
      await expectCheckpointError(openCheckpoint(path), path, { message, maybeIncomplete });
    });
  }

  it('the checkpoint path is the model.json path', async () => {
    const folder = temp('renamed');
    mkdirSync(folder);
    copyFileSync(fixturePath('tfjs/model.json'), join(folder, 'run-model.json'));
    copyFileSync(fixturePath('tfjs/weights.bin'), join(folder, 'weights.bin'));
    const checkpoint = await openCheckpoint(join(folder, 'run-model.json'));
    assert.equal(checkpoint.path, join(folder, 'run-model.json'));
    await checkpoint.close();
  });
});
