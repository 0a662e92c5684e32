// A restricted pickle reader: builds plain values; globals, calls and persistent ids go through caller hooks.
// It never imports or runs anything: a global it is not given is an error, not code.

/** A Python dict (keys by value for str/int/bool/None). `BUILD` attributes are kept apart from items. */
export class PyDict {
  readonly items = new Map<unknown, unknown>();
}

export interface PickleHooks {
  /** The value for `GLOBAL module name`; throws for anything not whitelisted. */
  findGlobal(module: string, name: string): unknown;
  /** Result of calling a value produced by `findGlobal` (REDUCE, NEWOBJ); throws for anything else. */
  call(callable: unknown, args: readonly unknown[]): unknown;
  /** Result of a persistent id (BINPERSID), e.g. a storage reference. */
  persistentLoad(pid: unknown): unknown;
}

export class PickleError extends Error {}

export function unpickle(data: Uint8Array, hooks: PickleHooks): unknown {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  let pos = 0;
  const stack: unknown[] = [];
  const marks: number[] = [];
  const memo = new Map<number, unknown>();

  const take = (n: number): Buffer => {
    if (!Number.isSafeInteger(n) || n < 0 || pos + n > bytes.length) {
      throw new PickleError(
        `pickle ends early at byte ${pos} (wanted ${n} more bytes); the file is truncated or corrupt`,
      );
    }
    pos += n;
    return bytes.subarray(pos - n, pos);
  };
  const line = (): string => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0)
      throw new PickleError(`pickle ends early at byte ${pos} (unterminated line); the file is truncated or corrupt`);
    const text = bytes.toString('utf8', pos, end);
    pos = end + 1;
    return text;
  };
  const pop = (): unknown => {
    if (stack.length === 0 || (marks.length > 0 && stack.length <= marks[marks.length - 1])) {
      throw new PickleError(`pickle pops an empty stack at byte ${pos}; the file is corrupt`);
    }
    return stack.pop();
  };
  const top = (): unknown => {
    if (stack.length === 0) throw new PickleError(`pickle reads an empty stack at byte ${pos}; the file is corrupt`);
    return stack[stack.length - 1];
  };
  const popMark = (): unknown[] => {
    const mark = marks.pop();
    if (mark === undefined)
      throw new PickleError(`pickle has no MARK for the opcode at byte ${pos - 1}; the file is corrupt`);
    return stack.splice(mark);
  };
  const get = (key: number): unknown => {
    if (!memo.has(key))
      throw new PickleError(`pickle reads memo entry ${key} that was never stored; the file is corrupt`);
    return memo.get(key);
  };
  const asDict = (value: unknown): PyDict => {
    if (!(value instanceof PyDict))
      throw new PickleError(`pickle sets items on a ${typeName(value)} at byte ${pos - 1}; only dicts are supported`);
    return value;
  };
  const asList = (value: unknown): unknown[] => {
    if (!Array.isArray(value) || Object.isFrozen(value))
      throw new PickleError(`pickle appends to a ${typeName(value)} at byte ${pos - 1}; only lists are supported`);
    return value;
  };
  const asSet = (value: unknown): Set<unknown> => {
    if (!(value instanceof Set))
      throw new PickleError(`pickle adds items to a ${typeName(value)} at byte ${pos - 1}; only sets are supported`);
    return value;
  };
  const asArgs = (value: unknown): readonly unknown[] => {
    if (!Array.isArray(value))
      throw new PickleError(`pickle calls with ${typeName(value)} as arguments; the file is corrupt`);
    return value;
  };
  const tuple = (items: unknown[]): readonly unknown[] => Object.freeze(items);

  while (pos < bytes.length) {
    const op = bytes[pos++];
    switch (op) {
      case 0x80:
        take(1);
        break; // PROTO
      case 0x95:
        take(8);
        break; // FRAME: frames are only a read-ahead hint
      case 0x2e:
        return pop(); // STOP
      case 0x28:
        marks.push(stack.length);
        break; // MARK
      case 0x30:
        pop();
        break; // POP
      case 0x31:
        popMark();
        break; // POP_MARK
      case 0x32:
        stack.push(top());
        break; // DUP
      case 0x4e:
        stack.push(null);
        break; // NONE
      case 0x88:
        stack.push(true);
        break; // NEWTRUE
      case 0x89:
        stack.push(false);
        break; // NEWFALSE
      case 0x4a:
        stack.push(take(4).readInt32LE(0));
        break; // BININT
      case 0x4b:
        stack.push(take(1)[0]);
        break; // BININT1
      case 0x4d:
        stack.push(take(2).readUInt16LE(0));
        break; // BININT2
      case 0x8a:
        stack.push(littleEndianInt(take(take(1)[0])));
        break; // LONG1
      case 0x8b:
        stack.push(littleEndianInt(take(take(4).readInt32LE(0))));
        break; // LONG4
      case 0x47:
        stack.push(take(8).readDoubleBE(0));
        break; // BINFLOAT
      case 0x58:
        stack.push(take(take(4).readUInt32LE(0)).toString('utf8'));
        break; // BINUNICODE
      case 0x8c:
        stack.push(take(take(1)[0]).toString('utf8'));
        break; // SHORT_BINUNICODE
      case 0x8d:
        stack.push(take(u64(take(8))).toString('utf8'));
        break; // BINUNICODE8
      case 0x54:
        stack.push(take(take(4).readInt32LE(0)).toString('latin1'));
        break; // BINSTRING
      case 0x55:
        stack.push(take(take(1)[0]).toString('latin1'));
        break; // SHORT_BINSTRING
      case 0x42:
        stack.push(Uint8Array.from(take(take(4).readUInt32LE(0))));
        break; // BINBYTES
      case 0x43:
        stack.push(Uint8Array.from(take(take(1)[0])));
        break; // SHORT_BINBYTES
      case 0x8e:
        stack.push(Uint8Array.from(take(u64(take(8)))));
        break; // BINBYTES8
      case 0x7d:
        stack.push(new PyDict());
        break; // EMPTY_DICT
      case 0x5d:
        stack.push([]);
        break; // EMPTY_LIST
      case 0x29:
        stack.push(tuple([]));
        break; // EMPTY_TUPLE
      case 0x8f:
        stack.push(new Set());
        break; // EMPTY_SET
      case 0x64: {
        // DICT
        const items = popMark();
        const dict = new PyDict();
        for (let i = 0; i + 1 < items.length; i += 2) dict.items.set(items[i], items[i + 1]);
        stack.push(dict);
        break;
      }
      case 0x6c:
        stack.push(popMark());
        break; // LIST
      case 0x74:
        stack.push(tuple(popMark()));
        break; // TUPLE
      case 0x85:
        stack.push(tuple([pop()]));
        break; // TUPLE1
      case 0x86: {
        const b = pop();
        stack.push(tuple([pop(), b]));
        break;
      } // TUPLE2
      case 0x87: {
        const c = pop();
        const b = pop();
        stack.push(tuple([pop(), b, c]));
        break;
      } // TUPLE3
      case 0x91:
        stack.push(Object.freeze(new Set(popMark())));
        break; // FROZENSET
      case 0x73: {
        const value = pop();
        const key = pop();
        asDict(top()).items.set(key, value);
        break;
      } // SETITEM
      case 0x75: {
        // SETITEMS
        const items = popMark();
        const dict = asDict(top());
        for (let i = 0; i + 1 < items.length; i += 2) dict.items.set(items[i], items[i + 1]);
        break;
      }
      case 0x61: {
        const value = pop();
        asList(top()).push(value);
        break;
      } // APPEND
      case 0x65: {
        const items = popMark();
        const list = asList(top());
        for (const item of items) list.push(item);
        break;
      } // APPENDS: no spread, which overflows the call stack on long lists
      case 0x90: {
        const items = popMark();
        const set = asSet(top());
        for (const item of items) set.add(item);
        break;
      } // ADDITEMS
      case 0x71:
        memo.set(take(1)[0], top());
        break; // BINPUT
      case 0x72:
        memo.set(take(4).readUInt32LE(0), top());
        break; // LONG_BINPUT
      case 0x94:
        memo.set(memo.size, top());
        break; // MEMOIZE
      case 0x68:
        stack.push(get(take(1)[0]));
        break; // BINGET
      case 0x6a:
        stack.push(get(take(4).readUInt32LE(0)));
        break; // LONG_BINGET
      case 0x63: {
        const module = line();
        stack.push(hooks.findGlobal(module, line()));
        break;
      } // GLOBAL
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string')
          throw new PickleError('pickle names a global with non-string parts; the file is corrupt');
        stack.push(hooks.findGlobal(module, name));
        break;
      }
      case 0x52: {
        const args = asArgs(pop());
        stack.push(hooks.call(pop(), args));
        break;
      } // REDUCE
      case 0x81: {
        const args = asArgs(pop());
        stack.push(hooks.call(pop(), args));
        break;
      } // NEWOBJ
      case 0x92: {
        // NEWOBJ_EX
        const kwargs = pop();
        const args = asArgs(pop());
        if (!(kwargs instanceof PyDict) || kwargs.items.size > 0)
          throw new PickleError('pickle constructs an object with keyword arguments; only plain state dicts are read');
        stack.push(hooks.call(pop(), args));
        break;
      }
      case 0x62:
        pop();
        top();
        break; // BUILD: object state is not needed to read tensors, and applying it would run code
      case 0x51:
        stack.push(hooks.persistentLoad(pop()));
        break; // BINPERSID
      default:
        throw new PickleError(
          `pickle uses opcode 0x${op.toString(16).padStart(2, '0')} at byte ${pos - 1}, which this reader does not support; only plain state dicts are read`,
        );
    }
  }
  throw new PickleError('pickle ends without a STOP opcode; the file is truncated or corrupt');
}

/** Two's-complement little-endian integer (LONG1/LONG4); a number when it is safe, else a bigint. */
function littleEndianInt(bytes: Buffer): number | bigint {
  if (bytes.length === 0) return 0;
  // One hex parse, linear in the length: shifting a bigint byte by byte is quadratic and hangs on a long LONG4.
  let value = BigInt(`0x${Buffer.from(bytes).reverse().toString('hex')}`);
  if (bytes[bytes.length - 1] & 0x80) value -= 1n << BigInt(bytes.length * 8);
  return narrow(value);
}

function narrow(value: bigint): number | bigint {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

function u64(bytes: Buffer): number {
  const value = bytes.readBigUInt64LE(0);
  if (value > BigInt(Number.MAX_SAFE_INTEGER))
    throw new PickleError('pickle declares an impossibly long string; the file is corrupt');
  return Number(value);
}

export function typeName(value: unknown): string {
  if (value === null) return 'None';
  if (Array.isArray(value)) return Object.isFrozen(value) ? 'tuple' : 'list';
  if (value instanceof PyDict) return 'dict';
  return typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value;
}
