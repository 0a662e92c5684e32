// Every committed fixture (written by real PyTorch, NumPy and TF.js) reads back as expected.json says.
import { strict as assert } from 'assert';
import { copyFileSync, readdirSync, readFileSync, statSync } from 'fs';
import { join, relative } from 'path';
import { isCheckpointFile, openCheckpoint } from '../../../src/core/formats';
import { expectedCheckpoints, fixturePath, fixturesDir } from '../helpers/fixtures';
import { useTempDir } from '../helpers/tempDir';
import { readView } from '../../../src/core/layers/views';
import { assertValuesClose, expectCheckpointError, layerViews, openAndReadAll } from './checkpointAssertions';

const floatDtypes = ['F64', 'F32', 'F16', 'BF16'];

/** Folders not covered by expected.json: bad/ holds refused files, layers/, frameworks/ and sets/ have their own expected.json. */
const OWN_EXPECTATIONS = new Set(['bad', 'layers', 'frameworks', 'sets']);

/** Checkpoint files under test/fixtures as a folder listing would find them. */
function listFixtureCheckpoints(dir = fixturesDir): string[] {
  const names = readdirSync(dir);
  return names.flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return OWN_EXPECTATIONS.has(name) ? [] : listFixtureCheckpoints(path);
    return isCheckpointFile(name, names) ? [relative(fixturesDir, path)] : [];
  });
}

