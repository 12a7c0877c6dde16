// The subscription thread of `threadFeed`: subscribes with a client of its own and relays every event to the
// thread it feeds (see `relaySubscription`) until told to stop or the subscription ends.
import { parentPort, workerData } from 'node:worker_threads';
import { subscribeWithClient } from './all-feed';
import type { FeedThreadData, FromFeedThread, ToFeedThread } from './all-feed-thread';
import { relaySubscription } from './all-feed-relay';
import { connectEventStore } from './eventstore';

function run(port: NonNullable<typeof parentPort>, data: FeedThreadData): void {
  const post = (message: FromFeedThread) => port.postMessage(message);
  const client = connectEventStore(data.connectionString);
  const sub = subscribeWithClient(client, data.request, (position) => post({ type: 'checkpoint', position }));
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await sub.unsubscribe().catch(() => undefined);
    await client.dispose().catch(() => undefined);
    port.close();
  };
  const relay = relaySubscription(sub, post, data.ahead, () => void stop());
  port.on('message', (message: ToFeedThread) => {
    if (message.type === 'stop') void stop();
    else relay.read(message.count);
  });
}

if (parentPort) run(parentPort, workerData as FeedThreadData);
