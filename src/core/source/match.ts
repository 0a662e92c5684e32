// A run's layer names matched to their definitions in a source file: one table of readers per
// language, framework prefixes stripped, several layers of one definition (blocks) grouped.
import { bestHit, type Definition, type SourceIndex } from './definitions';
import { javascriptIndex } from './javascript';
import { pythonIndex } from './python';
import { LineIndex, type SourceRange } from './text';

/** A reader per VS Code language id; a language without a row is never parsed. */
export const SOURCE_RULES: Readonly<Record<string, (text: string) => SourceIndex>> = {
  python: pythonIndex,
  javascript: javascriptIndex,
  javascriptreact: javascriptIndex,
  typescript: javascriptIndex,
  typescriptreact: javascriptIndex,
};

/** The language id for a file name, for callers without an editor (the CLI, tests). */
export const LANGUAGE_OF_EXTENSION: Readonly<Record<string, string>> = {
  '.py': 'python',
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.ts': 'typescript',
  '.mts': 'typescript',
};

/** Prefixes that wrappers put before a model's own names (DataParallel, torch.compile, Lightning). */
export const FRAMEWORK_PREFIXES: readonly string[] = ['_orig_mod.', 'module.', 'model.'];

/** A source file is taken to define a run's model when at least this share of its layers is found in it. */
export const MATCH_SHARE = 0.5;

export interface LayerLocation {
  /** The layer's name, or for several layers a pattern such as `layer*.*.conv1`. */
  label: string;
  range: SourceRange;
  /** The name in the source (the attribute, the entry's callee, the `name:` string), for the hover. */
  nameRange: SourceRange;
  /** The run's layer names defined here, in the run's order. */
  layers: string[];
  /** A ModuleList / loop / comprehension that stands for `<list>.<i>.…`. */
  repeated: boolean;
  /** Blocks the source says it makes (`range(12)`), when it says. */
  count?: number;
}

/** The path of a layer name, then the paths without each framework prefix in turn. */
export function candidatePaths(name: string): string[][] {
  const out = [name];
  for (let n = name, changed = true; changed;) {
    changed = false;
    for (const p of FRAMEWORK_PREFIXES)
      if (n.startsWith(p) && n.length > p.length) {
        n = n.slice(p.length);
        out.push(n);
        changed = true;
      }
  }
  return out.map((n) => n.split(/[./]/));
}

/** Where each of `layers` is defined in `text`; undefined when the language has no rule. */
export function locateLayers(text: string, languageId: string, layers: readonly string[]): LayerLocation[] | undefined {
  const rule = SOURCE_RULES[languageId];
  if (!rule) return undefined;
  const index = rule(text);
  const lines = new LineIndex(text);
  const all = layers.flatMap(candidatePaths);
  const groups = new Map<string, { def: Definition; repeated: boolean; layers: string[] }>();
  const add = (def: Definition, repeated: boolean, layer: string) => {
    const key = `${def.span.start}:${def.span.end}:${repeated}`;
    const group = groups.get(key) ?? { def, repeated, layers: [] };
    groups.set(key, group);
    if (!group.layers.includes(layer)) group.layers.push(layer);
  };
  for (const layer of layers) {
    const hit = bestHit(candidatePaths(layer).map((p) => index.resolve(p, all)));
    if (!hit) continue;
    add(hit.leaf, false, layer);
    for (const r of hit.repeats) add(r, true, layer);
  }
  const leafLines = new Set(
    [...groups.values()].filter((g) => !g.repeated).map((g) => `${lines.position(g.def.span.start).line}:${g.layers}`),
  );
  return (
    [...groups.values()]
      // `nn.ModuleList([nn.Linear(…) for _ in range(n)])` on one line: the entry's lens says it all.
      .filter((g) => !g.repeated || !leafLines.has(`${lines.position(g.def.span.start).line}:${g.layers}`))
      .map(({ def, repeated, layers: names }) => ({
        label: names.length === 1 ? names[0] : pattern(names),
        range: lines.range(def.span),
        nameRange: lines.range(def.name),
        layers: names,
        repeated,
        count: def.count,
      }))
      .sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character)
  );
}

/** The share of `layers` that `locations` define. */
export function locatedShare(locations: readonly LayerLocation[], layers: readonly string[]): number {
  if (layers.length === 0) return 0;
  const found = new Set(locations.flatMap((l) => l.layers));
  return layers.filter((l) => found.has(l)).length / layers.length;
}

/** `layer*.*.conv1` for the blocks of one definition, `transformer.h.*.…` for a container of several. */
function pattern(names: readonly string[]): string {
  const split = names.map((n) => n.split('.'));
  const length = Math.min(...split.map((s) => s.length));
  const segments = Array.from({ length }, (_, i) => {
    const all = split.map((s) => s[i]);
    return all.every((seg) => seg === all[0]) ? all[0] : `${commonPrefix(all).replace(/\d+$/, '')}*`;
  });
  // Wildcards to the end (several layers per block) say no more than "…" after the first of them.
  let tail = segments.length;
  while (tail > 0 && segments[tail - 1].endsWith('*')) tail--;
  const cut = segments.length - tail > 1 || split.some((s) => s.length !== length);
  return cut ? [...segments.slice(0, Math.min(tail + 1, segments.length)), '…'].join('.') : segments.join('.');
}

function commonPrefix(words: readonly string[]): string {
  let p = words[0];
  for (const w of words) while (!w.startsWith(p)) p = p.slice(0, -1);
  return p;
}
