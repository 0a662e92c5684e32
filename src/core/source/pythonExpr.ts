// Python expressions as far as module definitions need them: calls with their arguments, list
// and tuple literals, comprehensions with a `range(n)` count, starred and plain names.
import { matchingBracket, splitTopLevel, trimSpan, type Span } from './text';

export interface PyArgument {
  keyword?: string;
  value: Span;
}

export type PyExpr =
  | { kind: 'call'; span: Span; callee: string; calleeSpan: Span; args: PyArgument[] }
  | { kind: 'list'; span: Span; items: Span[] }
  | { kind: 'comprehension'; span: Span; element: Span; count?: number }
  | { kind: 'star'; span: Span; name: string }
  | { kind: 'name'; span: Span; name: string }
  | { kind: 'dict'; span: Span; entries: { key: Span; value: Span }[] }
  | { kind: 'other'; span: Span };

const CALLEE = /^([A-Za-z_][\w.]*)\s*\(/;
const NAME = /^[A-Za-z_][\w.]*$/;
const KEYWORD = /^(\w+)\s*=(?!=)\s*/;
const RANGE_COUNT = /\brange\(\s*(?:(\d+)\s*,\s*)?(\d+)\s*\)/;

/** Offset of a `for` at bracket depth 0 inside masked[start, end), or -1. */
function topLevelFor(masked: string, span: Span): number {
  let depth = 0;
  for (let i = span.start; i < span.end; i++) {
    const c = masked[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (depth === 0 && /\bfor\s/y.test(masked.slice(i, i + 4)) && !/\w/.test(masked[i - 1] ?? ' ')) return i;
  }
  return -1;
}

function bracketed(masked: string, span: Span): PyExpr {
  const inner = { start: span.start + 1, end: span.end - 1 };
  const at = topLevelFor(masked, inner);
  if (at >= 0) {
    const m = RANGE_COUNT.exec(masked.slice(at, inner.end));
    const count = m ? Number(m[2]) - Number(m[1] ?? 0) : undefined;
    return { kind: 'comprehension', span, element: trimSpan(masked, { start: inner.start, end: at }), count };
  }
  if (masked[span.start] === '{') {
    const entries = splitTopLevel(masked, inner.start, inner.end).flatMap((p) => {
      const [key, value] = splitTopLevel(masked, p.start, p.end, ':');
      return key && value ? [{ key, value }] : [];
    });
    return { kind: 'dict', span, entries };
  }
  return { kind: 'list', span, items: splitTopLevel(masked, inner.start, inner.end) };
}

/** The expression in masked[span]. */
export function parseExpr(masked: string, span: Span): PyExpr {
  const s = trimSpan(masked, span);
  const text = masked.slice(s.start, s.end);
  if (text.startsWith('*') && !text.startsWith('**')) return { kind: 'star', span: s, name: text.slice(1).trim() };
  if ('([{'.includes(text[0]) && matchingBracket(masked, s.start) === s.end) return bracketed(masked, s);
  const call = CALLEE.exec(text);
  if (call) {
    const open = s.start + call[0].length - 1;
    if (matchingBracket(masked, open) === s.end) {
      const args = splitTopLevel(masked, open + 1, s.end - 1).map((a): PyArgument => {
        const kw = KEYWORD.exec(masked.slice(a.start, a.end));
        return kw ? { keyword: kw[1], value: { start: a.start + kw[0].length, end: a.end } } : { value: a };
      });
      const callee = call[1];
      return { kind: 'call', span: s, callee, calleeSpan: { start: s.start, end: s.start + callee.length }, args };
    }
  }
  if (NAME.test(text)) return { kind: 'name', span: s, name: text };
  return { kind: 'other', span: s };
}

/** The text of a string literal's body in the original text, or undefined if `span` is no plain string. */
export function stringValue(text: string, span: Span): string | undefined {
  const m = /^[rRuUbB]?(['"])([^'"\\]*)\1$/.exec(text.slice(span.start, span.end).trim());
  return m?.[2];
}
