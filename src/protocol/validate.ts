// Checks what arrives from a webview before the host acts on it: a webview is untrusted input.
import type { Envelope } from './messageHandler';
import { EXPORT_FORMATS, type WebviewMessage } from './panel';

type Fields = Record<string, unknown>;

const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown): boolean => v === undefined || (Number.isInteger(v) && (v as number) > 0);
const isName = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 1024;

const isChoices = (c: Fields): boolean =>
  (c.threshold === undefined || (typeof c.threshold === 'number' && c.threshold >= -1 && c.threshold <= 1)) &&
  (c.similarity === undefined || c.similarity === 'signed' || c.similarity === 'absolute');

/** More layers than a panel can show at once is not a list of shown layers. */
const MAX_SHOWN_LAYERS = 4096;

/** Per message type, whether the body's fields are well formed. */
const BODY_CHECKS: Record<WebviewMessage['type'], (b: Fields) => boolean> = {
  ready: (b) =>
    b.choices === undefined ||
    (isObject(b.choices) && Object.values(b.choices).every((c) => isObject(c) && isChoices(c))),
  stop: (b) => isName(b.run),
  refresh: () => true,
  openPanel: () => true,
  selectRun: (b) => isName(b.id),
  detail: (b) => isName(b.run) && isName(b.layer) && Number.isFinite(b.step),
  setSetting: (b) =>
    isName(b.run) &&
    (b.key === 'threshold' || b.key === 'similarity') &&
    isChoices({ [b.key as string]: b.value }) &&
    b.value !== undefined,
  showLayers: (b) => Array.isArray(b.layers) && b.layers.length <= MAX_SHOWN_LAYERS && b.layers.every(isName),
  analyseLayer: (b) => isName(b.run) && isName(b.layer),
  export: (b) => EXPORT_FORMATS.includes(b.format as never) && isName(b.suggestedName) && typeof b.data === 'string',
};

/** The envelope if it is a well-formed webview message, else undefined (ignored by the host). */
export function parseWebviewEnvelope(raw: unknown): Envelope<WebviewMessage> | undefined {
  if (!isObject(raw) || !isId(raw.messageId) || !isId(raw.inReplyTo) || !isObject(raw.body)) return undefined;
  const body = raw.body;
  if (typeof body.type !== 'string' || !Object.hasOwn(BODY_CHECKS, body.type)) return undefined;
  if (!BODY_CHECKS[body.type as WebviewMessage['type']](body)) return undefined;
  return raw as unknown as Envelope<WebviewMessage>;
}
