import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrainerProcess } from '../../../src/extension/run/trainerProcess';
import { describeEnd } from '../../../src/extension/run/runSession';
import { scriptLaunchSpec, trainerLaunchSpec, typeScriptRunnerMissing } from '../../../src/extension/run/launch';
import { groupGone, until } from './helpers';
import type { ProgressLine } from '../../../src/protocol/trainerProgress';

const script = join(__dirname, 'scripts', 'progressWriter.js');
const spec = (...args: string[]) => ({
  command: process.execPath,
  args: [script, ...args],
  cwd: __dirname,
  env: { CONDENSATION_LENS_RUN_DIR: '/tmp/run-x' },
});

/** True while `pid` is a live process (a zombie waiting to be reaped counts as gone). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = `/proc/${pid}/stat`;
  return !(existsSync(stat) && readFileSync(stat, 'utf8').split(') ')[1]?.startsWith('Z'));
}

describe('TrainerProcess (a real child process)', () => {
  it('parses progress lines and passes the other output on', async () => {
    const proc = TrainerProcess.launch(spec('finish'));
    const events: ProgressLine[] = [];
    const other: string[] = [];
    proc.onProgress((e) => events.push(e));
    proc.onOutput(({ stream, line }) => other.push(`${stream}: ${line}`));
    const end = await proc.exited;
    assert.deepEqual(events, [
      { type: 'started', run: '/tmp/run-x', backend: 'cpu' },
      { type: 'step', step: 0, epoch: 0, loss: 1, stepsPerSecond: 100 },
      { type: 'step', step: 10, epoch: 10, loss: 1 / 11, stepsPerSecond: 100 },
      { type: 'step', step: 20, epoch: 20, loss: 1 / 21, stepsPerSecond: 100 },
      { type: 'checkpoint', step: 20, path: 'checkpoints/step-000020.safetensors' },
      { type: 'finished', step: 20 },
    ]);
    assert.deepEqual(other.sort(), ['stderr: loading data', 'stdout: a line that is not progress']);
    assert.equal(end.code, 0);
    assert.equal(describeEnd(spec(), end).status, 'finished');
  });

  it('reports a failure with the last stderr line', async () => {
    const end = await TrainerProcess.launch(spec('fail')).exited;
    assert.equal(end.code, 3);
    assert.deepEqual(end.lastStderr, ['loading data', 'Error: the data set is empty']);
    assert.deepEqual(describeEnd(spec(), end), {
      status: 'failed',
      message: 'exited with code 3: Error: the data set is empty',
      lastStderr: ['loading data', 'Error: the data set is empty'],
    });
  });

  it('says which command could not be started, and which setting names it', async () => {
    const missing = { command: '/nonexistent/node', args: [], cwd: __dirname };
    const end = await TrainerProcess.launch(missing).exited;
    const result = describeEnd(missing, end);
    assert.equal(result.status, 'failed');
    assert.match(result.message!, /^could not start '\/nonexistent\/node': .*ENOENT/);
    const interpreters = { nodePath: '/nonexistent/node', pythonPath: '/nonexistent/python3' };
    const script = scriptLaunchSpec('/work/train.py', interpreters, '/tmp/run')!;
    assert.match(
      describeEnd(script, await TrainerProcess.launch(script).exited).message!,
      /^could not start '\/nonexistent\/python3': .*ENOENT; set condensationLens\.pythonPath to the full path of the program$/,
    );
    const trainer = trainerLaunchSpec({
      ...interpreters,
      trainerScript: 'dist/trainer.js',
      preset: 'relu-1d',
      outDir: '/tmp/run',
      backend: 'cpu',
      cwd: __dirname,
    });
    assert.match(
      describeEnd(trainer, await TrainerProcess.launch(trainer).exited).message!,
      /; set condensationLens\.nodePath to the full path of the program$/,
    );
  });

  it('runs a .ts training script through the workspace tsx, and says what to install where there is none', async () => {
    const script = join(__dirname, 'scripts', 'tsTraining.ts');
    const root = join(__dirname, '..', '..', '..');
    const runDir = mkdtempSync(join(tmpdir(), 'cl-ts-'));
    assert.equal(typeScriptRunnerMissing(script, root), undefined, 'this project has tsx');
    const spec = scriptLaunchSpec(script, { nodePath: process.execPath, pythonPath: 'python3' }, runDir, root)!;
    const end = await TrainerProcess.launch(spec).exited;
    assert.equal(end.code, 0);
    assert.equal(readFileSync(join(runDir, 'ran-as-typescript.txt'), 'utf8'), 'ok');
    const bare = mkdtempSync(join(tmpdir(), 'cl-no-tsx-'));
    assert.match(
      typeScriptRunnerMissing(script, bare)!,
      /tsx loader, which .* does not have; run `npm install --save-dev tsx` there/,
    );
    assert.equal(typeScriptRunnerMissing(join(bare, 'train.py'), bare), undefined);
  });

  it('stop kills the whole process group, SIGKILL after the grace period, and leaves no orphan', async () => {
    const pidFile = join(mkdtempSync(join(tmpdir(), 'cl-proc-')), 'pids.json');
    const proc = TrainerProcess.launch(spec('hang', pidFile), { stopGraceMs: 300 });
    await until(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').length > 0);
    const pids = JSON.parse(readFileSync(pidFile, 'utf8')) as { parent: number; child: number };
    assert.equal(pids.parent, proc.pid);
    assert.ok(alive(pids.child), 'the grandchild runs before the stop');
    const end = await proc.stop();
    assert.equal(end.stopped, true);
    assert.equal(end.signal, 'SIGKILL', 'the script ignores SIGTERM, so it took SIGKILL');
    // No process is left in the group once its zombies are reaped (mocha's timeout fails the test otherwise).
    await until(() => !alive(pids.child) && groupGone(pids.parent));
    assert.equal(describeEnd(spec(), end).status, 'stopped');
  });
});
