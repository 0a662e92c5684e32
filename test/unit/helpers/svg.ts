// Reads the elements of an SVG file for tests: tag, attributes and text, in document order.

export interface SvgElement {
  tag: string;
  attrs: Record<string, string>;
  /** Text up to the next tag (for <text> elements). */
  text: string;
}

const ENTITY = (s: string) => s.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));

export function svgElements(svg: string): SvgElement[] {
  const out: SvgElement[] = [];
  for (const m of svg.matchAll(/<([a-zA-Z]+)((?:\s+[\w:-]+="[^"]*")*)\s*\/?>([^<]*)/g)) {
    const attrs: Record<string, string> = {};
    for (const a of m[2].matchAll(/([\w:-]+)="([^"]*)"/g)) attrs[a[1]] = ENTITY(a[2]);
    out.push({ tag: m[1], attrs, text: ENTITY(m[3]) });
  }
  return out;
}

/** Elements with `class` among their classes. */
export function byClass(elements: SvgElement[], cls: string): SvgElement[] {
  return elements.filter((e) => (e.attrs.class ?? '').split(/\s+/).includes(cls));
}

export function texts(elements: SvgElement[]): string[] {
  return elements.filter((e) => e.tag === 'text' || e.tag === 'title').map((e) => e.text);
}
