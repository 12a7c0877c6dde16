import {
  jsonEvent,
  persistentSubscriptionToStreamSettingsFromDefaults,
  START,
  type EventStoreDBClient,
  type PersistentSubscriptionToStream,
  type PersistentSubscriptionToStreamResolvedEvent,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { eventually as waitFor } from '../../../lib/eventually';

/** Shared bits of the persistent-subscription specs. */

export type Received = PersistentSubscriptionToStreamResolvedEvent;

export const settings = (
  changes: Parameters<typeof persistentSubscriptionToStreamSettingsFromDefaults>[0] = {},
) => persistentSubscriptionToStreamSettingsFromDefaults({ startFrom: START, ...changes });

export const inputs = (count: number, prefix = 'n') =>
  Array.from({ length: count }, (_, i) =>
    jsonEvent({ type: 'ShopDataReceived', data: { n: `${prefix}${i}` } }),
  );

export const nOf = (event: Received): string => (event.event!.data as { n: string }).n;

export function consume(
  subscription: PersistentSubscriptionToStream,
  handle: (event: Received) => Promise<void>,
) {
  subscription.on('data', (event: Received) => {
    void handle(event);
  });
  subscription.on('error', () => undefined);
}

/** Retries `assertion` until it passes or the time is up: the one `eventually`, for assertion-style checks. */
export function eventually(assertion: () => Promise<void> | void, timeoutMs = 5000): Promise<true> {
  return waitFor(
    async () => {
      await assertion();
      return true as const;
    },
    timeoutMs,
    20,
  );
}

export async function readStreamOrEmpty(
  client: EventStoreDBClient,
  stream: string,
): Promise<ResolvedEvent[]> {
  const events: ResolvedEvent[] = [];
  try {
    for await (const event of client.readStream(stream)) events.push(event);
  } catch {
    return [];
  }
  return events;
}
