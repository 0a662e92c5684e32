import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PanelSession, type PanelHost } from '../../../src/extension/panel/panelSession';
import { statusLine } from '../../../src/extension/statusText';
import type { Envelope } from '../../../src/protocol/messageHandler';
import type { HostMessage } from '../../../src/protocol/panel';
import { DEFAULT_SETTINGS } from '../../../src/protocol/settings';
import { realRunManager, until } from './helpers';

const script = join(__dirname, 'scripts', 'progressWriter.js');

describe('several live runs (real processes)', () => {
  const manager = realRunManager();

  it('lists every live run with its latest figures, and Live Metrics can show any of them', async () => {
    const dirs = ['a', 'b'].map(() => mkdtempSync(join(tmpdir(), 'cl-several-')));
    writeFileSync(join(dirs[1], 'run.json'), JSON.stringify({ total_steps: 1000 }));
    const runs = dirs.map((dir, i) => {
      const run = manager().open({ name: `run-${i}`, target: { folder: dir } });
      run.launch({ command: process.execPath, args: [script, 'live'], cwd: dir });
      return run;
    });
    await until(() => runs.every((r) => (r.info.step ?? 0) >= 1) && runs[1].info.totalSteps === 1000);
    assert.deepEqual(
      manager()
        .live()
        .map((r) => r.info.name),
      ['run-0', 'run-1'],
    );
    const summaries = manager().liveSummaries();
    assert.deepEqual(
      summaries.map((s) => [s.run.name, s.run.status, s.run.totalSteps]),
      [
        ['run-0', 'running', undefined],
        ['run-1', 'running', 1000],
      ],
    );

    const posted: Envelope<HostMessage>[] = [];
    const selected: string[] = [];
    const host: PanelHost = {
      settings: () => ({ ...DEFAULT_SETTINGS }),
      save: async () => undefined,
      openPanel: () => undefined,
      selectRun: (id) => selected.push(id),
    };
    const session = new PanelSession(async (m) => (posted.push(m), true), host, manager().current);
    session.setRunList(summaries);
    await session.receive({ body: { type: 'ready' } });
    const list = posted.map((m) => m.body).find((b) => b.type === 'runs');
    assert.deepEqual(
      list?.type === 'runs' && list.runs.map((s) => s.run.id),
      runs.map((r) => r.id),
    );
    await session.receive({ body: { type: 'selectRun', id: runs[0].id } });
    assert.deepEqual(selected, [runs[0].id]);
    session.dispose();

    await runs[0].stop();
    assert.deepEqual(
      manager()
        .live()
        .map((r) => r.info.name),
      ['run-1'],
    );
    await runs[1].stop();
  });

  it('says each run’s status and figures on one line for the status bar’s hover', () => {
    const info = { id: '/r', name: 'relu', folder: '/r', status: 'running' as const, step: 300, totalSteps: 1000 };
    assert.equal(statusLine({ ...info, loss: 0.0123 }), 'relu: running · step 300 / 1000 · loss 0.0123');
    assert.equal(statusLine({ ...info, status: 'ended', step: undefined }), 'relu: ended (process gone)');
  });
});
