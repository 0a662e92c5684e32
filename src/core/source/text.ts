// Source text made easy to scan: strings and comments masked out (same length, same offsets),
// bracket matching, top-level comma splitting, and offsets turned into line/character positions.

export interface Position {
  /** 0-based line. */
  line: number;
  /** 0-based UTF-16 column. */
  character: number;
}

export interface SourceRange {
  start: Position;
  end: Position;
}

/** A piece of the text by offsets: [start, end). */
export interface Span {
  start: number;
  end: number;
}

/** How a language writes comments and strings, for `maskText`. */
export interface LexicalRules {
  lineComment: string;
  blockComment?: [string, string];
  /** Quote sequences, longest first (triple quotes before single ones). */
  quotes: readonly string[];
}

export const PYTHON_LEXICAL: LexicalRules = { lineComment: '#', quotes: ['"""', "'''", '"', "'"] };
export const JAVASCRIPT_LEXICAL: LexicalRules = {
  lineComment: '//',
  blockComment: ['/*', '*/'],
  quotes: ['`', '"', "'"],
};

/**
 * The text with comments and the insides of strings replaced by spaces (newlines kept), so that
 * brackets, commas and keywords can be found by plain search. Quote characters stay.
 */
export function maskText(text: string, rules: LexicalRules): string {
  const out = text.split('');
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  let i = 0;
  while (i < text.length) {
    if (text.startsWith(rules.lineComment, i)) {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      blank(i, stop);
      i = stop;
      continue;
    }
    if (rules.blockComment && text.startsWith(rules.blockComment[0], i)) {
      const end = text.indexOf(rules.blockComment[1], i + rules.blockComment[0].length);
      const stop = end < 0 ? text.length : end + rules.blockComment[1].length;
      blank(i, stop);
      i = stop;
      continue;
    }
    const quote = rules.quotes.find((q) => text.startsWith(q, i));
    if (!quote) {
      i++;
      continue;
    }
    const close = stringEnd(text, i + quote.length, quote);
    blank(i + quote.length, close);
    i = Math.min(text.length, close + quote.length);
  }
  return out.join('');
}

/** Offset of the closing quote of a string whose body starts at `from` (the text's end if unterminated). */
function stringEnd(text: string, from: number, quote: string): number {
  const singleLine = quote.length === 1 && quote !== '`';
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (singleLine && text[i] === '\n') return i;
    else if (text.startsWith(quote, i)) return i;
  }
  return text.length;
}

const OPEN: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const CLOSE = new Set(Object.values(OPEN));

/** Offset just after the bracket that closes the one at `open` in masked text; -1 if it never closes. */
export function matchingBracket(masked: string, open: number): number {
  let depth = 0;
  for (let i = open; i < masked.length; i++) {
    if (OPEN[masked[i]]) depth++;
    else if (CLOSE.has(masked[i]) && --depth === 0) return i + 1;
  }
  return -1;
}

/** The parts of masked[start, end) between top-level commas, trimmed, empty parts dropped. */
export function splitTopLevel(masked: string, start: number, end: number, separator = ','): Span[] {
  const parts: Span[] = [];
  let depth = 0;
  let from = start;
  for (let i = start; i <= end; i++) {
    const c = i === end ? separator : masked[i];
    if (OPEN[c]) depth++;
    else if (CLOSE.has(c)) depth--;
    else if (c === separator && depth === 0) {
      const part = trimSpan(masked, { start: from, end: i });
      if (part.end > part.start) parts.push(part);
      from = i + 1;
    }
  }
  return parts;
}

export function trimSpan(masked: string, span: Span): Span {
  let { start, end } = span;
  while (start < end && /\s/.test(masked[start])) start++;
  while (end > start && /\s/.test(masked[end - 1])) end--;
  return { start, end };
}

/** Turns offsets into line/character positions. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.starts.push(i + 1);
  }

  position(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - this.starts[lo] };
  }

  range(span: Span): SourceRange {
    return { start: this.position(span.start), end: this.position(span.end) };
  }
}
