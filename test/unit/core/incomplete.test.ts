// A report error says whether the file may still be being written (retry it) or is wrong for good.
import { strict as assert } from 'assert';
import { writeFileSync } from 'fs';
import { analyzeCheckpointFile } from '../../../src/core/analyze';
import { withDefaults } from '../../../src/protocol/settings';
import { safetensorsBytes } from '../formats/handMade';
import { useTempDir } from '../helpers/tempDir';

describe('core: report errors carry whether the file may be incomplete', () => {
  const temp = useTempDir();
  const header = { w: { dtype: 'F32', shape: [2, 2], data_offsets: [0, 16] } };

  it('a safetensors file cut short is incomplete', async () => {
    const path = temp('cut.safetensors');
    writeFileSync(path, safetensorsBytes(header, Buffer.alloc(8)));
    const report = await analyzeCheckpointFile(path, withDefaults());
    assert.match(report.error ?? '', /truncated or still being written/);
    assert.equal(report.incomplete, true);
  });

  it('a corrupt one (bytes after the last tensor) is not', async () => {
    const path = temp('long.safetensors');
    writeFileSync(path, safetensorsBytes(header, Buffer.alloc(20)));
    const report = await analyzeCheckpointFile(path, withDefaults());
    assert.match(report.error ?? '', /4 bytes after the last tensor/);
    assert.equal(report.incomplete, undefined);
  });
});
