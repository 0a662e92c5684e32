// Parses the Python literal of a .npy header (dict, tuple, list, str, int, True/False/None) without eval.

export class LiteralError extends Error {}

/** A .npy header nests one dict and one shape tuple; deeper input is corrupt, and would overflow the stack. */
const MAX_DEPTH = 32;

export function parsePythonLiteral(text: string): unknown {
  let pos = 0;
  let depth = 0;
  const skipSpace = () => {
    while (pos < text.length && /\s/.test(text[pos])) pos++;
  };
  const expect = (char: string) => {
    skipSpace();
    if (text[pos] !== char) throw new LiteralError(`expected "${char}" at character ${pos}`);
    pos++;
  };
  // Reads items up to `close`, allowing a trailing comma (as Python prints `(3,)`).
  const sequence = <T>(close: string, item: () => T): T[] => {
    if (++depth > MAX_DEPTH) throw new LiteralError(`nests deeper than ${MAX_DEPTH} levels at character ${pos}`);
    const items: T[] = [];
    for (;;) {
      skipSpace();
      if (text[pos] === close) {
        pos++;
        depth--;
        return items;
      }
      items.push(item());
      skipSpace();
      if (text[pos] === ',') pos++;
      else if (text[pos] !== close) throw new LiteralError(`expected "," or "${close}" at character ${pos}`);
    }
  };
  const value = (): unknown => {
    skipSpace();
    const char = text[pos];
    if (char === '{') {
      pos++;
      // No prototype: a "__proto__" key is then a plain entry.
      const dict: Record<string, unknown> = Object.create(null);
      sequence('}', () => {
        const key = value();
        if (typeof key !== 'string') throw new LiteralError(`dict key at character ${pos} is not a string`);
        expect(':');
        dict[key] = value();
      });
      return dict;
    }
    if (char === '(' || char === '[') {
      pos++;
      return sequence(char === '(' ? ')' : ']', value);
    }
    if (char === "'" || char === '"') {
      const end = text.indexOf(char, pos + 1);
      if (end < 0) throw new LiteralError(`unterminated string at character ${pos}`);
      const content = text.slice(pos + 1, end);
      if (content.includes('\\')) throw new LiteralError(`escaped string at character ${pos} is not supported`);
      pos = end + 1;
      return content;
    }
    const word = /^(-?\d+|True|False|None)/.exec(text.slice(pos, pos + 32));
    if (!word) throw new LiteralError(`unexpected ${JSON.stringify(text.slice(pos, pos + 10))} at character ${pos}`);
    pos += word[0].length;
    if (word[0] === 'True' || word[0] === 'False') return word[0] === 'True';
    if (word[0] === 'None') return null;
    return Number(word[0]);
  };
  const result = value();
  skipSpace();
  if (pos !== text.length)
    throw new LiteralError(`unexpected ${JSON.stringify(text.slice(pos, pos + 10))} after the literal`);
  return result;
}
