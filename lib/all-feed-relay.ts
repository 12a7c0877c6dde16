import type { ResolvedEvent } from '@eventstore/db-client';
import type { FeedSignal } from './all-feed';
import type { FeedError, FromFeedThread } from './all-feed-thread';
import { toStoredEvent, type StoredEvent } from './eventstore';

/** Events per message at most; fewer when the client has no more buffered. */
const POST_BATCH = 500;

/** What the relay needs of the client's subscription (a Readable in object mode that emits the server's signals). */
export interface RelayedSubscription {
  readonly readableLength: number;
  on(event: 'data', listener: (resolved: ResolvedEvent) => void): unknown;
  on(event: FeedSignal | 'end', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  pause(): unknown;
  resume(): unknown;
  isPaused(): boolean;
}

export interface Relay {
  /** The reader has read this many more of the posted events. */
  read(count: number): void;
}

function feedError(error: Error & { type?: unknown; code?: unknown }): FeedError {
  const { name, message, type, code } = error;
  return {
    name,
    message,
    ...(typeof type === 'string' ? { type } : {}),
    ...(typeof code === 'number' ? { code } : {}),
  };
}

/**
 * Posts a subscription's events in order, a batch per JSON text, and its signals after every event received
 * before them; pauses the subscription while `ahead` posted events are unread. `ended` runs once, after the
 * subscription failed (the failure posted) or ended.
 */
export function relaySubscription(
  sub: RelayedSubscription,
  post: (message: FromFeedThread) => void,
  ahead: number,
  ended: () => void,
): Relay {
  let pending: StoredEvent[] = [];
  let unread = 0;
  let scheduled = false;
  let over = false;
  // Signals the client emitted while events it received before them still waited in its buffer.
  const held: FeedSignal[] = [];

  const postPending = () => {
    scheduled = false;
    if (pending.length === 0) return;
    post({ type: 'events', json: JSON.stringify(pending) });
    unread += pending.length;
    pending = [];
    if (unread >= ahead) sub.pause();
  };
  const postSignals = () => {
    postPending();
    for (const signal of held.splice(0)) post({ type: 'signal', signal });
  };
  const end = () => {
    if (over) return;
    over = true;
    ended();
  };

  sub.on('data', (resolved) => {
    const stored = toStoredEvent(resolved);
    if (stored) pending.push(stored);
    if (held.length > 0 && sub.readableLength === 0) postSignals();
    else if (pending.length >= POST_BATCH) postPending();
    else if (!scheduled) {
      scheduled = true;
      setImmediate(postPending);
    }
  });
  for (const signal of ['caughtUp', 'fellBehind'] as const) {
    sub.on(signal, () => {
      held.push(signal);
      if (sub.readableLength === 0) postSignals();
    });
  }
  sub.on('error', (error) => {
    postPending();
    if (!over) post({ type: 'failed', error: feedError(error) });
    end();
  });
  sub.on('end', () => {
    postPending();
    end();
  });
  return {
    read(count) {
      unread -= count;
      if (unread < ahead && sub.isPaused()) sub.resume();
    },
  };
}
