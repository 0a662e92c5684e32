// Text from a file never forges a line: names, dtypes and file names reach the report escaped and capped.
import { strict as assert } from 'assert';
import { mkdirSync, writeFileSync } from 'fs';
import { analyzeRun } from '../../../src/core/analyze';
import { safetensorsBytes } from '../formats/handMade';
import { useTempDir } from '../helpers/tempDir';

const forged = '\nx.safetensors: analysed fine\x1b[2K\r';

describe('core: errors from hostile names stay one escaped line', () => {
  const temp = useTempDir();

  it('a tensor name, a 10 MB dtype and a file name holding newlines and escape sequences', async () => {
    const dir = temp('run');
    mkdirSync(dir);
    const badName = { [`w${forged}`]: { dtype: 'F32', shape: [1], data_offsets: [0, 8] } };
    writeFileSync(`${dir}/a${forged}.safetensors`, safetensorsBytes(badName, Buffer.alloc(8)));
    const hugeDtype = { w: { dtype: `F${'3'.repeat(10_000_000)}\n`, shape: [1], data_offsets: [0, 4] } };
    writeFileSync(`${dir}/b.safetensors`, safetensorsBytes(hugeDtype, Buffer.alloc(4)));
    const report = await analyzeRun(dir);
    const errors = report.checkpoints.map((c) => c.error ?? '');
    assert.equal(errors.length, 2);
    for (const error of errors) {
      assert.ok(![...error].some((c) => c < ' '), `control character in ${error}`);
      assert.ok(error.length < 1000, `${error.length} characters`);
    }
    assert.match(errors[0], /^a\\nx\.safetensors: analysed fine\\x1b\[2K\\r\.safetensors: .*"w\\nx\.safetensors/);
    assert.match(errors[1], /unknown dtype "F3{199}… \(9999802 more\)"/);
  });
});
