// `condensation-lens analyze` as a user runs it: the built CLI in a child process.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures');
const CLI = join(ROOT, 'dist', 'cli.js');
const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8'));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('condensation-lens analyze (built CLI)', () => {
  before(function () {
    // The suite runs after `npm run build` (the pretest script); say so plainly if it did not.
    try {
      readFileSync(CLI);
    } catch {
      throw new Error(`${CLI} is missing: run 'npm run build' first`);
    }
  });

  it('prints the docs/formats.md JSON for a run folder with the reference numbers', () => {
    const r = cli('analyze', join(FIXTURES, 'reference', 'gamma1'), '--json');
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.version, 1);
    assert.deepEqual(report.settings, {
      threshold: 0.95,
      activeFraction: 0.05,
      includeBias: true,
      similarity: 'signed',
    });
    assert.deepEqual(
      report.checkpoints.map((c: { path: string; step: number }) => [c.path, c.step]),
      [
        ['step-000000.pt', 0],
        ['step-001000.pt', 1000],
        ['step-010000.pt', 10000],
      ],
    );
    const last = report.checkpoints[2].layers[0];
    const want = expected.runs['reference/gamma1']['step-010000.pt'].fc1;
    assert.equal(last.name, 'fc1');
    assert.equal(last.kind, 'dense');
    assert.equal(last.clusters, want.clusters);
    assert.equal(last.active, want.active);
    assert.ok(Math.abs(last.effectiveClusters - want.effectiveClusters) < 1e-4);
    assert.ok(Math.abs(last.relativeChange - want.relativeChange) < 1e-3 * want.relativeChange);
    assert.equal(report.checkpoints[0].error, null);
  });

  it('prints a readable table by default', () => {
    const r = cli('analyze', join(FIXTURES, 'pytorch', 'wrapped.pt'));
    assert.equal(r.code, 0, r.stderr);
    const header = r.stdout.split('\n')[0];
    for (const col of ['step', 'layer', 'clusters', 'effective', 'stable rank'])
      assert.ok(header.includes(col), header);
    const fc1 = r.stdout.split('\n').find((l) => /\bfc1\b/.test(l));
    assert.ok(fc1 && fc1.includes(' 1234 '), `step 1234 from the wrapped dict in: ${fc1}`);
  });

  it('applies --threshold, --no-bias, --similarity and --layer', () => {
    const file = join(FIXTURES, 'pytorch', 'state_dict.pt');
    const r = cli('analyze', file, '--json', '--threshold', '0.8', '--layer', 'fc1');
    const layers = JSON.parse(r.stdout).checkpoints[0].layers;
    assert.deepEqual(
      layers.map((l: { name: string }) => l.name),
      ['fc1'],
    );
    const variant = expected.variants.find((v: { settings: { threshold: number } }) => v.settings.threshold === 0.8);
    assert.equal(layers[0].clusters, variant.layers.fc1.clusters);
    const noBias = JSON.parse(cli('analyze', file, '--json', '--no-bias').stdout).checkpoints[0].layers[0];
    assert.equal(noBias.inputDim, 3);
    const abs = JSON.parse(cli('analyze', file, '--json', '--similarity', 'absolute', '--exclude-layer', 'fc2').stdout);
    assert.deepEqual(abs.settings.similarity, 'absolute');
    assert.deepEqual(
      abs.checkpoints[0].layers.map((l: { name: string }) => l.name),
      ['fc1'],
    );
  });

  it('keeps a bad file in its own entry, analyses the rest, and exits 0', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cl-cli-'));
    copyFileSync(join(FIXTURES, 'reference', 'gamma1', 'step-000000.pt'), join(dir, 'step-000000.pt'));
    writeFileSync(join(dir, 'step-000100.safetensors'), Buffer.from('definitely not a checkpoint'));
    const r = cli('analyze', dir, '--json');
    assert.equal(r.code, 0);
    const [good, bad] = JSON.parse(r.stdout).checkpoints;
    assert.equal(good.error, null);
    assert.equal(bad.path, 'step-000100.safetensors');
    assert.deepEqual(bad.layers, []);
    assert.match(bad.error, /^step-000100\.safetensors: /);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  });

  it('exits 1 when no checkpoint can be analysed, one line per file on stderr', () => {
    const r = cli('analyze', join(FIXTURES, 'bad'));
    assert.equal(r.code, 1);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 4, r.stderr);
    assert.ok(
      lines.some((l) => l.startsWith('evil_os_system.pt: ') && l.includes('system')),
      r.stderr,
    );
    assert.ok(
      lines.some((l) => l.startsWith('expanded.pt: ') && l.includes('.contiguous()')),
      r.stderr,
    );
  });

  it('exits 2 on a usage error and shows help with --help', () => {
    assert.equal(cli('analyze').code, 2);
    assert.equal(cli('analyze', 'x', '--threshold', 'high').code, 2);
    assert.equal(cli('analyze', 'x', '--bogus').code, 2);
    const help = cli('analyze', '--help');
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--threshold/);
    assert.equal(cli('--help').code, 0);
    assert.equal(cli('nonsense').code, 2);
  });

  it('reads a Hugging Face Trainer output_dir: steps and losses from trainer_state.json, side files silent', () => {
    const r = cli('analyze', join(FIXTURES, 'sets', 'hf_trainer'), '--json');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '', 'optimizer.pt, scheduler.pt, rng_state.pth, training_args.bin are not reported');
    const sets = JSON.parse(readFileSync(join(FIXTURES, 'sets', 'expected.json'), 'utf8'));
    assert.deepEqual(
      JSON.parse(r.stdout).checkpoints.map((c: { path: string; step: number; loss: number }) => [
        c.path,
        c.step,
        c.loss,
      ]),
      Object.entries(sets.losses.hf_trainer).map(([path, loss], i) => [path, [500, 1000][i], loss]),
    );
  });

  it('a folder without checkpoints: exit 1, one line naming the layouts looked for', () => {
    const empty = mkdtempSync(join(tmpdir(), 'cl-empty-run-'));
    writeFileSync(join(empty, 'config.json'), '{}');
    const r = cli('analyze', empty);
    assert.equal(r.code, 1);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.ok(lines[0].startsWith(`${empty}: no checkpoints found; looked for `), r.stderr);
    for (const layout of ['lightning_logs/version_K/checkpoints/*.ckpt', 'checkpoint-N/', '<run>/checkpoints/', '.npy'])
      assert.ok(lines[0].includes(layout), `${layout} in: ${r.stderr}`);
  });

  it('names a missing target and exits 1', () => {
    const r = cli('analyze', join(FIXTURES, 'no-such-run'));
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no-such-run: no such file or folder/);
  });

  it('reads a Lightning checkpoint holding Python objects, noting them on one warning line; --strict refuses it', () => {
    const ckpt = join(FIXTURES, 'frameworks', 'lightning.ckpt');
    const r = cli('analyze', ckpt);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stderr,
      `warning: ${ckpt}: holds Python objects that were not run: argparse.Namespace, __main__.TrainConfig\n`,
    );
    assert.match(r.stdout, /model\.body\.0/);
    const json = JSON.parse(cli('analyze', ckpt, '--json').stdout);
    assert.equal(json.checkpoints[0].notes.length, 1);
    const strict = cli('analyze', ckpt, '--strict');
    assert.equal(strict.code, 1);
    assert.match(strict.stderr, /^[^\n]*refuses to load global argparse\.Namespace [^\n]*strict mode is on[^\n]*\n$/);
  });

  it('prints exactly one escaped line per bad file, whatever its name or contents hold', () => {
    const dir = mkdtempSync(join(tmpdir(), 'condensation-lens-forged-'));
    writeFileSync(join(dir, 'a\nb.safetensors: analysed fine.safetensors'), 'not a checkpoint');
    copyFileSync(join(FIXTURES, 'bad', 'evil_os_system.pt'), join(dir, 'evil\x1b[2K.pt'));
    const r = cli('analyze', dir);
    assert.equal(r.code, 1);
    const lines = r.stderr.split('\n').filter(Boolean);
    assert.equal(lines.length, 2, r.stderr);
    assert.ok(![...r.stderr].some((c) => c < ' ' && c !== '\n'), `control character in ${JSON.stringify(r.stderr)}`);
    assert.ok(
      lines.some((l) => l.startsWith('a\\nb.safetensors: analysed fine.safetensors: safetensors header claims')),
    );
    assert.ok(lines.some((l) => /^evil\\x1b\[2K\.pt: is unsafe: it would run posix\.system when loaded/.test(l)));
  });
});
