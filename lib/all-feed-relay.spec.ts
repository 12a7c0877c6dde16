import { Transform, type TransformCallback } from 'node:stream';
import type { FromFeedThread } from './all-feed-thread';
import { relaySubscription } from './all-feed-relay';

type Item = { readonly n: number } | { readonly signal: 'caughtUp' | 'fellBehind' };

/** Behaves as the official client's subscription does: a signal is emitted as its message is transformed. */
class ClientLikeSubscription extends Transform {
  constructor() {
    super({ objectMode: true });
  }
  override _transform(item: Item, _encoding: BufferEncoding, next: TransformCallback): void {
    if ('signal' in item) {
      this.emit(item.signal);
      next();
      return;
    }
    const event = {
      id: `00000000-0000-4000-8000-${String(item.n).padStart(12, '0')}`,
      type: 'Counted',
      data: { n: item.n },
      metadata: {},
      streamId: 'counted-1',
      revision: BigInt(item.n),
      position: { commit: BigInt(item.n * 100), prepare: BigInt(item.n * 100) },
      created: new Date(0),
    };
    next(null, { event, commitPosition: event.position.commit });
  }
}

const events = (from: number, count: number): Item[] =>
  Array.from({ length: count }, (_, i) => ({ n: from + i }));

/** What was posted, in order: each event's n, or the signal's name. */
function posted(messages: readonly FromFeedThread[]): (number | string)[] {
  return messages.flatMap((message): (number | string)[] => {
    if (message.type === 'events')
      return (JSON.parse(message.json) as { data: { n: number } }[]).map((e) => e.data.n);
    if (message.type === 'signal') return [message.signal];
    return [message.type];
  });
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('relaying a subscription to the thread it feeds', () => {
  it('stops reading while the events it posted are unread, and posts a signal only after every event before it', async () => {
    const sub = new ClientLikeSubscription();
    const messages: FromFeedThread[] = [];
    const relay = relaySubscription(
      sub,
      (message) => messages.push(message),
      10,
      () => undefined,
    );
    for (const item of events(0, 10)) sub.write(item);
    for (let i = 0; i < 5; i++) await turn();
    expect(posted(messages)).toHaveLength(10);
    // More than the client buffers arrives while the reader has not read those ten yet.
    for (const item of [...events(10, 40), { signal: 'caughtUp' } as const]) sub.write(item);
    for (let i = 0; i < 5; i++) await turn();
    expect(posted(messages)).toHaveLength(10);
    expect(sub.isPaused()).toBe(true);
    // The reader reads everything posted so far, turn by turn, until the signal comes. On resuming, the client
    // emits "caught up" with the events before it still in its buffer (16 of them).
    let read = 0;
    for (let round = 0; round < 20 && !posted(messages).includes('caughtUp'); round++) {
      const sent = posted(messages).filter((item) => typeof item === 'number').length;
      relay.read(sent - read);
      read = sent;
      for (let i = 0; i < 5; i++) await turn();
    }
    expect(posted(messages)).toEqual([...Array.from({ length: 50 }, (_, n) => n), 'caughtUp']);
  });

  it('posts the failure, with the fields callers test, after the events before it', async () => {
    const sub = new ClientLikeSubscription();
    const messages: FromFeedThread[] = [];
    let ended = 0;
    relaySubscription(
      sub,
      (message) => messages.push(message),
      1_000,
      () => ended++,
    );
    for (const item of events(0, 3)) sub.write(item);
    await turn();
    sub.destroy(Object.assign(new Error('14 UNAVAILABLE: gone'), { type: 'unavailable', code: 14 }));
    for (let i = 0; i < 3; i++) await turn();
    expect(posted(messages)).toEqual([0, 1, 2, 'failed']);
    expect(messages.at(-1)).toEqual({
      type: 'failed',
      error: { name: 'Error', message: '14 UNAVAILABLE: gone', type: 'unavailable', code: 14 },
    });
    expect(ended).toBe(1);
  });
});
