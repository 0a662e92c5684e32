import { strict as assert } from 'node:assert';
import { checkpointNotes, groupNotes, noteLine } from '../../../src/protocol/checkpointNotes';

const INERT = 'holds Python objects that were not run: argparse.Namespace';
const CONFIG = 'config.json beside it could not be read: not JSON';

describe('checkpoint notes', () => {
  it('drops the name the engine puts in front, escaped as the engine escapes it', () => {
    // A file name holding a newline and an escape sequence is one escaped line in the note.
    const entry = { path: 'a\nb\x1b.ckpt', notes: [`a\\nb\\x1b.ckpt: ${INERT}`, 'no name in front'] };
    assert.deepEqual(checkpointNotes('/run/a\nb\x1b.ckpt', 7, entry), {
      path: '/run/a\nb\x1b.ckpt',
      name: 'a\\nb\\x1b.ckpt',
      step: 7,
      notes: [INERT, 'no name in front'],
    });
    assert.deepEqual(checkpointNotes('/run/x.pt', null, { path: 'x.pt' }).notes, []);
  });

  it('shows each note once, with its checkpoints in step order (unknown steps last)', () => {
    const groups = groupNotes([
      { path: '/r/c', name: 'c.pt', step: 300, notes: [INERT] },
      { path: '/r/u', name: 'u.pt', step: null, notes: [INERT, CONFIG] },
      { path: '/r/a', name: 'a.pt', step: 100, notes: [INERT, INERT] },
      { path: '/r/b', name: 'b.pt', step: 200, notes: [CONFIG] },
    ]);
    assert.deepEqual(groups, [
      { note: INERT, checkpoints: ['a.pt', 'c.pt', 'u.pt'] },
      { note: CONFIG, checkpoints: ['b.pt', 'u.pt'] },
    ]);
    assert.deepEqual(groups.map(noteLine), [`3 checkpoints: ${INERT}`, `2 checkpoints: ${CONFIG}`]);
    assert.equal(noteLine({ note: INERT, checkpoints: ['a.pt'] }), `a.pt: ${INERT}`);
    assert.deepEqual(groupNotes([]), []);
  });
});
