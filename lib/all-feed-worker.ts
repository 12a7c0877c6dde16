// The subscription thread of `threadFeed`: subscribes with a client of its own, decodes every event and posts
// them in `$all` order, a batch per JSON text, until told to stop. It reads from the server only while the
// thread it feeds has fewer than `ahead` of its events unread.
import type { ResolvedEvent } from '@eventstore/db-client';
import { parentPort, workerData } from 'node:worker_threads';
import { subscribeWithClient, type FeedSignal } from './all-feed';
import type { FeedThreadData, FromFeedThread, ToFeedThread } from './all-feed-thread';
import { connectEventStore, toStoredEvent, type StoredEvent } from './eventstore';

/** Events per message at most; fewer when the client has no more buffered. */
const POST_BATCH = 500;

function run(port: NonNullable<typeof parentPort>, data: FeedThreadData): void {
  const post = (message: FromFeedThread) => port.postMessage(message);
  const client = connectEventStore(data.connectionString);
  const sub = subscribeWithClient(client, data.request, (position) => post({ type: 'checkpoint', position }));
  let pending: StoredEvent[] = [];
  let unread = 0;
  let scheduled = false;
  let stopped = false;
  // A signal the client emitted while events it received before it still wait in its buffer.
  const held: FeedSignal[] = [];

  const postPending = () => {
    scheduled = false;
    if (pending.length === 0) return;
    post({ type: 'events', json: JSON.stringify(pending) });
    unread += pending.length;
    pending = [];
    if (unread >= data.ahead) sub.pause();
  };
  const postSignals = () => {
    postPending();
    for (const signal of held.splice(0)) post({ type: 'signal', signal });
  };
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await sub.unsubscribe().catch(() => undefined);
    await client.dispose().catch(() => undefined);
    port.close();
  };

  sub.on('data', (resolved: ResolvedEvent) => {
    const stored = toStoredEvent(resolved);
    if (stored) pending.push(stored);
    if (held.length > 0 && sub.readableLength === 0) postSignals();
    else if (pending.length >= POST_BATCH) postPending();
    else if (!scheduled) {
      scheduled = true;
      setImmediate(postPending);
    }
  });
  const signal = (name: FeedSignal) => () => {
    held.push(name);
    if (sub.readableLength === 0) postSignals();
  };
  sub.on('caughtUp', signal('caughtUp'));
  sub.on('fellBehind', signal('fellBehind'));
  sub.on('error', (error: Error & { type?: unknown; code?: unknown }) => {
    postPending();
    const { name, message, type, code } = error;
    const fields = {
      name,
      message,
      ...(typeof type === 'string' ? { type } : {}),
      ...(typeof code === 'number' ? { code } : {}),
    };
    if (!stopped) post({ type: 'failed', error: fields });
    void stop();
  });
  sub.on('end', () => {
    postPending();
    void stop();
  });
  port.on('message', (message: ToFeedThread) => {
    if (message.type === 'stop') {
      void stop();
      return;
    }
    unread -= message.count;
    if (unread < data.ahead && sub.isPaused()) sub.resume();
  });
}

if (parentPort) run(parentPort, workerData as FeedThreadData);
