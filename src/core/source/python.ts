// PyTorch and Keras layer definitions in Python source: an attribute path such as
// `layer1.0.conv1` is followed through `self.<name> = …`, nn.Sequential / nn.ModuleList entries,
// OrderedDict names, lists built in loops, helper functions, nested module classes and the
// arguments their constructors are called with.
import { bestHit, type Definition, type Hit, type SourceIndex } from './definitions';
import { parseExpr, stringValue, type PyExpr } from './pythonExpr';
import { pythonStructure, type PyAttribute, type PyClass, type PyFunction, type PyStructure } from './pythonStructure';
import { maskText, matchingBracket, PYTHON_LEXICAL, splitTopLevel, type Span } from './text';

type CalleeKind = 'sequential' | 'dict' | 'composite' | 'layer';

/** What a callee's name says it builds; the first matching row wins. */
const TORCH_CALLEES: readonly { callee: RegExp; kind: CalleeKind }[] = [
  { callee: /^(?:torch\.)?(?:nn\.)?(?:Sequential|ModuleList|ParameterList)$/, kind: 'sequential' },
  { callee: /^(?:torch\.)?(?:nn\.)?(?:ModuleDict|ParameterDict)$/, kind: 'dict' },
  // torch layers made of torch layers (`self_attn.out_proj`): what is below them is theirs.
  { callee: /^(?:torch\.)?nn\.(?:MultiheadAttention|Transformer\w*)$/, kind: 'composite' },
  { callee: /^(?:torch\.)?nn\.[A-Z]\w*$/, kind: 'layer' },
];

/** Keras layers, found anywhere by their `name='…'` argument. */
const KERAS_LAYER =
  /(?:^|\.)(?:Dense|Conv[123]D|Conv[123]DTranspose|DepthwiseConv2D|SeparableConv[12]D|Embedding|LSTM|GRU|SimpleRNN)$/;
