// The trainer as a child process: atomic checkpoint files under a concurrent reader, and a clean
// stop on SIGTERM; every stdout line is a docs/formats.md progress line.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openCheckpoint } from '../../../src/core/formats';
import { parseProgressLine, type ProgressLine } from '../../../src/protocol/trainerProgress';
import { spawnTrainer, tempDir } from './helpers';

const FINAL_NAME = /^step-(\d+)\.safetensors$/;

/** Opens a checkpoint and reads every tensor: throws on any incomplete or inconsistent file. */
async function readWhole(path: string): Promise<number> {
  const ckpt = await openCheckpoint(path);
  try {
    assert.deepEqual(
      ckpt.tensors.map((t) => [t.name, t.shape]),
      [
        ['fc1.weight', [1000, 1]],
        ['fc1.bias', [1000]],
        ['fc2.weight', [1, 1000]],
      ],
    );
    for (const t of ckpt.tensors) assert.equal((await ckpt.read(t.name)).length, 1000);
    return ckpt.step!;
  } finally {
    await ckpt.close();
  }
}

interface Finished {
  code: number | null;
  lines: string[];
}

function collect(
  child: ReturnType<typeof spawnTrainer>,
  onLine: (line: ProgressLine) => void = () => undefined,
): Promise<Finished> {
  const lines: string[] = [];
  let pending = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    const parts = pending.split('\n');
    pending = parts.pop()!;
    for (const l of parts) {
      lines.push(l);
      const parsed = parseProgressLine(l);
      if (parsed) onLine(parsed);
    }
  });
  child.stderr.resume();
  return new Promise((done) => child.on('close', (code) => done({ code, lines })));
}

describe('trainer process', function () {
  this.timeout(120_000);

  it('never shows a partial checkpoint under its final name to a reader polling the folder', async () => {
    const out = join(tempDir(), 'run');
    const child = spawnTrainer([
      'relu-1d',
      '--steps',
      '3000',
      '--every',
      '10',
      '--backend',
      'wasm',
      '--progress',
      'json',
      '--out',
      out,
    ]);
    let running = true;
    const finished = collect(child).finally(() => (running = false));
    const checked = new Set<string>();
    while (running) {
      const names = existsSync(join(out, 'checkpoints')) ? readdirSync(join(out, 'checkpoints')) : [];
      for (const name of names.filter((n) => FINAL_NAME.test(n) && !checked.has(n))) {
        assert.equal(await readWhole(join(out, 'checkpoints', name)), Number(FINAL_NAME.exec(name)![1]), name);
        checked.add(name);
      }
      await new Promise((r) => setTimeout(r, 1));
    }
    const { code } = await finished;
    assert.equal(code, 0);
    const all = readdirSync(join(out, 'checkpoints'));
    assert.equal(all.length, 301);
    // The reader saw files appear while training ran, not only at the end.
    assert.ok(checked.size >= 10, `only ${checked.size} files were seen while training`);
  });

  it('stops on SIGTERM: complete checkpoints only, a final metrics line, `finished` last, exit 0', async () => {
    const out = join(tempDir(), 'run');
    const child = spawnTrainer([
      'relu-1d',
      '--steps',
      '1000000',
      '--every',
      '50',
      '--backend',
      'wasm',
      '--progress',
      'json',
      '--out',
      out,
    ]);
    let checkpoints = 0;
    const { code, lines } = await collect(child, (line) => {
      if (line.type === 'checkpoint' && ++checkpoints === 3) child.kill('SIGTERM');
    });
    assert.equal(code, 0);
    const parsed = lines.map((l) => parseProgressLine(l));
    assert.ok(
      parsed.every((p) => p !== undefined),
      `unparsable stdout line among:\n${lines.join('\n')}`,
    );
    assert.equal(parsed[0]!.type, 'started');
    const last = parsed.at(-1)!;
    assert.equal(last.type, 'finished');
    const stoppedAt = (last as { step: number }).step;
    assert.ok(stoppedAt >= 100 && stoppedAt < 1_000_000, `stopped at ${stoppedAt}`);

    const names = readdirSync(join(out, 'checkpoints'));
    assert.ok(
      names.every((n) => FINAL_NAME.test(n)),
      `stray files: ${names.join(', ')}`,
    );
    for (const n of names) await readWhole(join(out, 'checkpoints', n));
    const reported = parsed.flatMap((p) => (p?.type === 'checkpoint' ? [p.path] : []));
    assert.deepEqual(reported.sort(), names.map((x) => `checkpoints/${x}`).sort());

    const metrics = readFileSync(join(out, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(metrics.at(-1).step, stoppedAt);
    assert.ok(Number.isFinite(metrics.at(-1).loss));
  });
});
