// Starts and stops code-server (a real VS Code workbench served to a browser) with isolated dirs.
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync, openSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { E2E_SETTINGS } from './settings.mjs';

const here = dirname(fileURLToPath(import.meta.url));

/** Runs install-code-server.sh (a no-op once cached) and returns the code-server executable. */
export function installCodeServer() {
  const out = execFileSync('bash', [join(here, '..', 'install-code-server.sh')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return out.toString().trim().split('\n').pop();
}

/** A free TCP port on 127.0.0.1 (the OS picks it; released just before the server that asked binds it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Fresh HOME, user-data, extensions and workspace folders for one session under `root`. */
export function sessionDirs(root) {
  rmSync(root, { recursive: true, force: true });
  const dirs = {
    root,
    home: join(root, 'home'),
    userData: join(root, 'user-data'),
    extensions: join(root, 'extensions'),
    workspace: join(root, 'workspace'),
    chromeProfile: join(root, 'chrome-profile'),
    log: join(root, 'code-server.log'),
  };
  for (const d of [dirs.home, dirs.extensions, dirs.workspace, join(dirs.userData, 'User')])
    mkdirSync(d, { recursive: true });
  writeFileSync(join(dirs.userData, 'User', 'settings.json'), JSON.stringify(E2E_SETTINGS, null, 2));
  return dirs;
}

function isolatedEnv(dirs, extraEnv) {
  return {
    ...process.env,
    HOME: dirs.home,
    XDG_CONFIG_HOME: join(dirs.home, '.config'),
    XDG_DATA_HOME: join(dirs.home, '.local', 'share'),
    ...extraEnv,
  };
}

/** Installs a packaged .vsix into the session's extensions dir. */
export function installVsix(codeServer, dirs, vsix) {
  execFileSync(
    codeServer,
    ['--extensions-dir', dirs.extensions, '--user-data-dir', dirs.userData, '--install-extension', vsix],
    { env: isolatedEnv(dirs, {}), stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

/**
 * Starts code-server on a free 127.0.0.1 port. `trusted: false` leaves workspace trust on, so the
 * workspace opens untrusted. Resolves once /healthz answers; `stop()` ends the server and its children, and resolves to
 * the command lines of stray processes it had to kill.
 */
export async function startCodeServer(codeServer, dirs, { trusted, env = {}, readyTimeoutMs = 30000 }) {
  const port = await freePort();
  const args = [
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--extensions-dir',
    dirs.extensions,
    '--user-data-dir',
    dirs.userData,
  ];
  if (trusted) args.push('--disable-workspace-trust');
  const logFd = openSync(dirs.log, 'a');
  // detached: a process group of its own, so stop() also ends the extension host and anything it spawned.
  const child = spawn(codeServer, args, {
    env: isolatedEnv(dirs, env),
    stdio: ['ignore', logFd, logFd],
    detached: true,
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`code-server exited with ${child.exitCode} before it was ready; see ${dirs.log}`);
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      killGroup(child.pid, 'SIGKILL');
      throw new Error(
        `code-server did not answer on ${base} within ${readyTimeoutMs} ms; see ${dirs.log}:\n${tail(dirs.log)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    port,
    base,
    /** vscode-remote URI of an absolute path on this machine, as the workbench's payload wants it. */
    remote: (absPath) => `vscode-remote://127.0.0.1:${port}${absPath}`,
    async stop() {
      killGroup(child.pid, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      killGroup(child.pid, 'SIGKILL'); // leftovers of the group (the extension host's children)
      return killStragglers(dirs.root);
    },
  };
}

/**
 * Kills processes that outlived the server but work in this session's folders (a trainer in a process group
 * of its own writes into the workspace); returns their command lines so the caller can report them.
 */
function killStragglers(root) {
  const found = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let cmd;
    try {
      cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean);
    } catch {
      continue;
    }
    if (!cmd.some((arg) => arg.startsWith(root))) continue;
    try {
      process.kill(Number(entry), 'SIGKILL');
      found.push(cmd.join(' '));
    } catch {
      /* already gone */
    }
  }
  return found;
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    /* already gone */
  }
}

function tail(file, lines = 20) {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
