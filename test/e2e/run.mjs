// `npm run test:e2e`: the extension in a real VS Code (code-server + Debian chromium), offline.
// install code-server (cached) → build and package the .vsix → three sessions, one after the other:
//   trusted    extension-host tests (suite/trusted) with the workspace trusted;
//   untrusted  extension-host tests (suite/untrusted) with workspace trust left on (Restricted Mode),
//              then a user opens a checkpoint made by PyTorch (ui/checkpointInspector.mjs);
//   ui         the .vsix installed, driven from the command palette like a user.
// Options: --only trusted,untrusted,ui   --skip-build (reuse dist/ and the .vsix of the last run)
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, appendFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { homedir } from 'node:os';
import { createHash } from 'node:crypto';
import { installCodeServer, sessionDirs, startCodeServer, installVsix } from './harness/codeServer.mjs';
import { withPage, runExtensionHostTests, openWorkbench, visibleNotifications } from './harness/browser.mjs';
import { startTrainingFromPalette } from './ui/startTrainingFromPalette.mjs';
import { checkpointInspector } from './ui/checkpointInspector.mjs';
import { panelRestoredAfterReload } from './ui/panelRestore.mjs';
import { codeLensInEditor } from './ui/codeLensInEditor.mjs';
import { runSurvivesReload } from './ui/runSurvivesReload.mjs';
import handmade from './suite/handmadeCheckpoint.js';
import { ensureBuilt } from '../ensureBuilt.mjs';
import { vsixProblems, zipEntryNames } from './harness/vsixContents.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const e2eHome = process.env.CONDENSATION_E2E_HOME || join(homedir(), '.cache', 'condensation-lens-e2e');
// Sessions and the .vsix are kept per checkout, so that two checkouts can run their e2e suites at once.
const work = join(e2eHome, 'work', createHash('sha256').update(repo).digest('hex').slice(0, 12));
const screenshots = join(here, 'screenshots');
/** Whole-session limits: the extension-host suites and the UI scenario, startup included. */
const SUITE_TIMEOUT_MS = 240000;
const UI_TIMEOUT_MS = 420000;
/** Marks the start of the suite's own output among the workbench's log lines (suite/index.js prints it). */
const SUITE_MARKER = 'condensation-e2e:';

