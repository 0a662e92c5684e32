// The restricted unpickler on pickles written by CPython's pickle module (hex below), with the state-dict whitelist.
import { strict as assert } from 'assert';
import { torchPickleHooks } from '../../../src/core/formats/torchPickle';
import { PickleError, PyDict, PyGlobal, unpickle } from '../../../src/core/formats/unpickler';

// pickle.dumps({'a': [1, 2.5, 'x', None, True, (3,)], 'b': -70000, 'big': 2**70, 'neg': -2**40,
//               'bytes': b'\x00\xff', 'od': collections.OrderedDict([('k', 1)])}, protocol=P)
const plainValues = {
  2: '80027d71002858010000006171015d7102284b0147400400000000000058010000007871034e884b038571046558010000006271054a90eefeff580300000062696771068a0900000000000000004058030000006e656771078a060000000000ff580500000062797465737108635f636f646563730a656e636f64650a7109580300000000c3bf710a58060000006c6174696e31710b86710c52710d58020000006f64710e63636f6c6c656374696f6e730a4f726465726564446963740a710f2952711058010000006b71114b0173752e',
  4: '80049584000000000000007d94288c0161945d94284b014740040000000000008c0178944e884b038594658c0162944a90eefeff8c03626967948a090000000000000000408c036e6567948a060000000000ff8c05627974657394430200ff948c026f64948c0b636f6c6c656374696f6e73948c0b4f726465726564446963749493942952948c016b944b0173752e',
};

/** PyDicts as plain objects, so results compare with deepEqual. */
function plain(value: unknown): unknown {
  if (value instanceof PyDict) return Object.fromEntries([...value.items].map(([k, v]) => [String(k), plain(v)]));
  if (Array.isArray(value)) return value.map(plain);
  return value;
}

function unpickleHex(hex: string): unknown {
  return unpickle(Buffer.from(hex, 'hex'), torchPickleHooks());
}

describe('formats: restricted unpickler', () => {
  for (const [protocol, hex] of Object.entries(plainValues)) {
    it(`reads CPython protocol ${protocol} values (ints of every width, floats, str, bytes, tuples, OrderedDict)`, () => {
      assert.deepEqual(plain(unpickleHex(hex)), {
        a: [1, 2.5, 'x', null, true, [3]],
        b: -70000,
        big: 2n ** 70n,
        neg: -(2 ** 40),
        bytes: Uint8Array.from([0x00, 0xff]),
        od: { k: 1 },
      });
    });
  }

  it('reads a LONG4 integer of 2001 bits (CPython pickle.dumps(-2**2000 + 12345, protocol=2))', () => {
    const hex =
      '80028afb39300000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000ff2e';
    assert.equal(unpickleHex(hex), -(2n ** 2000n) + 12345n);
  });

  it('appends 200 000 items with one APPENDS (hand-built: MARK, BININT1 1 × 200 000, APPENDS)', () => {
    const count = 200_000;
    const body = Buffer.alloc(count * 2);
    for (let i = 0; i < count; i++) {
      body.writeUInt8(0x4b, 2 * i);
      body.writeUInt8(1, 2 * i + 1);
    }
    const list = unpickle(
      Buffer.concat([Buffer.from('80025d28', 'hex'), body, Buffer.from('652e', 'hex')]),
      torchPickleHooks(),
    );
    assert.ok(Array.isArray(list) && list.length === count && list.every((v) => v === 1));
  });

  it('refuses os.system in protocol 0 and 2 before anything is called', () => {
    // pickle.dumps(E(), protocol=0 / 2) where E.__reduce__ returns (os.system, ('echo hi',))
    const protocol0 = Buffer.from('cposix\nsystem\np0\n(Vecho hi\np1\ntp2\nRp3\n.', 'latin1').toString('hex');
    const protocol2 = '800263706f7369780a73797374656d0a710058070000006563686f20686971018571025271032e';
    for (const hex of [protocol0, protocol2]) {
      assert.throws(
        () => unpickleHex(hex),
        (err: unknown) => err instanceof PickleError && /would run posix\.system when loaded/.test(err.message),
      );
    }
  });

  it('globals named like Object properties are inert placeholders, and refused in strict mode', () => {
    for (const name of ['constructor', 'toString', '__proto__']) {
      const pickle = Buffer.from(`\x80\x02ctorch\n${name}\n.`, 'latin1');
      const value = unpickle(pickle, torchPickleHooks());
      assert.ok(value instanceof PyGlobal && value.qualifiedName === `torch.${name}`);
      assert.throws(
        () => unpickle(pickle, torchPickleHooks({ strict: true })),
        new RegExp(`refuses to load global torch\\.${name} `),
      );
    }
  });

  it('refuses calling something that is not a whitelisted constructor', () => {
    // GLOBAL torch FloatStorage, EMPTY_TUPLE, REDUCE: a storage class is only a marker.
    const hex = Buffer.from('\x80\x02ctorch\nFloatStorage\n)R.', 'latin1').toString('hex');
    assert.throws(
      () => unpickleHex(hex),
      /pickle calls torch\.FloatStorage, which is not a constructor this reader allows/,
    );
  });

  const malformed: [string, string, RegExp][] = [
    ['no STOP', '80027d71002858', /ends early|without a STOP/],
    ['a memo entry never stored', '80026805', /memo entry 5 that was never stored/],
    ['an opcode outside the supported set (EXT1)', '8002820a2e', /opcode 0x82 .* not support/],
    ['a string longer than the pickle', '800258ffffff7f', /ends early/],
    ['SETITEM on a list', '80025d4b014b0273', /sets items on a list/],
    ['a pop past a MARK', '8002284b01283030', /pops an empty stack/],
  ];
  for (const [label, hex, message] of malformed) {
    it(`${label} → PickleError`, () => {
      assert.throws(
        () => unpickleHex(hex),
        (err: unknown) => err instanceof PickleError && message.test(err.message),
      );
    });
  }
});
