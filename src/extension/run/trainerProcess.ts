// A training process (the built-in trainer or a user's script) in a session and process group of its
// own, writing its stdout and stderr to files: it lives on when the extension host goes (a window
// reload), and a later host finds it again from its ProcessRecord and reads the same files.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { Emitter } from '../events';
import { LineTail } from '../watch/lineTail';
import { parseProgressLine, type ProgressLine } from '../../protocol/trainerProgress';
import { isSameProcess, processStartTicks, type ProcessRecord } from './processRecord';

export interface LaunchSpec {
  command: string;
  args: string[];
  cwd: string;
  /** Added to the extension host's environment. */
  env?: Record<string, string>;
  /** The `condensationLens.*` setting that names `command`, for an error that cannot start it. */
  setting?: string;
}

export interface ProcessEnd {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when `stop` ended it. */
  stopped: boolean;
  /** Set when the command could not be started at all (e.g. the node or python path is wrong). */
  spawnError?: string;
  /** The process was found gone, not seen exiting (it ran on after a window reload): no exit code. */
  gone?: boolean;
  /** The last stderr lines, for a failure report. */
  lastStderr: string[];
}

export interface ProcessOptions {
  /** How long `stop` waits after SIGTERM (the trainer finishes its checkpoint) before SIGKILL. */
  stopGraceMs: number;
  /** How many stderr lines to keep for a failure report. */
  stderrLines: number;
  /** How often the output files are read and a found-again process is checked (ms). */
  outputPollMs: number;
}

export const DEFAULT_PROCESS_OPTIONS: ProcessOptions = { stopGraceMs: 5000, stderrLines: 20, outputPollMs: 200 };

/** The folder, inside a run folder, for the output of its process (hidden: no checkpoint is looked for there). */
export const LOG_FOLDER = '.condensation';

