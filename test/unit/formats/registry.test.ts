// One registry of readers: package.json's Explorer menu and custom editor selectors are derived from it.
import { strict as assert } from 'assert';
import { readFileSync } from 'fs';
import { join } from 'path';
import { checkpointExtensions, editorContributions, isCheckpointFile, readerKinds } from '../../../src/core/formats';

const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));

describe('formats: the reader registry and package.json', () => {
  it("the Explorer menu's when clause is the registry's", () => {
    const items = (pkg.contributes.menus['explorer/context'] as { command: string; when: string }[]).filter(
      (item) => item.command === 'condensationLens.openCheckpoint',
    );
    assert.deepEqual(
      items.map((item) => item.when),
      [editorContributions.explorerWhen],
    );
  });

  it("the custom editor's selector is the registry's, and names every extension read except .bin", () => {
    const [editor] = pkg.contributes.customEditors;
    assert.deepEqual(editor.selector, editorContributions.selector);
    for (const extension of ['.safetensors', '.pt', '.pth', '.ckpt', '.npz', '.npy', '.pth.tar'])
      assert.ok(
        editor.selector.some((s: { filenamePattern: string }) => s.filenamePattern === `*${extension}`),
        extension,
      );
  });

  it('the Explorer menu matches every extension a reader takes (.bin, .ckpt, .npy included) and the JSON kinds', () => {
    const when = editorContributions.explorerWhen;
    const extensionRegex = new RegExp(/resourceExtname =~ \/(.*?)\/i/.exec(when)![1], 'i');
    const nameRegex = new RegExp(/resourceFilename =~ \/(.*?)\/i/.exec(when)![1], 'i');
    for (const extension of checkpointExtensions) assert.ok(extensionRegex.test(extension), extension);
    for (const extension of ['.bin', '.ckpt', '.npy']) assert.ok(extensionRegex.test(extension), extension);
    assert.ok(!extensionRegex.test('.json') && !extensionRegex.test('.txt'));
    for (const name of [
      'model.json',
      'tiny_face_detector_model-weights_manifest.json',
      'model.safetensors.index.json',
      'pytorch_model.bin.index.json',
      'model_best.pth.tar',
    ])
      assert.ok(nameRegex.test(name) && isCheckpointFile(name), name);
    assert.ok(!nameRegex.test('config.json') && !nameRegex.test('trainer_state.json') && !nameRegex.test('data.tar'));
    assert.ok(readerKinds.every((kind) => kind.extensions.length + kind.names.length > 0));
  });
});
