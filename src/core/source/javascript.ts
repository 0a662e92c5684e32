// TF.js layers in JavaScript / TypeScript source: `tf.layers.dense({ …, name: 'hidden' })`.
import type { Definition, SourceIndex } from './definitions';
import { JAVASCRIPT_LEXICAL, maskText, matchingBracket } from './text';

/** `tf.layers.<factory>(` for the factories that make layers of neurons. */
const TFJS_LAYER =
  /\b(?:tf\.)?layers\.(?:dense|conv1d|conv2d|conv3d|conv2dTranspose|depthwiseConv2d|separableConv2d|embedding|lstm|gru|simpleRNN)\s*\(\s*\{/g;
const NAME_PROPERTY = /(?:^|[,{\s])['"]?name['"]?\s*:\s*(['"`])/g;

export function javascriptIndex(text: string): SourceIndex {
  const masked = maskText(text, JAVASCRIPT_LEXICAL);
  const named = new Map<string, Definition>();
  for (const m of masked.matchAll(TFJS_LAYER)) {
    const objectStart = m.index + m[0].length - 1;
    const objectEnd = matchingBracket(masked, objectStart);
    if (objectEnd < 0) continue;
    const object = masked.slice(objectStart, objectEnd);
    for (const p of object.matchAll(NAME_PROPERTY)) {
      // Only a property of this object, not of one nested in it.
      const before = object.slice(0, p.index + 1);
      if ((before.match(/[{[(]/g)?.length ?? 0) - (before.match(/[}\])]/g)?.length ?? 0) !== 1) continue;
      const quote = objectStart + p.index + p[0].length - 1;
      const close = text.indexOf(p[1], quote + 1);
      const name = text.slice(quote + 1, close);
      if (close > quote && !named.has(name))
        named.set(name, {
          label: name,
          span: { start: m.index, end: matchingBracket(masked, masked.indexOf('(', m.index)) },
          name: { start: quote, end: close + 1 },
        });
    }
  }
  return {
    resolve: (path) => {
      const def = named.get(path[path.length - 1]);
      return def && { leaf: def, repeats: [], score: 2 };
    },
  };
}
