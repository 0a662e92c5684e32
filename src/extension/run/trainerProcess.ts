// A training process (the built-in trainer or a user's script) as a child process group.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Emitter } from '../events';
import { parseProgressLine, type ProgressLine } from '../../protocol/trainerProgress';

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
  /** The last stderr lines, for a failure report. */
  lastStderr: string[];
}

export interface ProcessOptions {
  /** How long `stop` waits after SIGTERM (the trainer finishes its checkpoint) before SIGKILL. */
  stopGraceMs: number;
  /** How many stderr lines to keep for a failure report. */
  stderrLines: number;
}

export const DEFAULT_PROCESS_OPTIONS: ProcessOptions = { stopGraceMs: 5000, stderrLines: 20 };

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

export class TrainerProcess {
  private readonly _onProgress = new Emitter<ProgressLine>();
  private readonly _onOutput = new Emitter<{ stream: 'stdout' | 'stderr'; line: string }>();
  /** Progress lines parsed from stdout. */
  readonly onProgress = this._onProgress.event;
  /** Every other line, stdout and stderr, for the log. */
  readonly onOutput = this._onOutput.event;
  /** Resolves once the process has exited and its output is read. */
  readonly exited: Promise<ProcessEnd>;

  private readonly child: ChildProcess;
  private readonly stderrTail: string[] = [];
  private stopRequested = false;
  private finished = false;
  private killTimer: NodeJS.Timeout | undefined;

  private constructor(
    spec: LaunchSpec,
    private readonly options: ProcessOptions,
  ) {
    // Its own process group, so that stopping it also ends whatever it started.
    this.child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env },
      detached: process.platform !== 'win32',
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    this.exited = new Promise((resolve) => this.watch(resolve));
  }

  static launch(spec: LaunchSpec, options: Partial<ProcessOptions> = {}): TrainerProcess {
    return new TrainerProcess(spec, { ...DEFAULT_PROCESS_OPTIONS, ...options });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return !this.finished;
  }

  /** SIGTERM to the group, SIGKILL after the grace period; resolves when it has exited. */
  async stop(): Promise<ProcessEnd> {
    const pid = this.child.pid;
    if (this.finished || pid === undefined) return this.exited;
    this.stopRequested = true;
    this.terminate(pid);
    return this.exited;
  }

  /** Synchronous last resort (extension host shutting down): SIGKILL the group now. */
  killNow(): void {
    if (this.finished || this.child.pid === undefined) return;
    this.stopRequested = true;
    signalTree(this.child.pid, 'SIGKILL');
  }

  /** SIGTERM now, SIGKILL for whatever is left after the grace period. */
  private terminate(pid: number): void {
    signalTree(pid, 'SIGTERM');
    this.killTimer ??= setTimeout(() => signalTree(pid, 'SIGKILL'), this.options.stopGraceMs);
  }

  private watch(resolve: (end: ProcessEnd) => void): void {
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    const finish = (spawnError?: string) => {
      if (this.finished) return;
      this.finished = true;
      clearTimeout(this.killTimer);
      resolve({
        code: exit?.code ?? null,
        signal: exit?.signal ?? null,
        stopped: this.stopRequested,
        spawnError,
        lastStderr: [...this.stderrTail],
      });
      this._onProgress.dispose();
      this._onOutput.dispose();
    };
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      const event = parseProgressLine(line);
      if (event) this._onProgress.fire(event);
      else this._onOutput.fire({ stream: 'stdout', line });
    });
    createInterface({ input: this.child.stderr! }).on('line', (line) => {
      this.stderrTail.push(line);
      if (this.stderrTail.length > this.options.stderrLines) this.stderrTail.shift();
      this._onOutput.fire({ stream: 'stderr', line });
    });
    this.child.on('error', (e) => {
      if (this.child.pid === undefined) finish(e.message);
    });
    this.child.on('exit', (code, signal) => {
      exit = { code, signal };
      // Whatever the process left behind in its group goes with it.
      if (this.child.pid !== undefined) this.terminate(this.child.pid);
    });
    this.child.on('close', () => finish());
  }
}
