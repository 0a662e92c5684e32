// `condensation-lens report` failures a user can cause: one line naming the file, exit 1, no stack trace.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

describe('condensation-lens report (built CLI) on an unwritable output', () => {
  it('names the output file and exits 1 without a stack trace', () => {
    const out = join(ROOT, 'no-such-folder', 'report.html');
    const r = spawnSync(
      process.execPath,
      [
        join(ROOT, 'dist', 'cli.js'),
        'report',
        join(ROOT, 'test', 'fixtures', 'reference', 'gamma1'),
        '--no-detail',
        '-o',
        out,
      ],
      { encoding: 'utf8' },
    );
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.ok(r.stderr.includes(`${out}: cannot write the report (its folder does not exist)`), r.stderr);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });
});
