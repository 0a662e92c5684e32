// Hostile pickles after fickling's and picklescan's test suites: code-running globals are refused by name
// however they are spelt, other Python objects stay inert data, and every budget holds on a tiny file.
import { strict as assert } from 'assert';
import { torchPickleHooks, torchPickleReader } from '../../../src/core/formats/torchPickle';
import { findTensors } from '../../../src/core/formats/pickledTensors';
import { PickleError, PyDict, PyGlobal, PyObject, unpickle } from '../../../src/core/formats/unpickler';
import { callWith, get, global, pickle, PROTO2, put, stackGlobal, str } from './picklePrograms';

function refusal(data: Buffer, strict = false): string {
  try {
    unpickle(data, torchPickleHooks({ strict }));
  } catch (err) {
    assert.ok(err instanceof PickleError, `not a PickleError: ${String(err)}`);
    return err.message;
  }
  throw new Error('the pickle was not refused');
}

describe('formats: hostile pickles', () => {
  describe('globals that would run code refuse the file as unsafe, naming the callable', () => {
    const denied: [string, string, string][] = [
      ['os', 'system', 'os.system'],
      ['posix', 'system', 'posix.system'],
      ['nt', 'spawnv', 'nt.spawnv'],
      ['os', 'execvp', 'os.execvp'],
      ['os', 'popen', 'os.popen'],
      ['subprocess', 'Popen', 'subprocess.Popen'],
      ['subprocess', 'check_output', 'subprocess.check_output'],
      ['builtins', 'eval', 'builtins.eval'],
      ['builtins', 'exec', 'builtins.exec'],
      ['__builtin__', 'compile', '__builtin__.compile'],
      ['builtins', 'getattr', 'builtins.getattr'],
      ['builtins', 'setattr', 'builtins.setattr'],
      ['builtins', '__import__', 'builtins.__import__'],
      ['builtins', 'open', 'builtins.open'],
      ['builtins', 'breakpoint', 'builtins.breakpoint'],
      ['builtins', 'input', 'builtins.input'],
      ['runpy', '_run_code', 'runpy._run_code'],
      ['pickle', 'loads', 'pickle.loads'],
      ['_pickle', 'load', '_pickle.load'],
      ['marshal', 'loads', 'marshal.loads'],
      ['types', 'FunctionType', 'types.FunctionType'],
      ['types', 'CodeType', 'types.CodeType'],
      ['ctypes', 'CDLL', 'ctypes.CDLL'],
      ['importlib', 'import_module', 'importlib.import_module'],
      ['code', 'InteractiveInterpreter', 'code.InteractiveInterpreter'],
      ['pty', 'spawn', 'pty.spawn'],
      ['bdb', 'Bdb', 'bdb.Bdb'],
      ['cProfile', 'run', 'cProfile.run'],
      ['profile', 'run', 'profile.run'],
      ['timeit', 'timeit', 'timeit.timeit'],
      ['pydoc', 'locate', 'pydoc.locate'],
      ['webbrowser', 'open', 'webbrowser.open'],
      ['shutil', 'rmtree', 'shutil.rmtree'],
      ['socket', 'create_connection', 'socket.create_connection'],
      ['sys', 'modules', 'sys.modules'],
      ['operator', 'attrgetter', 'operator.attrgetter'],
      ['operator', 'methodcaller', 'operator.methodcaller'],
      ['operator', 'call', 'operator.call'],
      ['io', 'open', 'io.open'],
      ['_io', 'FileIO', '_io.FileIO'],
      ['pathlib', 'Path.write_text', 'pathlib.Path.write_text'],
      ['codecs', 'open', 'codecs.open'],
      ['tempfile', 'mkstemp', 'tempfile.mkstemp'],
      ['torch', 'load', 'torch.load'],
      ['torch.jit', 'load', 'torch.jit.load'],
      ['torch.hub', 'load', 'torch.hub.load'],
      ['torch.serialization', 'load', 'torch.serialization.load'],
    ];
    for (const [module, name, shown] of denied) {
      it(`${module}.${name}`, () => {
        const message = refusal(pickle(PROTO2, global(module, name), callWith('touch /tmp/pwned')));
        assert.equal(message, `is unsafe: it would run ${shown} when loaded with torch.load; not read`);
      });
    }

    it('STACK_GLOBAL built from memoised strings (fickling)', () => {
      const data = pickle(PROTO2, str('builtins'), put(0), '0', str('eval'), put(1), '0', get(0), get(1), '\x93');
      assert.match(refusal(pickle(data, callWith('1+1'))), /would run builtins\.eval /);
    });

    it('names padded with newlines or spaces, and a dotted module', () => {
      assert.match(refusal(pickle(PROTO2, stackGlobal('os\n', ' system'), callWith('id'))), /would run os\.system /);
      assert.match(refusal(pickle(PROTO2, stackGlobal('os.path', 'join'), '.')), /would run os\.path /);
    });

    it('a dotted name that walks from a harmless module to a dangerous one (posixpath.os.system)', () => {
      assert.match(refusal(pickle(PROTO2, stackGlobal('posixpath', 'os.system'), '.')), /would run os\.system /);
    });

    it('a dotted name through a dunder attribute (collections.OrderedDict.__init__.__globals__)', () => {
      const data = pickle(PROTO2, stackGlobal('collections', 'OrderedDict.__init__.__globals__'), '.');
      assert.match(refusal(data), /would run collections\.OrderedDict\.__init__ /);
    });

    it('the INST and OBJ opcodes (protocol 0 and 1 calls)', () => {
      assert.match(refusal(Buffer.from("(ios\nsystem\nS'id'\n.", 'latin1')), /would run os\.system /);
      assert.match(
        refusal(pickle('(', global('subprocess', 'Popen'), str('id'), 'o.')),
        /would run subprocess\.Popen /,
      );
    });

    it('a numpy object array (dtype O), which torch.load would unpickle', () => {
      assert.match(refusal(pickle(PROTO2, global('numpy', 'dtype'), callWith('O8'))), /holds a numpy object array/);
    });

    it('a dangerous global hidden inside the arguments of a harmless-looking object', () => {
      const data = pickle(PROTO2, global('argparse', 'Namespace'), ')R', global('posix', 'system'), 'b.');
      assert.match(refusal(data), /would run posix\.system /);
    });

    it('is refused in strict mode too, with the same message', () => {
      const message = refusal(pickle(PROTO2, global('posix', 'system'), callWith('id')), true);
      assert.match(message, /^is unsafe: it would run posix\.system /);
    });
  });

  describe('other Python objects are inert data', () => {
    it('an argparse.Namespace with BUILD state keeps its name and state, and is noted', () => {
      // pickle.dumps(argparse.Namespace(lr=0.1), protocol=2): copyreg._reconstructor + BUILD.
      const data = Buffer.from(
        '80026361726770617273650a4e616d6573706163650a7100298171017d710258020000006c727103473fb999999999999a73622e',
        'hex',
      );
      const reader = torchPickleReader();
      const value = unpickle(data, reader.hooks);
      assert.ok(value instanceof PyObject && value.type instanceof PyGlobal);
      assert.equal(value.type.qualifiedName, 'argparse.Namespace');
      assert.deepEqual([...reader.inertGlobals], ['argparse.Namespace']);
    });

    it('REDUCE, NEWOBJ_EX, APPENDS and SETITEMS on placeholders build more placeholders, never calls', () => {
      const data = pickle(
        PROTO2,
        global('functools', 'partial'),
        global('mylib', 'Thing'),
        '\x85R', // partial(Thing)
        ')R', // …() on the result: still inert
        '(K\x01K\x02e', // APPENDS onto it
        '(X\x01\x00\x00\x00aK\x03u', // SETITEMS onto it
        '.',
      );
      const value = unpickle(data, torchPickleHooks());
      assert.ok(value instanceof PyObject && value.type instanceof PyObject);
      assert.deepEqual(value.listItems, [1, 2]);
      assert.equal(value.items.get('a'), 3);
    });

    it('a placeholder named like a rebuild function never becomes a tensor', () => {
      // {'fc.weight': mylib._rebuild_tensor_v2(torch.FloatStorage, 0, (2, 2), (2, 1))}
      const data = pickle(
        PROTO2,
        '}',
        str('fc.weight'),
        global('mylib', '_rebuild_tensor_v2'),
        '(',
        global('torch', 'FloatStorage'),
        'K\x00K\x02K\x02\x86K\x02K\x01\x86t',
        'Rs.',
      );
      const value = unpickle(data, torchPickleHooks());
      assert.ok(value instanceof PyDict);
      assert.ok(value.items.get('fc.weight') instanceof PyObject);
      assert.equal(findTensors(value), undefined);
    });

    it('strict mode refuses the same objects, as before', () => {
      assert.match(refusal(pickle(PROTO2, global('argparse', 'Namespace'), ')R.'), true), /refuses to load global/);
    });

    it('a numpy scalar whose dtype is named "__proto__" is kept as text, not looked up on Object.prototype', () => {
      const data = pickle(
        PROTO2,
        global('numpy.core.multiarray', 'scalar'),
        global('numpy', 'dtype'),
        str('__proto__'),
        '\x85R',
        'C\x08\x00\x00\x00\x00\x00\x00\xf0?',
        '\x86R.',
      );
      assert.equal(unpickle(data, torchPickleHooks()), 'numpy.__proto__');
    });
  });

  describe('budgets: small pickles that would take gigabytes or minutes are refused, naming the budget', () => {
    /** `count` copies of `body`, each followed by POP. */
    const repeated = (body: Buffer, count: number) => Buffer.concat(new Array<Buffer>(count).fill(pickle(body, '0')));

    it('torch.Size over one memoised list of 1000 items, 3000 times (copies count)', () => {
      const list = pickle(']', put(0), '(', 'K\x07'.repeat(1000), 'e0');
      const copy = pickle(global('torch', 'Size'), get(0), '\x85R');
      const message = refusal(pickle(PROTO2, list, repeated(copy, 3000), 'N.'));
      assert.match(message, /creates objects, more than the 2000000-object limit \(readerLimits\.maxPickleObjects\)/);
    });

    it('builtins.set over one memoised list, many times', () => {
      const list = pickle(']', put(0), '(', 'K\x07'.repeat(1000), 'e0');
      const copy = pickle(global('builtins', 'set'), get(0), '\x85R');
      assert.match(refusal(pickle(PROTO2, list, repeated(copy, 3000), 'N.')), /readerLimits\.maxPickleObjects/);
    });

    it('_codecs.encode over one memoised 1 MB string, 300 times (bytes count)', () => {
      const text = pickle(str('a'.repeat(1 << 20)), put(0), '0');
      const copy = pickle(global('_codecs', 'encode'), get(0), str('latin1'), '\x86R');
      const message = refusal(pickle(PROTO2, text, repeated(copy, 300), 'N.'));
      assert.match(
        message,
        /allocates strings and bytes, more than the \d+-byte limit \(readerLimits\.maxPickleBytes\)/,
      );
    });

    it('2.1 million empty dicts in one list', () => {
      const message = refusal(pickle(PROTO2, '](', '}'.repeat(2_100_000), 'e.'));
      assert.match(message, /readerLimits\.maxPickleObjects/);
    });

    it('50 million opcodes that create nothing (MARK, POP_MARK)', () => {
      const message = refusal(pickle(PROTO2, '(1'.repeat(25_000_001), 'N.'));
      assert.match(message, /runs opcodes, more than the 50000000-opcode limit \(readerLimits\.maxPickleOpcodes\)/);
    });

    it('a 30 MB integer (its decimal text would take minutes)', () => {
      const length = Buffer.alloc(4);
      length.writeUInt32LE(30_000_000);
      const message = refusal(pickle(PROTO2, '\x8b', length, Buffer.alloc(30_000_000, 0x11), '.'));
      assert.match(
        message,
        /integer of 30000000 bytes, more than the 4096-byte limit \(readerLimits\.maxPickleIntegerBytes\)/,
      );
    });

    it('more memo entries than the budget', () => {
      const count = 2_000_001;
      const puts = Buffer.alloc(count * 5);
      for (let i = 0; i < count; i++) {
        puts[i * 5] = 0x72; // LONG_BINPUT i
        puts.writeUInt32LE(i, i * 5 + 1);
      }
      assert.match(refusal(pickle(PROTO2, 'N', puts, '.')), /readerLimits\.maxPickleMemo/);
    });

    it('a _rebuild_from_type_v2 nested 100 000 deep ends with the depth budget, not a stack overflow', () => {
      // _rebuild_from_type_v2(_rebuild_from_type_v2, Tensor, (_rebuild_from_type_v2, Tensor, (…), {}), {}).
      const memoised = pickle(global('torch._tensor', '_rebuild_from_type_v2'), put(0), '0');
      const tensorType = pickle(global('torch', 'Tensor'), put(1), '0');
      const levels = 100_000;
      const open = pickle('(', get(0), get(1)).toString('latin1').repeat(levels);
      const data = pickle(PROTO2, memoised, tensorType, get(0), open, ')', '}t'.repeat(levels), 'R.');
      const message = refusal(data);
      assert.match(message, /nests tensor subclasses more than the 200-level limit \(readerLimits\.maxPickleDepth\)/);
    });
  });
});
