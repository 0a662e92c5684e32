import { strict as assert } from 'node:assert';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PanelSession, type PanelHost } from '../../../src/extension/panel/panelSession';
import type { Envelope } from '../../../src/protocol/messageHandler';
import type { HostMessage } from '../../../src/protocol/panel';
import { DEFAULT_SETTINGS } from '../../../src/protocol/settings';
import { fixture, realRunManager, until } from './helpers';

/** Values of the independent NumPy implementation (test/fixtures/README.md). */
const expected = JSON.parse(readFileSync(fixture('expected.json'), 'utf8'));
const clustersAt = (threshold: number) =>
  expected.variants.find(
    (v: { checkpoint: string; settings: { threshold: number; activeFraction: number } }) =>
      v.checkpoint === 'pytorch/state_dict.pt' &&
      v.settings.threshold === threshold &&
      v.settings.activeFraction === 0.05,
  ).layers.fc1.clusters;

describe("a panel's threshold and similarity are its own (real runs, real worker)", () => {
  const manager = realRunManager();
  const host: PanelHost = {
    settings: () => ({ ...DEFAULT_SETTINGS }),
    save: async () => undefined,
    openPanel: () => undefined,
  };
  const runIn = (name: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'cl-choices-'));
    copyFileSync(fixture('pytorch', 'state_dict.pt'), join(dir, 'step-1.pt'));
    return manager().open({ name, target: { folder: dir } });
  };
  const panel = (run: ReturnType<typeof runIn>) => {
    const posted: Envelope<HostMessage>[] = [];
    const session = new PanelSession(async (m) => (posted.push(m), true), host, run);
    return { session, bodies: () => posted.map((m) => m.body) };
  };

  it('re-analyses only the run of the panel that changed it, showing the progress, and the editor settings stay', async () => {
    const [a, b] = [runIn('a'), runIn('b')];
    await until(() => a.model.series('fc1').length === 1 && b.model.series('fc1').length === 1);
    const defaults = expected.checkpoints['pytorch/state_dict.pt'].layers.fc1.clusters;
    assert.equal(a.model.series('fc1')[0].clusters, defaults);
    const pa = panel(a);
    await pa.session.receive({ body: { type: 'ready' } });
    const reanalysis: unknown[] = [];
    a.model.onDidChange(() => reanalysis.push(a.info.reanalysis));
    await pa.session.receive({ body: { type: 'setSetting', run: a.id, key: 'threshold', value: 0.8 } });
    assert.deepEqual(a.info.reanalysis, { done: 0, total: 1 }, 'the re-analysis shows how far it is');
    // The checkpoint counts as done once every one of its layers is.
    await until(() => a.model.series('fc1').length === 1 && a.info.reanalysis === undefined);
    assert.equal(a.model.series('fc1')[0].clusters, clustersAt(0.8));
    assert.equal(a.info.reanalysis, undefined, 'done');
    assert.equal(b.model.series('fc1')[0].clusters, defaults, "the other panel's run is untouched");
    assert.deepEqual(a.settings().threshold, 0.8);
    assert.deepEqual(b.settings().threshold, DEFAULT_SETTINGS.threshold);
    const settings = pa.bodies().filter((m) => m.type === 'settings');
    assert.deepEqual(
      settings.map((m) => m.type === 'settings' && m.settings.threshold),
      [0.8],
    );
    pa.session.dispose();
  });

  it('a panel restored after a reload brings its choices back with ready', async () => {
    const run = runIn('restored');
    await until(() => run.model.series('fc1').length === 1);
    const p = panel(run);
    await p.session.receive({ body: { type: 'ready', choices: { [run.id]: { threshold: 0.8 } } } });
    const init = p.bodies()[0];
    assert.equal(init.type === 'init' && init.runs[0].settings.threshold, 0.8);
    await until(() => run.model.series('fc1').length === 1 && run.info.reanalysis === undefined);
    assert.equal(run.model.series('fc1')[0].clusters, clustersAt(0.8));
    p.session.dispose();
  });

  it('a change while a re-analysis is under way replaces it', async () => {
    const run = runIn('twice');
    await until(() => run.model.series('fc1').length === 1);
    run.choose({ threshold: 0.8 });
    run.choose({ threshold: 0.95 });
    await until(() => run.model.series('fc1').length === 1 && run.info.reanalysis === undefined);
    assert.equal(run.model.series('fc1').length, 1, 'one point: the first re-analysis left nothing behind');
    assert.equal(run.model.series('fc1')[0].clusters, clustersAt(0.95));
  });
});
