import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import type { HostMessage } from '../../../src/protocol/panel';
import { decodeReportMessages, encodeReportMessages, standaloneReportHtml } from '../../../src/report/standalonePage';

const detail: HostMessage = {
  type: 'detail',
  run: '/r',
  detail: {
    layer: 'fc1',
    step: 5,
    theta: [0.5],
    amplitude: [1],
    cluster: [0],
    heatmap: {
      size: 1,
      blockSize: 1,
      order: [0],
      boundaries: [],
      values: Uint8Array.from([0, 128, 255]),
      similarity: 'signed',
    },
  },
};

describe('standalone report page', () => {
  it('round-trips heatmap bytes through the inlined JSON', () => {
    const back = decodeReportMessages(JSON.parse(encodeReportMessages([detail])));
    const d = back[0] as Extract<HostMessage, { type: 'detail' }>;
    assert.ok(d.detail.heatmap.values instanceof Uint8Array);
    assert.deepEqual([...d.detail.heatmap.values], [0, 128, 255]);
    assert.deepEqual(d.detail.theta, [0.5]);
  });

  it('keeps a hostile run name and bundle text from closing the script elements', async () => {
    const init: HostMessage = {
      type: 'init',
      runs: [
        {
          run: { id: 'x', name: '</script><script>alert(1)</script>', folder: '/r', status: 'finished' },
          settings: {
            threshold: 0.95,
            similarity: 'signed',
            activeFraction: 0.05,
            includeBias: true,
            heatmapMaxNeurons: 2048,
          },
          layers: [],
          series: {},
          loss: [],
          problems: [],
        },
      ],
    };
    const html = await standaloneReportHtml({
      title: '<b>run</b>',
      messages: [init],
      script: 'var s = "</script>"; // <!-- x\n//# sourceMappingURL=panel.js.map\n',
      style: 'a{}</style>',
    });
    // Exactly the two script elements the page defines, and one style element.
    assert.equal(html.match(/<\/script/gi)?.length, 2);
    assert.equal(html.match(/<\/style/gi)?.length, 1);
    assert.ok(!html.includes('<!--'));
    assert.ok(!html.includes('sourceMappingURL'));
    assert.ok(html.includes('<title>&lt;b&gt;run&lt;/b&gt;</title>'));
    assert.match(html, /Content-Security-Policy" content="default-src 'none';/);
  });

  it('allows exactly its own inline script and style elements by their SHA-256, with no unsafe-inline', async () => {
    const html = await standaloneReportHtml({
      title: 'run',
      messages: [detail],
      script: 'document.title = "é ✓";\n',
      style: 'body { color: red }',
    });
    const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)![1];
    assert.ok(!csp.includes('unsafe-inline'), csp);
    const directive = (name: string) =>
      csp
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .find((d) => d[0] === name)!
        .slice(1);
    // The hash a browser computes: SHA-256 of the element's text as UTF-8, in base64 (here by node:crypto).
    const hash = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
    const scripts = [...html.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
    const styles = [...html.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/g)].map((m) => m[1]);
    assert.equal(scripts.length, 2);
    assert.deepEqual(directive('script-src'), scripts.map(hash));
    assert.deepEqual(directive('style-src'), styles.map(hash));
    assert.equal(styles[0], 'body { color: red }');
  });
});
