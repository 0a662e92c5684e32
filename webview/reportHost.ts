// Stands in for the extension host in a standalone HTML report: replays the inlined messages.
import type { ExportFormat, HostMessage, WebviewMessage } from '../src/protocol/panel';
import type { Envelope } from '../src/protocol/messageHandler';
import { decodeReportMessages } from '../src/report/standalonePage';
import type { VsCodeApi } from './host';

const STATE_KEY = 'condensationLens.reportState';

/** Answers `ready` with the recorded messages and `detail` with a recorded detail when there is one. */
export function reportApi(data: unknown): VsCodeApi {
  const messages = decodeReportMessages(data);
  const details = messages.filter((m): m is Extract<HostMessage, { type: 'detail' }> => m.type === 'detail');
  const reply = (body: HostMessage, inReplyTo?: number) =>
    window.postMessage({ body, inReplyTo } satisfies Envelope<HostMessage>, '*');
  let memory: unknown;
  return {
    postMessage(envelope: unknown) {
      const { body, messageId } = envelope as Envelope<WebviewMessage>;
      if (body.type === 'ready') {
        for (const m of messages) if (m.type !== 'detail') reply(m);
      } else if (body.type === 'detail' && messageId !== undefined) {
        const found = details.find(
          (d) => d.run === body.run && d.detail.layer === body.layer && d.detail.step === body.step,
        );
        reply(
          found ?? {
            type: 'error',
            message: `This report holds the detail of the last step only (layer ${body.layer}, step ${body.step} is not included).`,
          },
          messageId,
        );
      } else if (body.type === 'export') {
        download(body.suggestedName, body.format, body.data);
        if (messageId !== undefined) reply({ type: 'exported', path: body.suggestedName }, messageId);
      }
    },
    getState() {
      try {
        const saved = sessionStorage.getItem(STATE_KEY);
        return saved ? JSON.parse(saved) : memory;
      } catch {
        return memory;
      }
    },
    setState(state: unknown) {
      memory = state;
      try {
        sessionStorage.setItem(STATE_KEY, JSON.stringify(state));
      } catch {
        // A file:// page may refuse storage; the state then lives until the page closes.
      }
    },
  };
}

const MIME = { svg: 'image/svg+xml', csv: 'text/csv', html: 'text/html' } as const;

/** Saves an export through the browser's download, as there is no host to ask. */
function download(name: string, format: ExportFormat, data: string): void {
  const a = document.createElement('a');
  a.download = name;
  a.href = format === 'png' ? data : URL.createObjectURL(new Blob([data], { type: MIME[format] }));
  document.body.append(a);
  a.click();
  a.remove();
}
