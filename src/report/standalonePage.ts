// The standalone HTML report: the panel bundle with the run's host messages inlined, no network.
// Shared by the CLI (`condensation-lens report`) and the panel's own "HTML report" export.
import type { HostMessage } from '../protocol/panel';

/** The global the report page defines and the bundle replays instead of a live host. */
export const REPORT_GLOBAL = '__CONDENSATION_REPORT__';

const BYTES_KEY = '$bytes';

/** JSON of the messages with byte arrays as base64; `<` is written \u003c so it can sit in a <script> element. */
export function encodeReportMessages(messages: readonly HostMessage[]): string {
  const json = JSON.stringify(messages, (_key, value: unknown) =>
    value instanceof Uint8Array ? { [BYTES_KEY]: toBase64(value) } : value,
  );
  return json.replace(/</g, '\\u003c');
}

/** The inverse of encodeReportMessages (after the page's JSON has been parsed). */
export function decodeReportMessages(parsed: unknown): HostMessage[] {
  const revive = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(revive);
    if (value && typeof value === 'object') {
      const o = value as Record<string, unknown>;
      if (typeof o[BYTES_KEY] === 'string' && Object.keys(o).length === 1) return fromBase64(o[BYTES_KEY] as string);
      return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, revive(v)]));
    }
    return value;
  };
  return Array.isArray(parsed) ? (revive(parsed) as HostMessage[]) : [];
}

export interface ReportPage {
  title: string;
  messages: readonly HostMessage[];
  /** The panel bundle (dist/webview/panel.js) and its stylesheet (dist/webview/panel.css). */
  script: string;
  style: string;
}

/**
 * The whole page: a CSP without any network source that allows exactly its own inline script and style
 * elements by their SHA-256 hashes, then the data and the bundle.
 */
export async function standaloneReportHtml(page: ReportPage): Promise<string> {
  const data = `window.${REPORT_GLOBAL} = ${encodeReportMessages(page.messages)};`;
  const bundle = escapeForScript(stripSourceMap(page.script));
  const style = escapeForStyle(page.style);
  const [dataHash, bundleHash, styleHash] = await Promise.all([data, bundle, style].map(cspHash));
  const csp = `default-src 'none'; script-src ${dataHash} ${bundleHash}; style-src ${styleHash}; img-src data: blob:; font-src data:`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
<style id="condensation-lens-style">${style}</style>
</head>
<body data-view="panel">
<script>${data}</script>
<script id="condensation-lens-bundle">${bundle}</script>
</body>
</html>
`;
}

/** The CSP source that allows an inline element with exactly this text: 'sha256-<base64 of the UTF-8 digest>'. */
async function cspHash(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return `'sha256-${toBase64(new Uint8Array(digest))}'`;
}

/** `</script` and `<!--` would end or confuse a script element; their escaped forms mean the same in JS. */
function escapeForScript(text: string): string {
  return text.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

function escapeForStyle(text: string): string {
  return text.replace(/<\/(style)/gi, '<\\/$1');
}

/** Text made safe for an HTML element or a double-quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function stripSourceMap(script: string): string {
  return script.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
