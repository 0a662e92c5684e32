// The one place that turns text from a file (names, keys, dtypes, paths) into text a user sees: one line,
// no terminal escape sequences, and no quoted string longer than a screenful.

/** Characters quoted from a file are capped at this many, then "… (N more)". */
export const MAX_QUOTED_CHARS = 200;
/** A whole message is cut at this many (the names in it are capped already): one error stays one short line. */
export const MAX_LINE_CHARS = 2000;

// C0 and C1 controls, DEL, and the Unicode line/paragraph separators and bidirectional overrides that
// reorder or break a line on screen: each becomes a visible escape.
// eslint-disable-next-line no-control-regex -- control characters are what this escapes
const unsafe = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const named: ReadonlyMap<string, string> = new Map([
  ['\n', '\\n'],
  ['\r', '\\r'],
  ['\t', '\\t'],
]);

function escapeChar(char: string): string {
  const code = char.charCodeAt(0);
  return named.get(char) ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`);
}

/** `text` on one line with control characters and escape sequences made visible (`\n`, `\x1b`, `\u202e`). */
export function escapeText(text: string): string {
  return text.replace(unsafe, escapeChar);
}

/** `text` escaped and capped at `maxChars` characters, then "… (N more)". */
export function displayText(text: unknown, maxChars = MAX_QUOTED_CHARS): string {
  const value = String(text);
  const shown = value.length > maxChars ? value.slice(0, maxChars) : value;
  const more = value.length - shown.length;
  return escapeText(shown) + (more > 0 ? `… (${more} more)` : '');
}

/** A name from a file inside double quotes, escaped and capped: `"fc1.weight"`. */
export function quoted(text: unknown, maxChars = MAX_QUOTED_CHARS): string {
  return `"${displayText(text, maxChars)}"`;
}
