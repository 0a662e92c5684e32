// One lifecycle base for the host's classes (as in vscode-livepreview and vscode-hexeditor), free of `vscode`:
// a class registers what it owns once, and disposing it disposes all of that, newest first.
import type { Disposable as DisposableLike } from './events';

/** A set of disposables disposed together; one added after the store was disposed is disposed at once. */
export class DisposableStore implements DisposableLike {
  private readonly items = new Set<DisposableLike>();
  private disposed = false;

  get isDisposed(): boolean {
    return this.disposed;
  }

  add<T extends DisposableLike>(item: T): T {
    if (this.disposed) item.dispose();
    else this.items.add(item);
    return item;
  }

  /** Disposes one item now and forgets it (a listener replaced by a newer one). */
  delete(item: DisposableLike): void {
    if (this.items.delete(item)) item.dispose();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const errors: unknown[] = [];
    for (const item of [...this.items].reverse()) {
      try {
        item.dispose();
      } catch (e) {
        errors.push(e);
      }
    }
    this.items.clear();
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, 'several disposables failed to dispose');
  }
}

/** The base class: `this._register(x)` ties `x` to this object's lifetime. */
export abstract class Disposable implements DisposableLike {
  private readonly _store = new DisposableStore();

  protected get isDisposed(): boolean {
    return this._store.isDisposed;
  }

  protected _register<T extends DisposableLike>(item: T): T {
    return this._store.add(item);
  }

  dispose(): void {
    this._store.dispose();
  }
}

/** Holds at most one disposable: setting a new value disposes the old one (a listener on whichever run is shown). */
export class MutableDisposable<T extends DisposableLike> implements DisposableLike {
  private current: T | undefined;
  private disposed = false;

  get value(): T | undefined {
    return this.current;
  }

  set value(next: T | undefined) {
    if (next === this.current) return;
    const old = this.current;
    this.current = this.disposed ? undefined : next;
    if (this.disposed) next?.dispose();
    old?.dispose();
  }

  dispose(): void {
    this.disposed = true;
    this.value = undefined;
  }
}

/** A disposable that runs `fn` once (timers, process listeners, anything without a dispose of its own). */
export function toDisposable(fn: () => void): DisposableLike {
  let done = false;
  return {
    dispose: () => {
      if (done) return;
      done = true;
      fn();
    },
  };
}
