// Pickle programs written opcode by opcode, for the hostile-input tests (after fickling's and picklescan's techniques).

/** Concatenates opcode strings (latin1) and buffers into one pickle. */
export function pickle(...parts: (string | Buffer)[]): Buffer {
  return Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : part)));
}

/** BINUNICODE: a UTF-8 string of any length. */
export function str(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(bytes.length);
  return Buffer.concat([Buffer.from('X', 'latin1'), length, bytes]);
}

/** GLOBAL by text lines (protocol 0 style). */
export const global = (module: string, name: string): string => `c${module}\n${name}\n`;

/** STACK_GLOBAL from two strings. */
export const stackGlobal = (module: string, name: string): Buffer => pickle(str(module), str(name), '\x93');

/** LONG_BINPUT / LONG_BINGET of memo slot `key`. */
export const put = (key: number): Buffer => pickle('r', u32(key));
export const get = (key: number): Buffer => pickle('j', u32(key));

export function u32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(value);
  return bytes;
}

export const PROTO2 = '\x80\x02';
/** A tuple of one string argument, REDUCE, STOP: calls the global just pushed with `arg`. */
export const callWith = (arg: string): Buffer => pickle(str(arg), '\x85R.');
