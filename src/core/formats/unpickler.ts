// A restricted pickle reader: builds plain values; globals, calls and persistent ids go through caller hooks.
// It never imports or runs anything: a global is a value the hooks give, and an object is inert data.
import { displayText } from '../../protocol/displayText';
import { overBudget, readerLimits, type ReaderLimit } from './limits';

/** A Python dict (keys by value for str/int/bool/None). `BUILD` attributes are kept apart from items. */
export class PyDict {
  // Made on first use: a pickle of millions of empty dicts must not cost a Map each.
  private map?: Map<unknown, unknown>;
  get items(): Map<unknown, unknown> {
    this.map ??= new Map();
    return this.map;
  }
}

/** A global that is not run: only its name is kept (Netron's python.js reads PyTorch files this way). */
export class PyGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
  get qualifiedName(): string {
    return `${this.module}.${this.name}`;
  }
}

/**
 * An object "built" by calling a PyGlobal (REDUCE, NEWOBJ, INST, OBJ): inert data recording its type, its
 * arguments, its `BUILD` state and any dict or list items pickled after it. It never gains behaviour.
 */
export class PyObject extends PyDict {
  state: unknown = undefined;
  private list?: unknown[];
  constructor(
    readonly type: unknown,
    readonly args: readonly unknown[],
  ) {
    super();
  }
  /** Items APPENDed to the object (a list subclass), made on first use. */
  get listItems(): unknown[] {
    this.list ??= [];
    return this.list;
  }
}

export interface PickleHooks {
  /** The value for `GLOBAL module name`; throws for a global the file may not use. */
  findGlobal(module: string, name: string): unknown;
  /** Result of calling a value produced by `findGlobal` (REDUCE, NEWOBJ, INST, OBJ); throws for anything else. */
  call(callable: unknown, args: readonly unknown[]): unknown;
  /** Result of a persistent id (BINPERSID), e.g. a storage reference. */
  persistentLoad(pid: unknown): unknown;
}

export class PickleError extends Error {}

function budgetError(limit: ReaderLimit, what: string, unit: string): PickleError {
  return new PickleError(`pickle ${what}, ${overBudget(limit, unit)}; it is not read`);
}

/** What a value holds, counted against the budgets when a constructor returns it (copies count). */
function sizeOf(value: unknown): { items: number; bytes: number } {
  if (typeof value === 'string' || value instanceof Uint8Array) return { items: 1, bytes: value.length };
  if (Array.isArray(value)) return { items: 1 + value.length, bytes: 0 };
  if (value instanceof Set) return { items: 1 + value.size, bytes: 0 };
  if (value instanceof PyDict) return { items: 1 + value.items.size, bytes: 0 };
  return { items: 1, bytes: 0 };
}