const ORDERED_DICT = /^(?:collections\.)?OrderedDict$/;
const ANY_CALL = /[A-Za-z_][\w.]*\s*\(/g;
const APPEND = /^((?:self\.)?\w+)\.(append|extend|insert)\(/;
const AUGMENT = /^((?:self\.)?\w+)\s*\+=\s*/;
const LOCAL_ASSIGNMENT = /^(\w+)\s*(?::[^=\n]*)?=(?!=)\s*/;
const RETURN = /^return\s+/;
/** Helpers are followed this deep (a helper calling a helper …). */
const MAX_DEPTH = 8;

const WILD = Number.POSITIVE_INFINITY;

/** One entry of a container: its expression and the indices it can have. */
interface Entry {
  span: Span;
  name?: string;
  min: number;
  max: number;
  repeated: boolean;
  count?: number;
}

interface Context {
  scope?: PyFunction;
  cls?: PyClass;
  /** Classes being resolved (a class never contains itself). */
  open: ReadonlySet<PyClass>;
  /** The path segments consumed so far. */
  prefix: readonly string[];
  depth: number;
  /** The arguments the scope was called with, by parameter name, each with its caller's context. */
  bound?: ReadonlyMap<string, { value: Span; ctx: Context }>;
}

class PythonIndex implements SourceIndex {
  private readonly masked: string;
  private readonly structure: PyStructure;
  private readonly named = new Map<string, Definition>();
  /** `model = nn.Sequential(…)` outside classes: paths start at its entries. */
  private readonly roots: { value: Span; scope: PyFunction }[] = [];
  private all: readonly (readonly string[])[] = [];
  private readonly fits = new Map<string, number>();
  private readonly parsed = new Map<string, PyExpr>();
  /** The last value assigned to each plain local, per scope. */
  private readonly locals = new Map<PyFunction, Map<string, Span>>();

  constructor(private readonly text: string) {
    this.masked = maskText(text, PYTHON_LEXICAL);
    this.structure = pythonStructure(this.masked);
    this.findKerasLayers();
    this.findContainerRoots();
  }

  resolve(path: readonly string[], all: readonly (readonly string[])[]): Hit | undefined {
    if (this.all !== all) {
      this.all = all;
      this.fits.clear();
    }
    const byName = this.named.get(path[path.length - 1]);
    if (byName) return { leaf: byName, repeats: [], score: 2 };
    const ctx: Context = { open: new Set(), prefix: [], depth: 0 };
    const candidates: (Hit | undefined)[] = [...this.structure.classes.values()]
      .map((c) => ({ c, fit: this.fit(c, []) }))
      .sort((a, b) => b.fit - a.fit)
      .map(({ c }) => this.resolveClass(c, path, ctx));
    for (const root of this.roots) {
      const site = this.definition('', root.value, root.value);
      candidates.push(this.resolveExpr(root.value, site, path, { ...ctx, scope: root.scope }));
    }
    return bestHit(candidates);
  }

  /** How many of the paths under `prefix` resolve exactly inside `cls`. */
  private fit(cls: PyClass, prefix: readonly string[]): number {
    const key = `${cls.name}\n${prefix.join('.')}`;
    const known = this.fits.get(key);
    if (known !== undefined) return known;
    this.fits.set(key, 0); // a class reached again while counting counts nothing
    const ctx: Context = { open: new Set(), prefix, depth: 0 };
    const n = this.all.filter(
      (p) =>
        p.length > prefix.length &&
        prefix.every((s, i) => p[i] === s) &&
        (this.resolveClass(cls, p.slice(prefix.length), ctx)?.score ?? 0) > 0,
    ).length;
    this.fits.set(key, n);
    return n;
  }

  private definition(label: string, span: Span, name: Span, count?: number): Definition {
    return { label, span, name, count };
  }

  /** `call` is the expression that makes the instance (`block(inplanes, planes, stride, downsample)`), if known. */
  private resolveClass(
    cls: PyClass,
    rest: readonly string[],
    ctx: Context,
    call?: Extract<PyExpr, { kind: 'call' }>,
  ): Hit | undefined {
    if (ctx.open.has(cls) || ctx.depth > MAX_DEPTH) return undefined;
    const attr = this.attribute(cls, rest[0], new Set());
    if (!attr) return undefined;
    const site = this.definition(attr.name, attr.span, attr.nameSpan);
    const open = new Set(ctx.open).add(cls);
    const bound = call && attr.scope?.name === '__init__' ? this.bind(attr.scope, call, ctx) : undefined;
    return this.resolveExpr(attr.value, site, rest.slice(1), {
      scope: attr.scope,
      cls,
      open,
      prefix: [...ctx.prefix, rest[0]],
      depth: ctx.depth + 1,
      bound,
    });
  }

  /** The arguments of `call` by the parameter of `init` they fill (positionally after `self`, or by keyword). */
  private bind(
    init: PyFunction,
    call: Extract<PyExpr, { kind: 'call' }>,
    ctx: Context,
  ): Map<string, { value: Span; ctx: Context }> {
    const params = [...init.params].slice(1);
    const bound = new Map<string, { value: Span; ctx: Context }>();
    let position = 0;
    for (const arg of call.args) {
      if (arg.keyword !== undefined) bound.set(arg.keyword, { value: arg.value, ctx });
      else if (this.masked[arg.value.start] === '*')
        break; // *args: the positions after it are unknown
      else if (position < params.length) bound.set(params[position++], { value: arg.value, ctx });
    }
    return bound;
  }

  /** The attribute `name` of `cls` or of a base class defined in the same file. */
  private attribute(cls: PyClass, name: string, seen: Set<PyClass>): PyAttribute | undefined {
    seen.add(cls);
    const own = cls.attributes.get(name);
    if (own) return own;
    for (const base of cls.bases) {
      const b = this.structure.classes.get(base);
      const found = b && !seen.has(b) ? this.attribute(b, name, seen) : undefined;
      if (found) return found;
    }
    return undefined;
  }

  private resolveExpr(span: Span, site: Definition, rest: readonly string[], ctx: Context): Hit | undefined {
    const expr = this.expr(span);
    if (rest.length === 0) return { leaf: site, repeats: [], score: this.isLayer(expr, ctx) ? 2 : 1 };
    if (ctx.depth > MAX_DEPTH) return undefined;
    if (expr.kind === 'call') return this.resolveCall(expr, site, rest, ctx);
    if (expr.kind === 'name') {
      const local = this.localValue(ctx.scope, expr.name);
      if (local) return this.resolveExpr(local, site, rest, { ...ctx, depth: ctx.depth + 1 });
      // A parameter: what the caller passed for it, resolved where the caller is.
      const arg = ctx.bound?.get(expr.name);
      if (arg) {
        const caller = { ...arg.ctx, open: ctx.open, prefix: ctx.prefix, depth: ctx.depth + 1 };
        const hit = this.resolveExpr(arg.value, site, rest, caller);
        if (hit && hit.score > 0) return hit;
      }
      const cls = this.structure.classes.get(expr.name);
      if (cls) return this.resolveClass(cls, rest, ctx);
    }
    return { leaf: site, repeats: [], score: 0 };
  }

  private isLayer(expr: PyExpr, ctx: Context): boolean {
    const kind = expr.kind === 'call' ? this.calleeKind(this.callee(expr.callee, ctx)) : undefined;
    return kind === 'layer' || kind === 'composite';
  }

  /** A bare callee assigned in the scope (`block = InvertedResidual`) stands for what it names. */
  private callee(name: string, ctx: Context): string {
    const local = this.localValue(ctx.scope, name);
    const text = local && this.masked.slice(local.start, local.end).trim();
    return text && /^[A-Za-z_][\w.]*$/.test(text) ? text : name;
  }

  private calleeKind(callee: string): CalleeKind | undefined {
    return TORCH_CALLEES.find((r) => r.callee.test(callee))?.kind;
  }

  private resolveCall(
    expr: Extract<PyExpr, { kind: 'call' }>,
    site: Definition,
    rest: readonly string[],
    ctx: Context,
  ): Hit | undefined {
    const callee = this.callee(expr.callee, ctx);
    const kind = this.calleeKind(callee);
    if (kind === 'sequential' || kind === 'dict') return this.resolveEntries(expr, kind, site, rest, ctx);
    if (kind === 'composite') return { leaf: site, repeats: [], score: 0 };
    if (kind === 'layer') return undefined; // a plain layer has no layers inside
    const last = callee.split('.').pop()!;
    const cls = this.structure.classes.get(last);
    if (cls) return this.resolveClass(cls, rest, ctx, expr);
    const fn = callee.startsWith('self.') ? ctx.cls?.methods.get(last) : this.structure.functions.get(callee);
    if (fn) {
      const returns = fn.lines.flatMap((l) => {
        const m = RETURN.exec(this.masked.slice(l.start, l.end));
        return m ? [{ start: l.start + m[0].length, end: l.end }] : [];
      });
      const inner = { ...ctx, scope: fn, cls: fn.owner ?? ctx.cls, depth: ctx.depth + 1 };
      return bestHit(returns.map((r) => this.resolveExpr(r, site, rest, inner)));
    }
    // An unknown callable (a parameter such as `block`): the class of this file that explains most of the run.
    const classes = [...this.structure.classes.values()].filter((c) => !ctx.open.has(c));
    const ranked = classes.map((c) => ({ c, fit: this.fit(c, ctx.prefix) })).sort((a, b) => b.fit - a.fit);
    // A parameter is given one of this file's classes; so is a callable when those explain its siblings.
    const parameter = ctx.scope?.params.has(callee) ?? false;
    if (parameter || ranked.some((r) => r.fit > 0))
      return bestHit(ranked.map(({ c }) => this.resolveClass(c, rest, ctx, expr)));
    // An imported class: what is inside it is not in this file.
    return { leaf: site, repeats: [], score: 0 };
  }

  private resolveEntries(
    expr: Extract<PyExpr, { kind: 'call' }>,
    kind: 'sequential' | 'dict',
    site: Definition,
    rest: readonly string[],
    ctx: Context,
  ): Hit | undefined {
    const entries = kind === 'dict' ? this.dictEntries(expr) : this.sequentialEntries(expr, site, ctx);
    const key = rest[0];
    const index = /^\d+$/.test(key) ? Number(key) : undefined;
    const matching = entries.filter((e) =>
      e.name !== undefined ? e.name === key : index !== undefined && e.min <= index && index <= e.max,
    );
    // An entry that can only have this index first, then the others in source order.
    matching.sort((a, b) => Number(b.min === b.max) - Number(a.min === a.max));
    const inner = { ...ctx, prefix: [...ctx.prefix, key], depth: ctx.depth + 1 };
    const hit = bestHit(
      matching.map((e) => {
        const name = this.expr(e.span);
        const nameSpan = name.kind === 'call' ? name.calleeSpan : e.span;
        const label = site.label === '' ? key : `${site.label}.${key}`;
        return this.resolveExpr(e.span, this.definition(label, e.span, nameSpan), rest.slice(1), inner);
      }),
    );
    const repeated = entries.find((e) => e.repeated);
    if (hit && repeated) hit.repeats.unshift({ ...site, count: repeated.count });
    return hit;
  }

  private dictEntries(expr: Extract<PyExpr, { kind: 'call' }>): Entry[] {
    const arg = expr.args[0] && this.expr(expr.args[0].value);
    if (arg?.kind !== 'dict') return [];
    return arg.entries.flatMap((e) => {
      const name = stringValue(this.text, e.key);
      return name === undefined ? [] : [{ span: e.value, name, min: 0, max: WILD, repeated: false }];
    });
  }

  /** The entries of nn.Sequential(…) / nn.ModuleList(…), with their possible indices. */
  private sequentialEntries(expr: Extract<PyExpr, { kind: 'call' }>, site: Definition, ctx: Context): Entry[] {
    const positional = expr.args.filter((a) => a.keyword === undefined);
    const first = positional[0] && this.expr(positional[0].value);
    if (positional.length === 1 && first?.kind === 'call' && ORDERED_DICT.test(first.callee))
      return this.orderedDictEntries(first);
    const out = new EntryList();
    // `self.blocks = nn.ModuleList()` filled by `self.blocks.append(…)` in the same method.
    if (positional.length === 0 && ctx.cls) this.listEntries(`self.${site.label}`, ctx.scope, out);
    for (const arg of positional) {
      const e = this.expr(arg.value);
      if (e.kind === 'star') this.listEntries(e.name, ctx.scope, out);
      else this.addItems(e, out, 0, 0);
    }
    return out.entries;
  }

  private orderedDictEntries(call: Extract<PyExpr, { kind: 'call' }>): Entry[] {
    const list = call.args[0] && this.expr(call.args[0].value);
    if (list?.kind !== 'list') return [];
    return list.items.flatMap((item) => {
      const pair = this.expr(item);
      const name = pair.kind === 'list' && pair.items.length === 2 ? stringValue(this.text, pair.items[0]) : undefined;
      return name === undefined || pair.kind !== 'list'
        ? []
        : [{ span: pair.items[1], name, min: 0, max: WILD, repeated: false }];
    });
  }

  /** Adds a list literal's items, a comprehension's element, or one expression. */
  private addItems(e: PyExpr, out: EntryList, loops: number, conditions: number): void {
    if (e.kind === 'comprehension') out.add(e.element, loops, conditions, true, e.count);
    else if (e.kind === 'list') for (const item of e.items) out.add(item, loops, conditions);
    else out.add(e.span, loops, conditions);
  }

  /** What a local list `name` holds by the end of `scope`: its literal, appends, extends and `+=`. */
  private listEntries(name: string, scope: PyFunction | undefined, out: EntryList): void {
    for (const line of scope?.lines ?? []) {
      const text = this.masked.slice(line.start, line.end);
      const assigned = LOCAL_ASSIGNMENT.exec(text);
      const appended = APPEND.exec(text);
      const augmented = AUGMENT.exec(text);
      if (assigned?.[1] === name) {
        out.reset();
        this.addItems(
          this.expr({ start: line.start + assigned[0].length, end: line.end }),
          out,
          line.loops,
          line.conditions,
        );
      } else if (appended?.[1] === name) {
        const open = line.start + appended[0].length - 1;
        const args = splitTopLevel(this.masked, open + 1, matchingBracket(this.masked, open) - 1);
        const item = appended[2] === 'insert' ? args[1] : args[0];
        if (!item) continue;
        const e = this.expr(item);
        if (appended[2] === 'extend') this.addItems(e, out, line.loops, line.conditions);
        else out.add(e.span, line.loops, line.conditions);
      } else if (augmented?.[1] === name)
        this.addItems(
          this.expr({ start: line.start + augmented[0].length, end: line.end }),
          out,
          line.loops,
          line.conditions,
        );
    }
  }

  /** The value last assigned to a plain local `name` in `scope` (parameters have none). */
  private localValue(scope: PyFunction | undefined, name: string): Span | undefined {
    if (!scope) return undefined;
    let locals = this.locals.get(scope);
    if (!locals) {
      locals = new Map();
      for (const line of scope.lines) {
        const m = LOCAL_ASSIGNMENT.exec(this.masked.slice(line.start, line.end));
        if (m) locals.set(m[1], { start: line.start + m[0].length, end: line.end });
      }
      this.locals.set(scope, locals);
    }
    return locals.get(name);
  }

  /** The expression at `span`, parsed once (paths pass through the same definitions many times). */
  private expr(span: Span): PyExpr {
    const key = `${span.start}:${span.end}`;
    let e = this.parsed.get(key);
    if (!e) this.parsed.set(key, (e = parseExpr(this.masked, span)));
    return e;
  }

  /** Keras `Dense(…, name='…')` and friends, anywhere in the file. */
  private findKerasLayers(): void {
    for (const m of this.masked.matchAll(ANY_CALL)) {
      const callee = m[0].slice(0, m[0].indexOf('(')).trim();
      if (!KERAS_LAYER.test(callee)) continue;
      const open = m.index + m[0].length - 1;
      const close = matchingBracket(this.masked, open);
      if (close < 0) continue;
      const call = this.expr({ start: m.index, end: close });
      const nameArg = call.kind === 'call' ? call.args.find((a) => a.keyword === 'name') : undefined;
      const name = nameArg && stringValue(this.text, nameArg.value);
      if (name !== undefined && !this.named.has(name))
        this.named.set(name, this.definition(name, { start: m.index, end: close }, nameArg!.value));
    }
  }

  /** `model = nn.Sequential(…)` outside a class: the path starts at its entries. */
  private findContainerRoots(): void {
    for (const scope of this.structure.scopes) {
      if (scope.owner) continue;
      for (const line of scope.lines) {
        const m = LOCAL_ASSIGNMENT.exec(this.masked.slice(line.start, line.end));
        if (!m) continue;
        const value = { start: line.start + m[0].length, end: line.end };
        const e = this.expr(value);
        const kind = e.kind === 'call' ? this.calleeKind(e.callee) : undefined;
        if (kind === 'sequential' || kind === 'dict') this.roots.push({ value, scope });
      }
    }
  }
}

/** Entries in the order they are added, each with the indices it can take. */
class EntryList {
  readonly entries: Entry[] = [];
  private min = 0;
  private max = 0;

  reset(): void {
    this.entries.length = 0;
    this.min = this.max = 0;
  }

  add(span: Span, loops: number, conditions: number, comprehension = false, count?: number): void {
    const repeated = comprehension || loops > 0;
    this.entries.push({ span, min: this.min, max: repeated ? WILD : this.max, repeated, count });
    if (repeated) {
      if (comprehension && count !== undefined && loops === 0 && conditions === 0) this.min += count;
      this.max = WILD;
    } else {
      this.max++;
      if (conditions === 0) this.min++;
    }
  }
}

export function pythonIndex(text: string): SourceIndex {
  return new PythonIndex(text);
}
