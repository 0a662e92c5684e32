// The head counts of a Hugging Face config.json beside the weights reach the checkpoint's metadata.
import { strict as assert } from 'assert';
import { copyFileSync, mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { openCheckpoint } from '../../../src/core/formats';
import { fixturePath } from '../helpers/fixtures';
import { useTempDir } from '../helpers/tempDir';

describe('formats: config.json beside the weights', () => {
  const temp = useTempDir();
  let folders = 0;

  async function metadataWith(config: string | undefined) {
    const folder = temp(`model-${folders++}`);
    mkdirSync(folder);
    copyFileSync(fixturePath('layers/mistral_gqa/model.safetensors'), join(folder, 'model.safetensors'));
    if (config !== undefined) writeFileSync(join(folder, 'config.json'), config);
    const checkpoint = await openCheckpoint(join(folder, 'model.safetensors'));
    await checkpoint.close();
    return { metadata: checkpoint.metadata, notes: checkpoint.notes ?? [] };
  }

  it('num_attention_heads, num_key_value_heads and head_dim (GPT-2: n_head) are read; the file’s own metadata wins', async () => {
    const config = { num_attention_heads: 4, num_key_value_heads: 2, head_dim: 4, hidden_size: 16, format: 'x' };
    assert.deepEqual(await metadataWith(JSON.stringify(config)), {
      metadata: { num_attention_heads: '4', num_key_value_heads: '2', head_dim: '4', format: 'pt' },
      notes: [],
    });
    assert.deepEqual((await metadataWith('{"n_head": 12, "num_key_value_heads": -1}')).metadata, {
      num_attention_heads: '12',
      format: 'pt',
    });
    assert.deepEqual(await metadataWith(undefined), { metadata: { format: 'pt' }, notes: [] });
  });

  it('a config.json that is not JSON is a note, not an error', async () => {
    const { metadata, notes } = await metadataWith('{"num_attention_heads": 4');
    assert.deepEqual(metadata, { format: 'pt' });
    assert.equal(notes.length, 1);
    assert.match(notes[0], /^config\.json beside it: is not valid JSON .*; its head counts are not used$/);
  });
});
