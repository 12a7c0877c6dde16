import { BACKWARDS, END, type EventStoreDBClient } from '@eventstore/db-client';
import { toStoredEvent } from './eventstore';

export interface Lag {
  /** Events in `$all` after the read model's position that it would handle; capped at the scan limit. */
  readonly events: number;
  /** Age of the oldest such event; 0 when none are waiting. */
  readonly seconds: number;
}

export const LAG_SCAN_LIMIT = 10_000;

/**
 * Walks `$all` back from its end to the read model's position and counts what it still has to handle. Runs on
 * demand (a scrape, a readiness probe), never in the projection path.
 */
export async function measureLag(
  client: EventStoreDBClient,
  handledUpTo: number | undefined,
  relevant: (type: string, streamId: string) => boolean,
  now: Date = new Date(),
): Promise<Lag> {
  let events = 0;
  let oldest: string | undefined;
  const read = client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: LAG_SCAN_LIMIT });
  for await (const resolved of read) {
    const stored = toStoredEvent(resolved);
    if (!stored || stored.position === undefined) continue;
    if (handledUpTo !== undefined && stored.position <= handledUpTo) {
      // Cancel before leaving: the client's dispose() waits without limit for every read left open.
      await read.cancel();
      break;
    }
    if (!relevant(stored.type, stored.streamId)) continue;
    events++;
    oldest = stored.created;
  }
  const seconds = oldest === undefined ? 0 : Math.max(0, (now.getTime() - Date.parse(oldest)) / 1000);
  return { events, seconds };
}