export function unpickle(data: Uint8Array, hooks: PickleHooks): unknown {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  let pos = 0;
  const stack: unknown[] = [];
  const marks: number[] = [];
  const memo = new Map<number, unknown>();
  let objects = 0;
  let allocated = 0;
  const count = (items: number, bytes = 0): void => {
    objects += items;
    allocated += bytes;
    if (objects > readerLimits.maxPickleObjects) throw budgetError('maxPickleObjects', 'creates objects', 'object');
    if (allocated > readerLimits.maxPickleBytes)
      throw budgetError('maxPickleBytes', 'allocates strings and bytes', 'byte');
  };
  const push = (value: unknown): void => {
    count(1);
    stack.push(value);
  };
  const text = (raw: Buffer, encoding: BufferEncoding): string => {
    count(0, raw.length);
    return raw.toString(encoding);
  };
  const bytesOf = (raw: Buffer): Uint8Array => {
    count(0, raw.length);
    return Uint8Array.from(raw);
  };
  const integer = (raw: Buffer): number | bigint => {
    if (raw.length > readerLimits.maxPickleIntegerBytes)
      throw budgetError('maxPickleIntegerBytes', `holds an integer of ${raw.length} bytes`, 'byte');
    return littleEndianInt(raw);
  };
  const remember = (key: number): void => {
    memo.set(key, top());
    if (memo.size > readerLimits.maxPickleMemo) throw budgetError('maxPickleMemo', 'stores memo entries', 'entry');
  };
  const call = (callable: unknown, args: readonly unknown[]): void => {
    const result = hooks.call(callable, args);
    const { items, bytes } = sizeOf(result);
    // A constructor walks its arguments (set(list) copies a list, even into one item); an inert object keeps them.
    let walked = 0;
    if (!(result instanceof PyObject)) for (const arg of args) walked += sizeOf(arg).items - 1;
    count(items + walked, bytes);
    stack.push(result);
  };
  const global = (module: unknown, name: unknown): void => {
    if (typeof module !== 'string' || typeof name !== 'string')
      throw new PickleError('pickle names a global with non-string parts; the file is corrupt');
    push(hooks.findGlobal(module, name));
  };
  let opcodes = 0;

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
    if (value instanceof PyObject) return value.listItems;
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
    if (++opcodes > readerLimits.maxPickleOpcodes) throw budgetError('maxPickleOpcodes', 'runs opcodes', 'opcode');
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
        push(top());
        break; // DUP
      case 0x4e:
        push(null);
        break; // NONE
      case 0x88:
        push(true);
        break; // NEWTRUE
      case 0x89:
        push(false);
        break; // NEWFALSE
      case 0x4a:
        push(take(4).readInt32LE(0));
        break; // BININT
      case 0x4b:
        push(take(1)[0]);
        break; // BININT1
      case 0x4d:
        push(take(2).readUInt16LE(0));
        break; // BININT2
      case 0x8a:
        push(integer(take(take(1)[0])));
        break; // LONG1
      case 0x8b:
        push(integer(take(take(4).readInt32LE(0))));
        break; // LONG4
      case 0x47:
        push(take(8).readDoubleBE(0));
        break; // BINFLOAT
      case 0x58:
        push(text(take(take(4).readUInt32LE(0)), 'utf8'));
        break; // BINUNICODE
      case 0x8c:
        push(text(take(take(1)[0]), 'utf8'));
        break; // SHORT_BINUNICODE
      case 0x8d:
        push(text(take(u64(take(8))), 'utf8'));
        break; // BINUNICODE8
      case 0x54:
        push(text(take(take(4).readInt32LE(0)), 'latin1'));
        break; // BINSTRING
      case 0x55:
        push(text(take(take(1)[0]), 'latin1'));
        break; // SHORT_BINSTRING
      case 0x42:
        push(bytesOf(take(take(4).readUInt32LE(0))));
        break; // BINBYTES
      case 0x43:
        push(bytesOf(take(take(1)[0])));
        break; // SHORT_BINBYTES
      case 0x8e:
        push(bytesOf(take(u64(take(8)))));
        break; // BINBYTES8
      case 0x7d:
        push(new PyDict());
        break; // EMPTY_DICT
      case 0x5d:
        push([]);
        break; // EMPTY_LIST
      case 0x29:
        push(tuple([]));
        break; // EMPTY_TUPLE
      case 0x8f:
        push(new Set());
        break; // EMPTY_SET
      case 0x64: {
        // DICT
        const items = popMark();
        const dict = new PyDict();
        for (let i = 0; i + 1 < items.length; i += 2) dict.items.set(items[i], items[i + 1]);
        push(dict);
        break;
      }
      case 0x6c:
        push(popMark());
        break; // LIST
      case 0x74:
        push(tuple(popMark()));
        break; // TUPLE
      case 0x85:
        push(tuple([pop()]));
        break; // TUPLE1
      case 0x86: {
        const b = pop();
        push(tuple([pop(), b]));
        break;
      } // TUPLE2
      case 0x87: {
        const c = pop();
        const b = pop();
        push(tuple([pop(), b, c]));
        break;
      } // TUPLE3
      case 0x91:
        push(Object.freeze(new Set(popMark())));
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
        remember(take(1)[0]);
        break; // BINPUT
      case 0x72:
        remember(take(4).readUInt32LE(0));
        break; // LONG_BINPUT
      case 0x94:
        remember(memo.size);
        break; // MEMOIZE
      case 0x68:
        push(get(take(1)[0]));
        break; // BINGET
      case 0x6a:
        push(get(take(4).readUInt32LE(0)));
        break; // LONG_BINGET
      case 0x63: {
        const module = line();
        global(module, line());
        break;
      } // GLOBAL
      case 0x93: {
        const name = pop();
        global(pop(), name);
        break;
      } // STACK_GLOBAL
      case 0x69: {
        const module = line();
        global(module, line());
        const cls = pop();
        call(cls, tuple(popMark()));
        break;
      } // INST: GLOBAL and a call of it with the items above the MARK
      case 0x6f: {
        const [cls, ...args] = popMark();
        call(cls, tuple(args));
        break;
      } // OBJ
      case 0x52:
      case 0x81: {
        const args = asArgs(pop());
        call(pop(), args);
        break;
      } // REDUCE, NEWOBJ
      case 0x92: {
        // NEWOBJ_EX: keyword arguments only reach inert objects, as one more argument
        const kwargs = pop();
        const args = asArgs(pop());
        const cls = pop();
        call(cls, kwargs instanceof PyDict && kwargs.items.size === 0 ? args : tuple([...args, kwargs]));
        break;
      }
      case 0x62: {
        // BUILD: an inert object keeps its state as data; on anything else applying it would run code
        const state = pop();
        const target = top();
        if (target instanceof PyObject) target.state = state;
        break;
      }
      case 0x51:
        push(hooks.persistentLoad(pop()));
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
  if (value instanceof PyObject)
    return value.type instanceof PyGlobal ? displayText(value.type.qualifiedName) : 'Python object';
  if (Array.isArray(value)) return Object.isFrozen(value) ? 'tuple' : 'list';
  if (value instanceof PyDict) return 'dict';
  return typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value;
}