/** Sends a signal to the whole process group (POSIX) or tree (Windows); false when none is left. */
export function signalTree(pid: number, signal: NodeJS.Signals | 0): boolean {
  if (process.platform === 'win32') {
    if (signal === 0)
      return (
        spawnSync('tasklist', ['/FI', `PID eq ${pid}`, '/NH'])
          .stdout?.toString()
          .includes(String(pid)) ?? false
      );
    return spawnSync('taskkill', ['/PID', String(pid), '/T', '/F']).status === 0;
  }
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** How the process is known: as our child (its exit is seen), or by its record only (found again). */
type Handle = { child: ChildProcess } | { record: ProcessRecord };

export class TrainerProcess {
  private readonly _onProgress = new Emitter<ProgressLine>();
  private readonly _onOutput = new Emitter<{ stream: 'stdout' | 'stderr'; line: string }>();
  /** Progress lines parsed from stdout. */
  readonly onProgress = this._onProgress.event;
  /** Every other line, stdout and stderr, for the log. */
  readonly onOutput = this._onOutput.event;
  /** Resolves once the process has exited and its output is read. */
  readonly exited: Promise<ProcessEnd>;

  private readonly stderrTail: string[] = [];
  private readonly stdout: LineTail;
  private readonly stderr: LineTail;
  private stopRequested = false;
  private finished = false;
  private killTimer: NodeJS.Timeout | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private reading: Promise<void> = Promise.resolve();

  private constructor(
    private readonly handle: Handle,
    /** Where the process's output goes: absolute paths. */
    logs: { stdout: string; stderr: string },
    private readonly options: ProcessOptions,
  ) {
    this.stdout = new LineTail(logs.stdout);
    this.stderr = new LineTail(logs.stderr);
    this.exited = new Promise((resolve) => this.watch(resolve));
  }

  /**
   * Starts `spec` detached (its own session and process group: stopping it also ends whatever it started,
   * and it outlives the extension host), its output to files in `logDir` (a temporary folder if none).
   */
  static launch(spec: LaunchSpec, options: Partial<ProcessOptions> = {}, logDir?: string): TrainerProcess {
    const dir = logDir ?? mkdtempSync(join(tmpdir(), 'condensation-lens-log-'));
    mkdirSync(dir, { recursive: true });
    const logs = { stdout: join(dir, 'stdout.log'), stderr: join(dir, 'stderr.log') };
    const out = openSync(logs.stdout, 'a');
    const err = openSync(logs.stderr, 'a');
    let child: ChildProcess;
    try {
      child = spawn(spec.command, spec.args, {
        cwd: spec.cwd,
        env: { ...process.env, ...spec.env },
        detached: process.platform !== 'win32',
        stdio: ['ignore', out, err],
        windowsHide: true,
      });
    } finally {
      closeSync(out);
      closeSync(err);
    }
    child.unref();
    return new TrainerProcess({ child }, logs, { ...DEFAULT_PROCESS_OPTIONS, ...options });
  }

  /** Follows a process started by an earlier extension host, from its record in the run folder `folder`. */
  static attach(record: ProcessRecord, folder: string, options: Partial<ProcessOptions> = {}): TrainerProcess {
    const logs = { stdout: resolve(folder, record.logs.stdout), stderr: resolve(folder, record.logs.stderr) };
    return new TrainerProcess({ record }, logs, { ...DEFAULT_PROCESS_OPTIONS, ...options });
  }

  get pid(): number | undefined {
    return 'child' in this.handle ? this.handle.child.pid : this.handle.record.pid;
  }

  get running(): boolean {
    return !this.finished;
  }

  /** What the run folder records to find this process again (undefined if it did not start). */
  record(spec: LaunchSpec, folder: string): ProcessRecord | undefined {
    if ('record' in this.handle) return this.handle.record;
    const pid = this.pid;
    if (pid === undefined) return undefined;
    return {
      pid,
      startTicks: processStartTicks(pid),
      startedAt: Date.now(),
      host: hostname(),
      command: [spec.command, ...spec.args],
      cwd: spec.cwd,
      logs: { stdout: relative(folder, this.stdout.path), stderr: relative(folder, this.stderr.path) },
    };
  }

  /** SIGTERM to the group, SIGKILL after the grace period; resolves when it has exited. */
  async stop(): Promise<ProcessEnd> {
    const pid = this.pid;
    if (this.finished || pid === undefined) return this.exited;
    this.stopRequested = true;
    this.terminate(pid);
    return this.exited;
  }

  /** SIGTERM now, SIGKILL for whatever is left after the grace period. */
  private terminate(pid: number): void {
    signalTree(pid, 'SIGTERM');
    this.killTimer ??= setTimeout(() => signalTree(pid, 'SIGKILL'), this.options.stopGraceMs);
  }

  /** Reads what the process wrote since the last read (one read at a time). */
  private readOutput(): Promise<void> {
    this.reading = this.reading.then(async () => {
      for (const line of (await this.stdout.read()).lines) {
        const event = parseProgressLine(line);
        if (event) this._onProgress.fire(event);
        else this._onOutput.fire({ stream: 'stdout', line });
      }
      for (const line of (await this.stderr.read()).lines) {
        this.stderrTail.push(line);
        if (this.stderrTail.length > this.options.stderrLines) this.stderrTail.shift();
        this._onOutput.fire({ stream: 'stderr', line });
      }
    });
    return this.reading;
  }

  private watch(resolve: (end: ProcessEnd) => void): void {
    let exit: { code: number | null; signal: NodeJS.Signals | null; gone?: boolean } | undefined;
    const finish = async (spawnError?: string) => {
      if (this.finished) return;
      this.finished = true;
      clearInterval(this.pollTimer);
      await this.readOutput().catch(() => undefined);
      clearTimeout(this.killTimer);
      resolve({
        code: exit?.code ?? null,
        signal: exit?.signal ?? null,
        stopped: this.stopRequested,
        spawnError,
        gone: exit?.gone,
        lastStderr: [...this.stderrTail],
      });
      this._onProgress.dispose();
      this._onOutput.dispose();
    };
    const handle = this.handle;
    this.pollTimer = setInterval(() => {
      void this.readOutput().catch(() => undefined);
      if ('record' in handle && !isSameProcess(handle.record)) {
        // An earlier host may have seen it exit (and recorded how); else all that is known is that it is gone.
        const seen = handle.record.exit;
        exit = seen
          ? { code: seen.code, signal: seen.signal as NodeJS.Signals | null }
          : { code: null, signal: null, gone: true };
        this.stopRequested ||= seen?.stopped === true;
        void finish();
      }
    }, this.options.outputPollMs);
    if ('record' in handle) return;
    const { child } = handle;
    child.on('error', (e) => {
      if (child.pid === undefined) void finish(e.message);
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      // Whatever the process left behind in its group goes with it.
      if (child.pid !== undefined) this.terminate(child.pid);
      void finish();
    });
  }
}
