// Request/reply over a one-way postMessage channel (as vscode-hexeditor's MessageHandler).

export interface Envelope<T> {
  body: T;
  messageId?: number;
  inReplyTo?: number;
}

/**
 * Wraps a `post` function: `send` fires and forgets, `request` resolves with the reply whose
 * `inReplyTo` matches. Incoming requests are answered by the `onRequest` callback.
 */
export class MessageHandler<Out, In> {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: In) => void; reject: (e: Error) => void }>();

  constructor(
    private readonly post: (message: Envelope<Out>) => void,
    private readonly onRequest: (body: In) => Promise<Out | undefined> | Out | undefined,
  ) {}

  send(body: Out): void {
    this.post({ body });
  }

  request(body: Out): Promise<In> {
    const messageId = this.nextId++;
    return new Promise<In>((resolve, reject) => {
      this.pending.set(messageId, { resolve, reject });
      this.post({ body, messageId });
    });
  }

  /** Feed every incoming envelope here. */
  async receive(message: Envelope<In>): Promise<void> {
    if (message.inReplyTo !== undefined) {
      const waiter = this.pending.get(message.inReplyTo);
      this.pending.delete(message.inReplyTo);
      waiter?.resolve(message.body);
      return;
    }
    const reply = await this.onRequest(message.body);
    if (message.messageId !== undefined && reply !== undefined) {
      this.post({ body: reply, inReplyTo: message.messageId });
    }
  }

  /** Rejects every outstanding request (the other side went away). */
  dispose(reason = 'channel closed'): void {
    for (const w of this.pending.values()) w.reject(new Error(reason));
    this.pending.clear();
  }
}
