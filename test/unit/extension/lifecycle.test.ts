import assert from 'node:assert/strict';
import { Disposable, DisposableStore, MutableDisposable, toDisposable } from '../../../src/extension/lifecycle';

describe('lifecycle: Disposable and DisposableStore', () => {
  it('disposes what was registered once, newest first', () => {
    const order: string[] = [];
    class Owner extends Disposable {
      constructor() {
        super();
        this._register(toDisposable(() => order.push('first')));
        this._register(toDisposable(() => order.push('second')));
      }
    }
    const owner = new Owner();
    owner.dispose();
    owner.dispose();
    assert.deepEqual(order, ['second', 'first']);
  });

  it('disposes at once what is added after the store was disposed', () => {
    const store = new DisposableStore();
    store.dispose();
    let disposed = 0;
    store.add(toDisposable(() => disposed++));
    assert.equal(disposed, 1);
  });

  it('disposes the rest when one throws, then reports the failure', () => {
    const store = new DisposableStore();
    let after = 0;
    store.add(toDisposable(() => after++));
    store.add(
      toDisposable(() => {
        throw new Error('boom');
      }),
    );
    assert.throws(() => store.dispose(), /boom/);
    assert.equal(after, 1);
  });

  it('delete disposes one item now and the store no longer holds it', () => {
    const store = new DisposableStore();
    let count = 0;
    const item = store.add(toDisposable(() => count++));
    store.delete(item);
    store.dispose();
    assert.equal(count, 1);
  });

  it('MutableDisposable disposes the value it replaces, and a value set after it was disposed', () => {
    const disposed: string[] = [];
    const slot = new MutableDisposable();
    slot.value = toDisposable(() => disposed.push('a'));
    slot.value = toDisposable(() => disposed.push('b'));
    assert.deepEqual(disposed, ['a']);
    slot.dispose();
    assert.deepEqual(disposed, ['a', 'b']);
    slot.value = toDisposable(() => disposed.push('c'));
    assert.deepEqual(disposed, ['a', 'b', 'c']);
    assert.equal(slot.value, undefined);
  });
});
