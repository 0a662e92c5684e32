// The shape of a Python file as the layer matcher needs it: classes with their `self.<name> = …`
// attributes, functions with their statements (and the loops and ifs around each), returns.
// Read from masked text (see text.ts) with indentation; nothing is executed or imported.
import { matchingBracket, splitTopLevel, trimSpan, type Span } from './text';

/** One logical line (brackets and backslashes joined), from its first non-blank character. */
export interface LogicalLine extends Span {
  indent: number;
  /** Enclosing `for`/`while` headers inside the function. */
  loops: number;
  /** Enclosing `if`/`else`/`try`/`with` … headers inside the function. */
  conditions: number;
}

export interface PyFunction {
  name: string;
  params: Set<string>;
  lines: LogicalLine[];
  /** The class it is a method of. */
  owner?: PyClass;
}

export interface PyAttribute {
  name: string;
  nameSpan: Span;
  /** The statement. */
  span: Span;
  /** The assigned value, or the annotation for `<name>: nn.Linear`. */
  value: Span;
  /** The method it is assigned in (its locals resolve the value). */
  scope?: PyFunction;
}

export interface PyClass {
  name: string;
  bases: string[];
  attributes: Map<string, PyAttribute>;
  methods: Map<string, PyFunction>;
}

export interface PyStructure {
  classes: Map<string, PyClass>;
  functions: Map<string, PyFunction>;
  /** Every function, with module-level statements as one more (named ''). */
  scopes: PyFunction[];
}

const CLASS_HEADER = /^class\s+(\w+)\s*(?:\(([\s\S]*)\))?\s*:$/;
const DEF_HEADER = /^(?:async\s+)?def\s+(\w+)\s*\(([\s\S]*)\)\s*(?:->[\s\S]*)?:$/;
const LOOP_HEADER = /^(?:async\s+)?(?:for|while)\b[\s\S]*:$/;
const CONDITION_HEADER = /^(?:if|elif|else|try|except|finally|with|async\s+with|match|case)\b[\s\S]*:$/;
const SELF_ASSIGNMENT = /^self\.(\w+)\s*(?::[^=\n]*)?=(?!=)\s*/;
const CLASS_ANNOTATION = /^(\w+)\s*:\s*(?=[A-Za-z_])/;

interface Block {
  indent: number;
  kind: 'class' | 'def' | 'loop' | 'condition';
  cls?: PyClass;
  fn?: PyFunction;
}

/** Logical lines of masked Python text. */
export function logicalLines(masked: string): Omit<LogicalLine, 'loops' | 'conditions'>[] {
  const lines: Omit<LogicalLine, 'loops' | 'conditions'>[] = [];
  let depth = 0;
  let lineStart = 0;
  for (let i = 0; i <= masked.length; i++) {
    const c = i === masked.length ? '\n' : masked[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth = Math.max(0, depth - 1);
    else if (c === '\n' && (depth === 0 || i === masked.length) && masked[i - 1] !== '\\') {
      const span = trimSpan(masked, { start: lineStart, end: i });
      if (span.end > span.start) {
        const bol = masked.lastIndexOf('\n', span.start - 1) + 1;
        lines.push({ ...span, indent: span.start - bol });
      }
      lineStart = i + 1;
    }
  }
  return lines;
}

function parameterNames(masked: string, span: Span): Set<string> {
  const names = splitTopLevel(masked, span.start, span.end).map((p) => /^\**(\w+)/.exec(masked.slice(p.start, p.end)));
  return new Set(names.flatMap((m) => (m ? [m[1]] : [])));
}

/** Classes, functions and their statements, from masked text. */
export function pythonStructure(masked: string): PyStructure {
  const classes = new Map<string, PyClass>();
  const functions = new Map<string, PyFunction>();
  const moduleScope: PyFunction = { name: '', params: new Set(), lines: [] };
  const scopes: PyFunction[] = [moduleScope];
  const stack: Block[] = [];
  for (const line of logicalLines(masked)) {
    while (stack.length > 0 && stack[stack.length - 1].indent >= line.indent) stack.pop();
    const text = masked.slice(line.start, line.end);
    const fnAt = lastIndex(stack, (b) => b.kind === 'def' || b.kind === 'class');
    const inner = stack.slice(fnAt + 1);
    const owner = stack[fnAt];
    const fn = owner?.kind === 'def' ? owner.fn! : owner ? undefined : moduleScope;
    const logical: LogicalLine = {
      ...line,
      loops: inner.filter((b) => b.kind === 'loop').length,
      conditions: inner.filter((b) => b.kind === 'condition').length,
    };
    fn?.lines.push(logical);
    if (owner?.kind === 'class') classAnnotation(masked, logical, owner.cls!);
    if (fn?.owner) selfAssignment(masked, logical, fn);

    const cls = CLASS_HEADER.exec(text);
    const def = DEF_HEADER.exec(text);
    if (cls) {
      const bases = (cls[2] ?? '').split(',').map((b) => b.trim().split('.').pop()!);
      const c: PyClass = { name: cls[1], bases, attributes: new Map(), methods: new Map() };
      if (!classes.has(c.name)) classes.set(c.name, c);
      stack.push({ indent: line.indent, kind: 'class', cls: c });
    } else if (def) {
      const paramsStart = line.start + text.indexOf('(') + 1;
      const paramsEnd = matchingBracket(masked, paramsStart - 1) - 1;
      const f: PyFunction = {
        name: def[1],
        params: parameterNames(masked, { start: paramsStart, end: paramsEnd }),
        lines: [],
        owner: owner?.kind === 'class' ? owner.cls : undefined,
      };
      if (f.owner) f.owner.methods.set(f.name, f);
      else if (!owner) functions.set(f.name, f);
      scopes.push(f);
      stack.push({ indent: line.indent, kind: 'def', fn: f });
    } else if (LOOP_HEADER.test(text)) stack.push({ indent: line.indent, kind: 'loop' });
    else if (CONDITION_HEADER.test(text)) stack.push({ indent: line.indent, kind: 'condition' });
  }
  return { classes, functions, scopes };
}

/** `self.<name> = <value>` in a method: the first assignment of a name defines it. */
function selfAssignment(masked: string, line: LogicalLine, fn: PyFunction): void {
  const text = masked.slice(line.start, line.end);
  const m = SELF_ASSIGNMENT.exec(text);
  const cls = fn.owner!;
  if (!m || cls.attributes.get(m[1])?.scope) return;
  const nameStart = line.start + 'self.'.length;
  cls.attributes.set(m[1], {
    name: m[1],
    nameSpan: { start: nameStart, end: nameStart + m[1].length },
    span: line,
    value: { start: line.start + m[0].length, end: line.end },
    scope: fn,
  });
}

/** `<name>: nn.Linear` in a class body, used when no method assigns the name. */
function classAnnotation(masked: string, line: LogicalLine, cls: PyClass): void {
  const m = CLASS_ANNOTATION.exec(masked.slice(line.start, line.end));
  if (!m || cls.attributes.has(m[1])) return;
  const typeEnd = masked.slice(line.start + m[0].length, line.end).search(/[^\w.]|$/);
  cls.attributes.set(m[1], {
    name: m[1],
    nameSpan: { start: line.start, end: line.start + m[1].length },
    span: line,
    value: { start: line.start + m[0].length, end: line.start + m[0].length + typeEnd },
  });
}

function lastIndex<T>(items: readonly T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i])) return i;
  return -1;
}
