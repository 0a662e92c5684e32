// A real single-node Slurm for the tests, from Debian's slurm-wlm and munge, started as root in a temporary
// folder: munged (with its key), then slurmctld and slurmd, no accounting, one node with every core.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, hostname } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../e2e/harness/codeServer.mjs';

const BINARIES = ['/usr/sbin/munged', '/usr/sbin/slurmctld', '/usr/sbin/slurmd', '/usr/bin/sbatch', '/usr/bin/sinfo'];

/** What is missing for a local cluster, in one line; undefined when it can start. */
export function clusterMissing() {
  const missing = BINARIES.filter((b) => !existsSync(b));
  if (missing.length) return `${missing.join(', ')} missing: apt-get install -y slurm-wlm munge`;
  if (process.getuid?.() !== 0) return 'the daemons start as root (slurmd runs jobs as any user)';
  return undefined;
}

function run(cmd, args, env) {
  return execFileSync(cmd, args, { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
}

/** munged as the munge user, with a key; an already running one is kept. */
function startMunge() {
  mkdirSync('/run/munge', { recursive: true });
  execFileSync('chown', ['munge:munge', '/run/munge']);
  if (!existsSync('/etc/munge/munge.key')) {
    execFileSync('sh', ['-c', 'dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 2>/dev/null']);
    execFileSync('chown', ['munge:munge', '/etc/munge/munge.key']);
    execFileSync('chmod', ['400', '/etc/munge/munge.key']);
  }
  try {
    execFileSync('sh', ['-c', 'munge -n | unmunge'], { stdio: 'ignore' });
  } catch {
    execFileSync('runuser', ['-u', 'munge', '--', '/usr/sbin/munged']);
  }
}

function slurmConf(dir, ctldPort, slurmdPort) {
  const host = hostname();
  return `ClusterName=condensation-lens-test
SlurmctldHost=${host}
SlurmUser=root
SlurmdUser=root
SlurmctldPort=${ctldPort}
SlurmdPort=${slurmdPort}
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
StateSaveLocation=${join(dir, 'state')}
SlurmdSpoolDir=${join(dir, 'spool')}
SlurmctldPidFile=${join(dir, 'slurmctld.pid')}
SlurmdPidFile=${join(dir, 'slurmd.pid')}
SlurmctldLogFile=${join(dir, 'slurmctld.log')}
SlurmdLogFile=${join(dir, 'slurmd.log')}
NodeName=${host} NodeAddr=127.0.0.1 CPUs=${availableParallelism()} State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
`;
}

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/** Starts the cluster; resolves to {env, stop()} once the node is idle. `env` points sbatch at its slurm.conf. */
export async function startCluster(dir) {
  startMunge();
  for (const sub of ['state', 'spool']) mkdirSync(join(dir, sub), { recursive: true });
  const conf = join(dir, 'slurm.conf');
  writeFileSync(conf, slurmConf(dir, await freePort(), await freePort()));
  const env = { ...process.env, SLURM_CONF: conf };
  const daemons = [
    spawn('/usr/sbin/slurmctld', ['-D', '-i', '-f', conf], { env, stdio: 'ignore' }),
    spawn('/usr/sbin/slurmd', ['-D', '-f', conf], { env, stdio: 'ignore' }),
  ];
  const stop = async () => {
    try {
      run('scancel', ['--user', 'root'], env);
    } catch {
      // nothing to cancel, or the controller is already gone
    }
    for (const d of daemons) d.kill('SIGTERM');
    await sleep(500);
    for (const d of daemons) if (d.exitCode === null) d.kill('SIGKILL');
  };
  for (let i = 0; i < 60; i++) {
    await sleep(500);
    try {
      const state = run('sinfo', ['-h', '-o', '%T'], env).trim();
      if (state === 'idle') return { env, stop };
    } catch {
      // the controller is not answering yet
    }
  }
  await stop();
  throw new Error(`the test cluster did not come up in 30 s; see ${dir}/slurmctld.log and slurmd.log`);
}
