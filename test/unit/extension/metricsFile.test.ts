import { strict as assert } from 'node:assert';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PanelSession, type PanelHost } from '../../../src/extension/panel/panelSession';
import { LineTail } from '../../../src/extension/watch/lineTail';
import type { Envelope } from '../../../src/protocol/messageHandler';
import type { HostMessage } from '../../../src/protocol/panel';
import { DEFAULT_SETTINGS } from '../../../src/protocol/settings';
import { realRunManager, until } from './helpers';

const dir = () => mkdtempSync(join(tmpdir(), 'cl-metrics-'));

describe('LineTail (a growing text file, line by line)', () => {
  it('keeps a last line without its newline back until it is complete', async () => {
    const path = join(dir(), 'metrics.jsonl');
    const tail = new LineTail(path);
    assert.deepEqual(await tail.read(), { lines: [], restarted: false }, 'no file yet');
    writeFileSync(path, '{"step":1,"loss":0.5}\n{"step":2,"lo');
    assert.deepEqual((await tail.read()).lines, ['{"step":1,"loss":0.5}']);
    assert.deepEqual((await tail.read()).lines, [], 'the partial line waits');
    appendFileSync(path, 'ss":0.25}\r\n\n{"step":3,"loss":0.125}\n');
    assert.deepEqual((await tail.read()).lines, ['{"step":2,"loss":0.25}', '{"step":3,"loss":0.125}']);
  });

  it('starts again from the top when the file is replaced by a shorter one', async () => {
    const path = join(dir(), 'metrics.jsonl');
    const tail = new LineTail(path);
    writeFileSync(path, 'a long first line\nanother line\n');
    await tail.read();
    writeFileSync(path, 'new\n');
    assert.deepEqual(await tail.read(), { lines: ['new'], restarted: true });
  });
});

describe('metrics.jsonl in a watched run (real files, real worker)', () => {
  const manager = realRunManager();

  it('brings the loss and every other numeric field to the model and the panel, skipping a partial line', async () => {
    const runDir = dir();
    writeFileSync(
      join(runDir, 'metrics.jsonl'),
      '{"step":0,"epoch":0,"loss":2.5,"accuracy":0.1,"phase":"warmup"}\n' +
        'not json\n' +
        '{"step":10,"epoch":1,"loss":1.25,"accuracy":0.5,"lr":0.01}\n' +
        '{"step":20,"loss":0.6',
    );
    writeFileSync(join(runDir, 'run.json'), JSON.stringify({ name: 'mine', total_steps: 1000 }));
    const run = manager().open({ name: 'mine', target: { folder: runDir } });
    await until(() => run.model.loss.length === 2 && run.info.totalSteps !== undefined);
    assert.deepEqual(run.model.loss, [
      { step: 0, loss: 2.5 },
      { step: 10, loss: 1.25 },
    ]);
    assert.deepEqual(run.model.metricNames, ['epoch', 'accuracy', 'lr']);
    assert.deepEqual(run.model.metric('accuracy'), [
      { step: 0, value: 0.1 },
      { step: 10, value: 0.5 },
    ]);
    assert.equal(run.info.totalSteps, 1000);
    assert.equal(run.info.step, 10);
    assert.equal(run.info.loss, 1.25);

    const posted: Envelope<HostMessage>[] = [];
    const host: PanelHost = {
      settings: () => ({ ...DEFAULT_SETTINGS }),
      save: async () => undefined,
      openPanel: () => undefined,
    };
    const session = new PanelSession(async (m) => (posted.push(m), true), host, run);
    await session.receive({ body: { type: 'ready' } });
    const init = posted[0].body;
    assert.equal(init.type, 'init');
    if (init.type !== 'init') return;
    assert.deepEqual(init.runs[0].loss.at(-1), { step: 10, loss: 1.25 });
    assert.deepEqual(init.runs[0].metrics?.lr, [{ step: 10, value: 0.01 }]);

    appendFileSync(join(runDir, 'metrics.jsonl'), '25,"accuracy":0.75}\n');
    await until(() => posted.some((m) => m.body.type === 'metric' && m.body.name === 'accuracy'));
    await until(() => posted.some((m) => m.body.type === 'loss'));
    const bodies = posted.map((m) => m.body);
    assert.deepEqual(
      bodies.filter((b) => b.type === 'loss'),
      [{ type: 'loss', run: run.id, points: [{ step: 20, loss: 0.625 }], reset: undefined }],
    );
    assert.deepEqual(
      bodies.filter((b) => b.type === 'metric' && b.name === 'accuracy'),
      [{ type: 'metric', run: run.id, name: 'accuracy', points: [{ step: 20, value: 0.75 }], reset: undefined }],
    );
    session.dispose();
  });

  it('takes total_steps from a metrics.jsonl line, and the trainer’s config.steps from run.json', async () => {
    const a = dir();
    writeFileSync(join(a, 'metrics.jsonl'), '{"total_steps":500}\n{"step":1,"loss":1}\n');
    const b = dir();
    writeFileSync(join(b, 'run.json'), JSON.stringify({ preset: 'relu-1d', config: { steps: 4000 } }));
    const runA = manager().open({ name: 'a', target: { folder: a } });
    const runB = manager().open({ name: 'b', target: { folder: b } });
    await until(() => runA.info.totalSteps !== undefined && runB.info.totalSteps !== undefined);
    assert.equal(runA.info.totalSteps, 500);
    assert.equal(runB.info.totalSteps, 4000);
  });
});
