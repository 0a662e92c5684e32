// PyTorch zip checkpoints: refused globals run nothing, legacy files get the re-save hint, damaged archives are one-line errors.
import { strict as assert } from 'assert';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { openCheckpoint } from '../../../src/core/formats';
import { fixturePath } from '../helpers/fixtures';
import { useTempDir } from '../helpers/tempDir';
import { expectCheckpointError, openAndReadAll } from './checkpointAssertions';

const pwnedMarker = '/tmp/condensation-lens-pwned';
const refusedDir = join(__dirname, 'fixtures', 'refused');

/** Offset of the central directory, from the end-of-central-directory record at the end of a comment-less zip. */
function centralDirectoryOffset(zip: Buffer): number {
  return zip.readUInt32LE(zip.length - 22 + 16);
}

describe('formats: PyTorch', () => {
  const temp = useTempDir();

  describe('pickles that would run code are refused as unsafe, naming the callable, and nothing runs', () => {
    const cases: [string, RegExp][] = [
      [
        fixturePath('bad/evil_os_system.pt'),
        /is unsafe: it would run posix\.system when loaded with torch\.load; not read$/,
      ],
      [fixturePath('bad/evil_eval.pt'), /is unsafe: it would run (__builtin__|builtins)\.eval when loaded/],
      [join(refusedDir, 'evil_subprocess.pt'), /is unsafe: it would run (subprocess|commands)\.check_call when loaded/],
    ];
    for (const [path, message] of cases) {
      for (const strict of [false, true]) {
        it(`${path.split('/').slice(-2).join('/')}${strict ? ' (strict)' : ''}`, async () => {
          rmSync(pwnedMarker, { force: true });
          await expectCheckpointError(openCheckpoint(path, { strict }), path, { message, maybeIncomplete: false });
          assert.equal(existsSync(pwnedMarker), false, `${pwnedMarker} was created`);
        });
      }
    }
  });

  it('strict mode refuses a pickled whole module, as any global outside the allowlist', async () => {
    const path = join(refusedDir, 'whole_module.pt');
    await expectCheckpointError(openCheckpoint(path, { strict: true }), path, {
      message:
        /refuses to load global torch\.nn\.modules\.linear\.Linear \(not a tensor\/state-dict type, and strict mode is on\)/,
    });
  });

  it('by default a pickled whole module is read: its parameters under state_dict() names, with a note', async () => {
    // torch.save(torch.nn.Linear(2, 3)): weight [3, 2], bias [3].
    const ckpt = await openCheckpoint(join(refusedDir, 'whole_module.pt'));
    try {
      assert.deepEqual(
        ckpt.tensors.map((t) => [t.name, t.shape]),
        [
          ['weight', [3, 2]],
          ['bias', [3]],
        ],
      );
      // Its pickle names Linear, OrderedDict, _rebuild_parameter, _rebuild_tensor_v2, FloatStorage and set (pickletools).
      assert.deepEqual(ckpt.notes, ['holds Python objects that were not run: torch.nn.modules.linear.Linear']);
    } finally {
      await ckpt.close();
    }
  });

  it('reads a small expand()ed view (zero stride) and refuses one that would blow up a tiny file', async () => {
    // Written by real PyTorch: {"fc1.weight": arange(3).expand(4, 3), "fc2.weight": zeros(1).expand(8192, 4096)}.
    const path = fixturePath('bad/expanded.pt');
    const ckpt = await openCheckpoint(path);
    try {
      assert.deepEqual([...(await ckpt.read('fc1.weight'))], [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2]);
      await expectCheckpointError(ckpt.read('fc2.weight'), path, {
        message:
          /tensor "fc2\.weight" is a view that repeats the 1 items of its storage as 33554432 elements .* Save it with \.contiguous\(\) to analyse it$/,
        maybeIncomplete: false,
      });
    } finally {
      await ckpt.close();
    }
  });

  it('a legacy (non-zip) torch file asks to be re-saved', async () => {
    const path = fixturePath('bad/legacy.pt');
    await expectCheckpointError(openCheckpoint(path), path, {
      message: /legacy \(non-zip\) PyTorch file; re-save it with a current torch \(torch\.save default zip format\)/,
      maybeIncomplete: false,
    });
  });

  it('a file cut short at any point is "maybe incomplete"', async () => {
    const whole = readFileSync(fixturePath('pytorch/wrapped.pt'));
    for (const cut of [
      1,
      3,
      4,
      30,
      200,
      whole.length >> 1,
      centralDirectoryOffset(whole) + 10,
      whole.length - 22,
      whole.length - 1,
    ]) {
      const path = temp(`cut-${cut}.pt`);
      writeFileSync(path, whole.subarray(0, cut));
      await expectCheckpointError(openAndReadAll(path), path, { maybeIncomplete: true });
    }
  });

  it('a corrupt central directory is reported as corrupt, not incomplete', async () => {
    const zip = Buffer.from(readFileSync(fixturePath('pytorch/state_dict.pt')));
    zip.writeUInt32LE(0x12345678, centralDirectoryOffset(zip));
    const path = temp('bad-cd.pt');
    writeFileSync(path, zip);
    await expectCheckpointError(openCheckpoint(path), path, {
      message: /zip central directory has a bad entry 0 .*corrupt/,
      maybeIncomplete: false,
    });
  });

  it('a central directory said to lie past its end record is corrupt (plain and zip64 end records)', async () => {
    // np.savez writes a plain end record; torch.save writes zip64 ones (record 56 + locator 20 + end 22 bytes from the end).
    const npz = Buffer.from(readFileSync(fixturePath('numpy/weights.npz')));
    npz.writeUInt32LE(npz.length - 10, npz.length - 22 + 16);
    const torch = Buffer.from(readFileSync(fixturePath('pytorch/state_dict.pt')));
    torch.writeBigUInt64LE(BigInt(torch.length - 10), torch.length - 22 - 20 - 56 + 48);
    for (const [name, bytes] of [
      ['cd-offset.npz', npz],
      ['cd-offset64.pt', torch],
    ] as const) {
      const path = temp(name);
      writeFileSync(path, bytes);
      await expectCheckpointError(openCheckpoint(path), path, {
        message: /central directory .* overlaps its end record/,
        maybeIncomplete: false,
      });
    }
  });

  it('a storage named in data.pkl but missing from the archive', async () => {
    const zip = readFileSync(fixturePath('pytorch/state_dict.pt'));
    // Rename member "state_dict/data/0" (same length) in its local and central headers.
    const renamed = Buffer.from(zip.toString('latin1').split('state_dict/data/0').join('state_dict/data/Z'), 'latin1');
    const path = temp('missing-storage.pt');
    writeFileSync(path, renamed);
    await expectCheckpointError(openCheckpoint(path), path, { message: /storage "0" named in data\.pkl is missing/ });
  });

  it('a zip with neither data.pkl nor .npy members is not a checkpoint', async () => {
    const zip = readFileSync(fixturePath('pytorch/state_dict.pt'));
    const renamed = Buffer.from(
      zip.toString('latin1').split('state_dict/data.pkl').join('state_dict/data.txt'),
      'latin1',
    );
    const path = temp('no-pickle.pt');
    writeFileSync(path, renamed);
    await expectCheckpointError(openCheckpoint(path), path, {
      message: /neither data\.pkl \(PyTorch\) nor \.npy members/,
    });
  });
});
