// A run's checkpoint notes on the host: kept per checkpoint, replaced when it is read again, sent live and in `init`.
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PanelSession, type PanelHost } from '../../../src/extension/panel/panelSession';
import { RunFeed, type FeedMessage } from '../../../src/extension/panel/runFeed';
import type { Envelope } from '../../../src/protocol/messageHandler';
import { toPanelSettings } from '../../../src/protocol/initMessage';
import type { CheckpointNotes, HostMessage } from '../../../src/protocol/panel';
import { DEFAULT_SETTINGS } from '../../../src/protocol/settings';
import { fixture, realRunManager, until } from './helpers';

// The globals make_framework_fixtures.py put in lightning.ckpt's hyper_parameters (an argparse.Namespace, a
// TrainConfig), and the global_step it wrote: every copy of it is at step 120, whatever its name.
const LIGHTNING_NOTE = 'holds Python objects that were not run: argparse.Namespace, __main__.TrainConfig';
const LIGHTNING = fixture('frameworks', 'lightning.ckpt');
const STEP = 120;
const PANEL_SETTINGS = toPanelSettings(DEFAULT_SETTINGS);

describe('checkpoint notes (RunModel and RunFeed, on real checkpoints)', function () {
  this.timeout(60_000);
  const manager = realRunManager();
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'cl-notes-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function connect() {
    const run = manager().open({ name: 'notes', target: { folder: dir } });
    const posted: Envelope<HostMessage>[] = [];
    const host: PanelHost = { settings: () => PANEL_SETTINGS, save: async () => undefined, openPanel: () => undefined };
    const session = new PanelSession(async (m) => (posted.push(m), true), host, run);
    const notesSent = () =>
      posted.flatMap((m) => (m.body.type === 'notes' ? [m.body.checkpoint] : ([] as CheckpointNotes[])));
    return { run, session, posted, notesSent };
  }

  it('keeps each checkpoint’s notes by path, gives them in init, then only what changed', async () => {
    copyFileSync(LIGHTNING, join(dir, 'step_10.ckpt'));
    copyFileSync(LIGHTNING, join(dir, 'step_20.ckpt'));
    const run = manager().open({ name: 'notes', target: { folder: dir } });
    await until(() => run.model.notes.length === 2);
    assert.deepEqual(run.model.notes.map((n) => [n.path, n.name, n.step, n.notes]).sort(), [
      [join(dir, 'step_10.ckpt'), 'step_10.ckpt', STEP, [LIGHTNING_NOTE]],
      [join(dir, 'step_20.ckpt'), 'step_20.ckpt', STEP, [LIGHTNING_NOTE]],
    ]);
    const feed = new RunFeed(run);
    assert.deepEqual(feed.init(PANEL_SETTINGS).notes, run.model.notes, 'a reloaded panel gets the notes with the run');
    const notesIn = (messages: FeedMessage[]) =>
      messages.flatMap(([m]) => (m.type === 'notes' ? [m.checkpoint] : ([] as CheckpointNotes[])));
    await until(() => run.model.rewrites('model.head') === 1);
    assert.deepEqual(notesIn(feed.changes()), [], 'what init gave is not sent again');

    copyFileSync(LIGHTNING, join(dir, 'step_30.ckpt'));
    run.poke();
    // Same step: the third copy's figures replace the point the first two put there.
    await until(() => run.model.rewrites('model.head') === 2);
    assert.deepEqual(notesIn(feed.changes()), [
      { path: join(dir, 'step_30.ckpt'), name: 'step_30.ckpt', step: STEP, notes: [LIGHTNING_NOTE] },
    ]);
    assert.deepEqual(notesIn(feed.changes()), []);
  });

  it('replaces a checkpoint’s notes when it is read again, and drops them when it cannot be read', async () => {
    copyFileSync(LIGHTNING, join(dir, 'step_10.ckpt'));
    copyFileSync(LIGHTNING, join(dir, 'step_20.ckpt'));
    const { run, session, notesSent } = connect();
    await until(() => run.model.notes.length === 2);
    await session.receive({ body: { type: 'ready' } });

    // A plain state dict saved by torch.save: no Python object besides tensors, so no note.
    copyFileSync(fixture('reference', 'gamma1', 'step-000000.pt'), join(dir, 'step_20.ckpt'));
    run.poke();
    await until(() => run.model.notes.length === 1);
    assert.deepEqual(
      run.model.notes.map((n) => n.name),
      ['step_10.ckpt'],
    );
    await until(() => notesSent().length === 1);
    assert.deepEqual(notesSent()[0], { path: join(dir, 'step_20.ckpt'), name: 'step_20.ckpt', step: STEP, notes: [] });

    // A pickle that would run os.system is refused: the checkpoint is a problem and keeps no note.
    copyFileSync(fixture('bad', 'evil_os_system.pt'), join(dir, 'step_10.ckpt'));
    run.poke();
    await until(() => run.model.problems.length === 1);
    assert.deepEqual(run.model.notes, []);
    await until(() => notesSent().length === 2);
    assert.deepEqual(notesSent()[1].notes, []);
    assert.equal(notesSent()[1].path, join(dir, 'step_10.ckpt'));
    session.dispose();
  });
});