describe('formats: committed fixtures', () => {
  it('expected.json covers every checkpoint file in test/fixtures', () => {
    assert.deepEqual(listFixtureCheckpoints().sort(), Object.keys(expectedCheckpoints).sort());
  });

  for (const [file, expected] of Object.entries(expectedCheckpoints)) {
    it(`${file}: format, names, dtypes, shapes, sums, first values (layer weights neuron-major) and step`, async () => {
      const checkpoint = await openCheckpoint(fixturePath(file));
      try {
        const views = layerViews(checkpoint);
        assert.equal(checkpoint.format, expected.format);
        assert.equal(checkpoint.path, fixturePath(file));
        assert.equal(checkpoint.step ?? null, expected.step);
        assert.deepEqual(
          checkpoint.tensors.map((t) => t.name),
          Object.keys(expected.tensors),
        );
        for (const tensor of checkpoint.tensors) {
          const want = expected.tensors[tensor.name];
          assert.equal(tensor.dtype, want.dtype, `${tensor.name} dtype`);
          const view = views.get(tensor.name);
          assert.deepEqual(view?.shape ?? tensor.shape, want.shape, `${tensor.name} shape`);
          if (!floatDtypes.includes(tensor.dtype)) {
            await expectCheckpointError(checkpoint.read(tensor.name), fixturePath(file), {
              message: /not a float tensor/,
            });
            continue;
          }
          const values = view ? await readView(checkpoint, view) : await checkpoint.read(tensor.name);
          assert.equal(
            values.length,
            want.shape.reduce((n, d) => n * d, 1),
            `${tensor.name} length`,
          );
          let sum = 0;
          let magnitude = 0;
          for (const v of values) {
            sum += v;
            magnitude += Math.abs(v);
          }
          // Stored float32/16 values are exact; float64 files lose only float32 rounding.
          assert.ok(Math.abs(sum - want.sum) <= 1e-6 * magnitude + 1e-9, `${tensor.name} sum ${sum} vs ${want.sum}`);
          assertValuesClose(values.subarray(0, want.first.length), want.first, 1e-6, `${tensor.name} first`);
        }
      } finally {
        await checkpoint.close();
      }
    });
  }

  it('state dict found under model_state_dict / model / state_dict, optimizer state not listed', async () => {
    for (const file of ['pytorch/wrapped.pt', 'pytorch/nested_model.pt', 'pytorch/global_step.pt']) {
      const checkpoint = await openCheckpoint(fixturePath(file));
      assert.ok(
        checkpoint.tensors.every((t) => !/exp_avg|state\./.test(t.name)),
        file,
      );
      await checkpoint.close();
    }
    const wrapped = await openCheckpoint(fixturePath('pytorch/wrapped.pt'));
    assert.equal(wrapped.metadata.step, '1234');
    assert.equal(wrapped.metadata.epoch, '7');
    await wrapped.close();
  });

  describe('format detected by content, not by name', () => {
    const temp = useTempDir();
    const renamed: [string, string, string][] = [
      ['pytorch/state_dict.pt', 'looks.safetensors', 'pytorch'],
      ['safetensors/mlp_f32.safetensors', 'looks.pt', 'safetensors'],
      ['numpy/weights.npz', 'looks.ckpt', 'numpy'],
      ['numpy/single.npy', 'looks.bin', 'numpy'],
      ['tfjs/model.json', 'looks.json', 'tfjs'],
    ];
    for (const [source, name, format] of renamed) {
      it(`${source} copied to ${name} opens as ${format}`, async () => {
        const target = temp(name);
        copyFileSync(fixturePath(source), target);
        // model.json shards are found next to the model.json.
        if (format === 'tfjs') copyFileSync(fixturePath('tfjs/weights.bin'), temp('weights.bin'));
        const original = await openAndReadAll(fixturePath(source));
        const checkpoint = await openCheckpoint(target);
        assert.equal(checkpoint.format, format);
        await checkpoint.close();
        const copy = await openAndReadAll(target);
        // A lone .npy array is named after its file.
        const names = [...original.keys()].map((key) => (source.endsWith('.npy') ? name : key));
        assert.deepEqual([...copy.keys()], names);
        names.forEach((key, i) => assert.deepEqual(copy.get(key), [...original.values()][i]));
      });
    }
  });

  describe("TF.js kernels through their layer's view are neuron-major: they reproduce TF.js's own forward pass (probe.json)", () => {
    it('dense: relu(W1 x + b1) then W2 h + b2', async () => {
      const probe = JSON.parse(readFileSync(fixturePath('tfjs/probe.json'), 'utf8'));
      const w = await openAndReadAll(fixturePath('tfjs/model.json'), true);
      const dense = (x: number[], weight: Float32Array, bias: Float32Array, relu: boolean) =>
        Array.from(bias, (b, n) => {
          const z = x.reduce((acc, xi, i) => acc + weight[n * x.length + i] * xi, b);
          return relu ? Math.max(0, z) : z;
        });
      const hidden = dense(probe.input[0], w.get('dense_1/kernel')!, w.get('dense_1/bias')!, true);
      const output = dense(hidden, w.get('dense_2/kernel')!, w.get('dense_2/bias')!, false);
      assertValuesClose(output, probe.output[0], 1e-5, 'output');
    });

    it('conv: valid 3x3 convolution with [N, C_in, kh, kw] kernels', async () => {
      const probe = JSON.parse(readFileSync(fixturePath('tfjs_conv/probe.json'), 'utf8'));
      const w = await openAndReadAll(fixturePath('tfjs_conv/model.json'), true);
      const kernel = w.get('conv2d_1/kernel')!;
      const bias = w.get('conv2d_1/bias')!;
      const input: number[][][] = probe.input[0];
      const [channels, size] = [input[0][0].length, 3];
      const expected: number[][][] = probe.output[0];
      const output = expected.map((row, y) =>
        row.map((pixel, x) =>
          pixel.map((_, n) => {
            let z = bias[n];
            for (let c = 0; c < channels; c++)
              for (let i = 0; i < size; i++)
                for (let j = 0; j < size; j++)
                  z += kernel[((n * channels + c) * size + i) * size + j] * input[y + i][x + j][c];
            return Math.max(0, z);
          }),
        ),
      );
      assertValuesClose(output.flat(2), expected.flat(2), 1e-5, 'output');
    });
  });
});
