// A stand-in training script for the process tests: writes FORMATS.md progress lines.
// Modes: `finish` (3 steps, then exits 0), `fail` (stderr, exit 3), `hang` (starts a grandchild, then waits).
const { spawn } = require('node:child_process');
const { writeFileSync } = require('node:fs');

const [mode, pidFile] = process.argv.slice(2);
const say = (o) => process.stdout.write(JSON.stringify(o) + '\n');

say({ type: 'started', run: process.env.CONDENSATION_LENS_RUN_DIR ?? 'none', backend: 'cpu' });
process.stdout.write('a line that is not progress\n');
process.stderr.write('loading data\n');
if (mode === 'finish') {
  for (const step of [0, 10, 20]) say({ type: 'step', step, epoch: step, loss: 1 / (step + 1) });
  say({ type: 'checkpoint', step: 20, path: 'checkpoints/step-000020.safetensors' });
  say({ type: 'finished', step: 20 });
} else if (mode === 'fail') {
  process.stderr.write('Error: the data set is empty\n');
  process.exitCode = 3;
} else if (mode === 'hang') {
  // A grandchild that would outlive its parent if only the parent were killed.
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  writeFileSync(pidFile, JSON.stringify({ parent: process.pid, child: child.pid }));
  process.on('SIGTERM', () => {}); // ignores SIGTERM, so only SIGKILL after the grace period ends it
  setInterval(() => {}, 1000);
}
