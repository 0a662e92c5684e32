// A stand-in training script for the process tests: writes docs/formats.md progress lines.
// Modes: `finish` (3 steps, then exits 0), `fail` (stderr, exit 3), `hang` (starts a grandchild, then waits),
// `copy <dir>` (copies the checkpoints of <dir> into the run folder as a trainer writes them, then exits 0),
// `live` (a step line every 50 ms until SIGTERM, then a finished line and exit 0).
const { spawn } = require('node:child_process');
const { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync, appendFileSync } = require('node:fs');
const { join } = require('node:path');

const [mode, pidFile] = process.argv.slice(2);
const say = (o) => process.stdout.write(JSON.stringify(o) + '\n');

say({ type: 'started', run: process.env.CONDENSATION_LENS_RUN_DIR ?? 'none', backend: 'cpu' });
process.stdout.write('a line that is not progress\n');
process.stderr.write('loading data\n');
if (mode === 'finish') {
  for (const step of [0, 10, 20]) say({ type: 'step', step, epoch: step, loss: 1 / (step + 1), stepsPerSecond: 100 });
  say({ type: 'checkpoint', step: 20, path: 'checkpoints/step-000020.safetensors' });
  say({ type: 'finished', step: 20 });
} else if (mode === 'fail') {
  process.stderr.write('Error: the data set is empty\n');
  process.exitCode = 3;
} else if (mode === 'copy') {
  const out = join(process.env.CONDENSATION_LENS_RUN_DIR, 'checkpoints');
  mkdirSync(out, { recursive: true });
  for (const name of readdirSync(pidFile).sort()) {
    const bytes = readFileSync(join(pidFile, name));
    const tmp = join(out, `.${name}.tmp`);
    // Written in two parts to a temporary name, then renamed into place.
    writeFileSync(tmp, bytes.subarray(0, bytes.length >> 1));
    appendFileSync(tmp, bytes.subarray(bytes.length >> 1));
    renameSync(tmp, join(out, name));
    const step = Number(name.match(/\d+/)[0]);
    say({ type: 'step', step, epoch: step, loss: 1 / (step + 1), stepsPerSecond: 100 });
    say({ type: 'checkpoint', step, path: `checkpoints/${name}` });
  }
  say({ type: 'finished', step: 10000 });
} else if (mode === 'live') {
  let step = 0;
  const timer = setInterval(
    () => say({ type: 'step', step: ++step, epoch: 0, loss: 1 / step, stepsPerSecond: 20 }),
    50,
  );
  process.on('SIGTERM', () => {
    clearInterval(timer);
    say({ type: 'finished', step });
  });
} else if (mode === 'hang') {
  // Ignores SIGTERM, so only SIGKILL after the grace period ends it; installed before the pid file says
  // "ready", or a stop right after it could find the default action still in place.
  process.on('SIGTERM', () => {});
  // A grandchild that would outlive its parent if only the parent were killed.
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  // Written whole, then renamed: the test never reads half a file.
  writeFileSync(`${pidFile}.tmp`, JSON.stringify({ parent: process.pid, child: child.pid }));
  renameSync(`${pidFile}.tmp`, pidFile);
  setInterval(() => {}, 1000);
}
