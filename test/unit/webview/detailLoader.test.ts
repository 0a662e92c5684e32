import { strict as assert } from 'node:assert';
import { setTimeout as sleep } from 'node:timers/promises';
import type { HostMessage } from '../../../src/protocol/panel';
import { DETAIL_DEBOUNCE_MS, DetailLoader } from '../../../webview/detailLoader';

describe('DetailLoader', () => {
  it('drops a request still waiting for its debounce when cleared (the host is re-analysing that step)', async () => {
    const asked: [string, number][] = [];
    const loader = new DetailLoader(
      async (layer, step) => {
        asked.push([layer, step]);
        return { type: 'error', message: `no analysed checkpoint at step ${step}` } as HostMessage;
      },
      () => undefined,
    );
    loader.want('fc1', 200);
    loader.clear();
    await sleep(DETAIL_DEBOUNCE_MS * 2);
    assert.deepEqual(asked, []);
    assert.equal(loader.error('fc1', 200), undefined, 'no failure is remembered for the step');
  });

  it('asks again for a step whose request failed once it is cleared', async () => {
    const asked: number[] = [];
    const loader = new DetailLoader(
      async (_layer, step) => {
        asked.push(step);
        return { type: 'error', message: 'not yet' } as HostMessage;
      },
      () => undefined,
    );
    loader.want('fc1', 200);
    await sleep(DETAIL_DEBOUNCE_MS * 2);
    assert.equal(loader.error('fc1', 200), 'not yet');
    loader.want('fc1', 200);
    await sleep(DETAIL_DEBOUNCE_MS * 2);
    assert.deepEqual(asked, [200], 'a failure is not asked again by itself');
    loader.clear();
    loader.want('fc1', 200);
    await sleep(DETAIL_DEBOUNCE_MS * 2);
    assert.deepEqual(asked, [200, 200]);
  });
});
