import { strict as assert } from 'node:assert';
import { MessageHandler, type Envelope } from '../../../src/protocol/messageHandler';
import { parseWebviewEnvelope } from '../../../src/protocol/validate';
import { parsePresetList } from '../../../src/extension/run/presets';
import type { HostMessage, WebviewMessage } from '../../../src/protocol/panel';

describe('protocol', () => {
  it('MessageHandler pairs each reply with its request across a two-way channel', async () => {
    const seenByHost: Envelope<WebviewMessage>[] = [];
    const host: MessageHandler<HostMessage, WebviewMessage> = new MessageHandler<HostMessage, WebviewMessage>(
      (m) => void view.receive(m),
      (body) =>
        body.type === 'detail' ? { type: 'error', message: `no layer ${body.layer} at ${body.step}` } : undefined,
    );
    const view: MessageHandler<WebviewMessage, HostMessage> = new MessageHandler<WebviewMessage, HostMessage>(
      (m) => {
        seenByHost.push(m);
        void host.receive(m);
      },
      () => undefined,
    );
    const [a, b] = await Promise.all([
      view.request({ type: 'detail', run: '/runs/a', layer: 'fc1', step: 5 }),
      view.request({ type: 'detail', run: '/runs/a', layer: 'fc2', step: 9 }),
    ]);
    assert.deepEqual(a, { type: 'error', message: 'no layer fc1 at 5' });
    assert.deepEqual(b, { type: 'error', message: 'no layer fc2 at 9' });
    assert.deepEqual(
      seenByHost.map((m) => m.messageId),
      [1, 2],
    );
  });

  it('rejects outstanding requests when the channel closes', async () => {
    const h = new MessageHandler<WebviewMessage, HostMessage>(
      () => undefined,
      () => undefined,
    );
    const pending = h.request({ type: 'ready' });
    h.dispose('panel closed');
    await assert.rejects(pending, /panel closed/);
  });

  it('accepts well-formed webview messages', () => {
    const ok: Envelope<WebviewMessage>[] = [
      { body: { type: 'ready' }, messageId: 1 },
      { body: { type: 'ready', choices: { '/runs/a': { threshold: 0.9 }, '/runs/b': { similarity: 'absolute' } } } },
      { body: { type: 'detail', run: '/runs/a', layer: 'fc1', step: 300 }, messageId: 2 },
      { body: { type: 'setSetting', run: '/runs/a', key: 'threshold', value: 0.9 } },
      { body: { type: 'setSetting', run: '/runs/b', key: 'similarity', value: 'absolute' } },
      { body: { type: 'export', format: 'csv', suggestedName: 'run.csv', data: 'step,clusters\n' } },
      { body: { type: 'export', format: 'svg', suggestedName: 'run.svg', data: '<svg/>' }, messageId: 3 },
      { body: { type: 'stop', run: '/runs/a' } },
      { body: { type: 'refresh' } },
      { body: { type: 'openPanel' } },
      { body: { type: 'selectRun', id: '/runs/a' } },
      { body: { type: 'showLayers', layers: ['fc1', 'transformer.h.0.mlp.c_fc'] } },
      { body: { type: 'analyseLayer', run: '/runs/a', layer: 'fc1' } },
    ];
    for (const m of ok) assert.deepEqual(parseWebviewEnvelope(m), m);
  });

  it('ignores malformed or unknown webview messages', () => {
    const bad: unknown[] = [
      null,
      'ready',
      { body: 'ready' },
      { body: { type: 'toString' } },
      { body: { type: 'launchMissiles' } },
      { body: { type: 'detail', run: '/runs/a', layer: 'fc1' } },
      { body: { type: 'detail', run: '/runs/a', layer: '', step: 1 } },
      // Every request about a run names it.
      { body: { type: 'detail', layer: 'fc1', step: 1 } },
      { body: { type: 'setSetting', key: 'threshold', value: 0.9 } },
      { body: { type: 'stop' } },
      { body: { type: 'ready', choices: { '/runs/a': { threshold: 2 } } } },
      { body: { type: 'ready', choices: { '/runs/a': 0.9 } } },
      { body: { type: 'setSetting', run: '/runs/a', key: 'threshold', value: 2 } },
      { body: { type: 'setSetting', run: '/runs/a', key: 'nodePath', value: '/bin/sh' } },
      { body: { type: 'setSetting', run: '/runs/a', key: 'similarity', value: 'cosine' } },
      { body: { type: 'export', format: 'exe', suggestedName: 'x', data: '' } },
      { body: { type: 'showLayers', layers: 'fc1' } },
      { body: { type: 'showLayers', layers: ['fc1', 7] } },
      { body: { type: 'showLayers', layers: Array.from({ length: 5000 }, (_, i) => `l${i}`) } },
      { body: { type: 'analyseLayer', run: '/runs/a', layer: '' } },
      { body: { type: 'analyseLayer', layer: 'fc1' } },
      { body: { type: 'ready' }, messageId: -3 },
      { body: { type: 'ready' }, inReplyTo: 1.5 },
    ];
    for (const m of bad) assert.equal(parseWebviewEnvelope(m), undefined, JSON.stringify(m));
  });

  it('reads the trainer preset list, summary as the one-line description', () => {
    const json = JSON.stringify([
      { name: 'relu-1d', summary: 'two-layer ReLU, width 1000', description: 'long text', config: { width: 1000 } },
      { name: 'custom', description: 'only a description' },
    ]);
    assert.deepEqual(parsePresetList(json), [
      { name: 'relu-1d', description: 'two-layer ReLU, width 1000' },
      { name: 'custom', description: 'only a description' },
    ]);
    assert.throws(() => parsePresetList('{"name":"x"}'), /JSON array/);
    assert.throws(() => parsePresetList('[{"summary":"x"}]'), /without a name/);
  });
});