const args = process.argv.slice(2);
const onlyArg = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const selected = onlyArg ? onlyArg.split(',') : ['trusted', 'untrusted', 'ui'];
const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(0)}s`;
const say = (m) => console.log(`[e2e ${elapsed()}] ${m}`);

const running = new Set();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    await Promise.all([...running].map((s) => s.stop()));
    process.exit(130);
  });
}

function npm(script, extra = []) {
  execFileSync('npm', ['run', '--silent', script, ...(extra.length ? ['--', ...extra] : [])], {
    cwd: repo,
    stdio: 'inherit',
  });
}

/**
 * Builds dist/ when a source is newer (so `npm test`, which built in pretest, builds once), and packages that
 * build into the .vsix when the UI session needs it, checking what the .vsix holds; returns its path.
 */
function build(withVsix) {
  const vsix = join(work, 'vsix', 'condensation-lens.vsix');
  if (args.includes('--skip-build')) return vsix;
  say(ensureBuilt() ? 'dist/ was older than the sources: built it' : 'dist/ is up to date');
  if (!withVsix) return vsix;
  rmSync(dirname(vsix), { recursive: true, force: true });
  mkdirSync(dirname(vsix), { recursive: true });
  say('npm run package:vsix (the build above, packaged by vsce)');
  npm('package:vsix', ['--out', vsix]);
  const problems = vsixProblems(zipEntryNames(vsix));
  if (problems.length) throw new Error(`the .vsix is wrong (check .vscodeignore):\n  ${problems.join('\n  ')}`);
  say('the .vsix holds no source maps, tests or sources');
  return vsix;
}

/** One code-server session; `fn(server, dirs)` runs while it is up. */
async function session(codeServer, name, { trusted, env = {}, prepare = () => {} }, fn) {
  const dirs = sessionDirs(join(work, 'sessions', name));
  prepare(dirs);
  const server = await startCodeServer(codeServer, dirs, {
    trusted,
    // The workbench asks the extension gallery for updates; an address that refuses at once keeps it quiet offline.
    env: {
      EXTENSIONS_GALLERY: JSON.stringify({
        serviceUrl: 'http://127.0.0.1:9/gallery',
        itemUrl: 'http://127.0.0.1:9/item',
      }),
      ...env,
    },
  });
  running.add(server);
  say(`${name}: code-server on ${server.base} (workspace ${trusted ? 'trusted' : 'untrusted'})`);
  try {
    return await fn(server, dirs);
  } finally {
    running.delete(server);
    const strays = await server.stop();
    for (const cmd of strays) say(`${name}: killed a process left running after the session: ${cmd}`);
  }
}

/** A log text without the stack frames inside VS Code and Node themselves (they say nothing about our code). */
function withoutHostFrames(text) {
  return text
    .split('\n')
    .filter((l) => !/^\s*at .*(extensionHostProcess\.js|workbench\.js|node:internal)/.test(l))
    .map((l) => `  ${l}`)
    .join('\n');
}

/** Runs suite/<name> inside the extension host of a session; prints the suite's output. */
async function extensionHostTests(server, dirs, name) {
  const hostLog = join(dirs.root, 'extension-host.log');
  let inSuite = false;
  const code = await withPage(
    dirs.chromeProfile,
    join(screenshots, `${name}.png`),
    join(dirs.root, 'browser-console.log'),
    (page) =>
      runExtensionHostTests(page, server, {
        workspace: dirs.workspace,
        extensionPath: repo,
        testsPath: join(here, 'suite', 'index.js'),
        timeoutMs: SUITE_TIMEOUT_MS,
        log: (type, text) => {
          appendFileSync(hostLog, `[${type}] ${text}\n`);
          const marker = text.startsWith(SUITE_MARKER);
          if (marker) inSuite = !text.startsWith(`${SUITE_MARKER} end`);
          if (inSuite || marker) console.log(withoutHostFrames(text));
        },
      }),
  );
  if (code !== 0)
    say(
      `${name}: extension-host tests ended with ${code}; logs in ${dirs.root} (extension-host, browser-console, code-server)`,
    );
  return code === 0;
}

/** Runs a UI scenario `fn(page)` on a fresh page of the workbench, within UI_TIMEOUT_MS; false on failure. */
async function uiScenario(server, dirs, name, extensionPath, fn) {
  const shot = join(screenshots, `${name}.png`);
  try {
    await withPage(
      join(dirs.root, `chrome-${name}`),
      shot,
      join(dirs.root, `browser-console-${name}.log`),
      async (page) => {
        let timer;
        const limit = new Promise(
          (_, reject) => (timer = setTimeout(() => reject(new Error(`took over ${UI_TIMEOUT_MS} ms`)), UI_TIMEOUT_MS)),
        );
        try {
          await Promise.race([
            limit,
            (async () => {
              await openWorkbench(page, server, dirs.workspace, extensionPath);
              say(`${name}: workbench open`);
              await fn(page);
            })(),
          ]);
        } catch (e) {
          const shown = await visibleNotifications(page);
          throw new Error(`${e.message}${shown.length ? `\n  notifications on screen: ${shown.join(' | ')}` : ''}`, {
            cause: e,
          });
        } finally {
          clearTimeout(timer);
        }
      },
    );
    return true;
  } catch (e) {
    say(`${name}: FAIL: ${e.message} (screenshot ${shot}; logs in ${dirs.root})`);
    return false;
  }
}

const SESSIONS = {
  /** Extension-host tests with the workspace trusted, then a user reads the cluster counts above a model's layers. */
  trusted: (codeServer) =>
    session(
      codeServer,
      'trusted',
      {
        trusted: true,
        env: { CONDENSATION_E2E_SUITE: 'trusted' },
        // A model file and a run of checkpoints written by the project's safetensors writer (a TypeScript module).
        prepare: (dirs) =>
          execFileSync(
            process.execPath,
            ['--import', 'tsx', join(here, 'fixtures', 'codeLensWorkspace.ts'), dirs.workspace],
            {
              cwd: repo,
              stdio: 'inherit',
            },
          ),
      },
      async (server, dirs) => {
        const suite = await extensionHostTests(server, dirs, 'trusted');
        const ui = await uiScenario(server, dirs, 'trusted-codelens', repo, (page) =>
          codeLensInEditor(page, { log: (m) => say(`trusted-codelens: ${m}`) }),
        );
        return suite && ui;
      },
    ),
  /** Restricted Mode: extension-host tests, then a user opens a checkpoint made by PyTorch. */
  untrusted: (codeServer) =>
    session(
      codeServer,
      'untrusted',
      {
        trusted: false,
        env: { CONDENSATION_E2E_SUITE: 'untrusted' },
        prepare: (dirs) => handmade.writeHandmadeCheckpoint(join(dirs.workspace, handmade.HANDMADE_FILE)),
      },
      async (server, dirs) => {
        const suite = await extensionHostTests(server, dirs, 'untrusted');
        const ui = await uiScenario(server, dirs, 'untrusted-checkpoint', repo, (page) =>
          checkpointInspector(page, {
            fileName: handmade.HANDMADE_FILE,
            expected: handmade.HANDMADE_EXPECTED,
            log: (m) => say(`untrusted-checkpoint: ${m}`),
          }),
        );
        return suite && ui;
      },
    ),
  /** The packaged .vsix, installed and driven from the command palette. */
  ui: (codeServer, vsix) =>
    session(
      codeServer,
      'ui',
      { trusted: true, prepare: (dirs) => installVsix(codeServer, dirs, vsix) },
      (server, dirs) =>
        uiScenario(server, dirs, 'ui', undefined, async (page) => {
          const log = (m) => say(`ui: ${m}`);
          const lastStep = await startTrainingFromPalette(page, { workspace: dirs.workspace, log });
          await panelRestoredAfterReload(page, { lastStep, log });
          await runSurvivesReload(page, { workspace: dirs.workspace, log });
        }),
    ),
};

async function main() {
  mkdirSync(screenshots, { recursive: true });
  say(`code-server cache: ${e2eHome}`);
  const codeServer = installCodeServer();
  const vsix = build(selected.includes('ui'));
  const results = {};
  for (const name of selected) {
    if (!SESSIONS[name])
      throw new Error(`--only: no session "${name}" (sessions: ${Object.keys(SESSIONS).join(', ')})`);
    results[name] = await SESSIONS[name](codeServer, vsix);
  }
  const failed = Object.entries(results)
    .filter(([, ok]) => !ok)
    .map(([n]) => n);
  for (const [n, ok] of Object.entries(results)) say(`${ok ? 'PASS' : 'FAIL'}  ${n}`);
  say(
    failed.length === 0
      ? `E2E PASS (${Object.keys(results).length} sessions, screenshots in ${screenshots})`
      : `E2E FAIL: ${failed.join(', ')}`,
  );
  return failed.length === 0;
}

main().then(
  (ok) => process.exit(ok ? 0 : 1),
  (e) => {
    say(`E2E FAIL: ${e.message}`);
    process.exit(1);
  },
);
