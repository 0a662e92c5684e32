// Checkpoint notes in the panel header and the standalone report, in real Chromium, from real Lightning checkpoints
// (lightning.ckpt holds an argparse.Namespace and a TrainConfig in its hyper_parameters, never run).
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { reportCommand } from '../../src/cli/report';
import { outlineCheckpointFile } from '../../src/core/analyze';
import { checkpointNotes } from '../../src/protocol/checkpointNotes';
import type { CheckpointNotes, HostMessage } from '../../src/protocol/panel';
import { DEFAULT_SETTINGS } from '../../src/protocol/settings';
import { openHarness, sharedSession, ROOT, SCREENSHOTS, type Session } from './browser';
import { feed, liveInit, loadRecorded } from './recording';

// What make_framework_fixtures.py put in the file, as the reader must name it.
const NOTE = 'holds Python objects that were not run: argparse.Namespace, __main__.TrainConfig';
const LIGHTNING = join(ROOT, 'test/fixtures/frameworks/lightning.ckpt');
// A name that would be markup if it were ever parsed as HTML.
const HOSTILE = '<img src=x onerror=document.title=1>.ckpt';

/** The header's note lines, as read (a line of several checkpoints is the summary of their names). */
const lines = (page: Page) =>
  page.locator('.notes > .note').evaluateAll((els) => els.map((e) => (e.querySelector('summary') ?? e).textContent));

describe('checkpoint notes', function () {
  this.timeout(90_000);
  let session: Session;
  let dir: string;
  before(async () => {
    session = await sharedSession();
    dir = mkdtempSync(join(tmpdir(), 'condensation-lens-notes-'));
    for (const name of ['step_10.ckpt', 'step_20.ckpt', 'step_30.ckpt', HOSTILE])
      copyFileSync(LIGHTNING, join(dir, name));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('shows the notes of a live run’s checkpoints as they are read, each note once with its count', async () => {
    const { init } = loadRecorded();
    const run = init.runs[0].run.id;
    // The notes as the host makes them from the worker's outline of each checkpoint.
    const read = async (name: string): Promise<CheckpointNotes> => {
      const path = join(dir, name);
      const outline = await outlineCheckpointFile(path, DEFAULT_SETTINGS);
      return checkpointNotes(path, outline.step, outline);
    };
    const message = (checkpoint: CheckpointNotes): HostMessage => ({ type: 'notes', run, checkpoint });
    const page = await openHarness(session, 'panel', 'light');
    await feed(page, [liveInit(init, 10)]);
    await page.locator('.panel-header h1').waitFor();
    assert.equal(await page.locator('.notes').isHidden(), true, 'no note, no line');

    const first = await read('step_10.ckpt');
    assert.deepEqual(first.notes, [NOTE]);
    await feed(page, [message(first)]);
    await page.locator('.notes > .note').waitFor();
    assert.deepEqual(await lines(page), [`step_10.ckpt: ${NOTE}`]);

    await feed(page, [message(await read('step_20.ckpt')), message(await read(HOSTILE))]);
    await page.waitForFunction(() => document.querySelector('.notes summary')?.textContent?.startsWith('3 '));
    assert.deepEqual(await lines(page), [`3 checkpoints: ${NOTE}`]);
    await page.locator('.notes summary').click();
    // Every copy is at the global_step the file holds (120): the names come in the order they were read.
    assert.equal(
      await page.locator('.note-checkpoints').textContent(),
      ['step_10.ckpt', 'step_20.ckpt', HOSTILE].join(', '),
    );
    assert.equal(await page.locator('.panel-header img').count(), 0, 'a name is text, never markup');
    assert.notEqual(await page.title(), '1');

    // Read again without notes: the checkpoint's notes go, the open line stays open with one name fewer.
    await feed(page, [message({ ...first, notes: [] })]);
    await page.waitForFunction(() => document.querySelector('.notes summary')?.textContent?.startsWith('2 '));
    assert.deepEqual(await lines(page), [`2 checkpoints: ${NOTE}`]);
    assert.equal(await page.locator('.notes details[open]').count(), 1);
    assert.equal(await page.locator('.note-checkpoints').textContent(), ['step_20.ckpt', HOSTILE].join(', '));

    // Beside an error line, a note does not look like one.
    await feed(page, [{ type: 'problem', run, problem: { path: '/x/bad.pt', step: 5, error: 'bad.pt: truncated' } }]);
    await page.locator('.problems:not([hidden])').waitFor();
    const color = (selector: string) => page.locator(selector).evaluate((e) => getComputedStyle(e).color);
    assert.notEqual(await color('.notes'), await color('.problems'));
    await page.screenshot({ path: join(SCREENSHOTS, 'light-checkpoint-notes.png'), fullPage: true });
    await page.close();
  });

  it('keeps the notes in the standalone report of the run', async () => {
    const out = join(dir, 'report.html');
    const stdout = process.stdout.write;
    process.stdout.write = () => true;
    const code = await reportCommand.run([dir, '-o', out]).finally(() => (process.stdout.write = stdout));
    assert.equal(code, 0);
    const page = await session.context.newPage();
    await page.goto(`file://${out}`);
    await page.locator('.notes summary').waitFor();
    assert.deepEqual(await lines(page), [`4 checkpoints: ${NOTE}`]);
    await page.locator('.notes summary').click();
    const names = (await page.locator('.note-checkpoints').textContent())?.split(', ').sort();
    assert.deepEqual(names, [HOSTILE, 'step_10.ckpt', 'step_20.ckpt', 'step_30.ckpt'].sort());
    assert.equal(await page.locator('.panel-header img').count(), 0);
    await page.close();
  });
});
