import type { EventStoreDBClient } from '@eventstore/db-client';
import { SETTLES_METADATA_KEY } from '../../contracts/events/requests';

/** The count of processed outcomes: `ShopDataProcessed` events and domain events carrying the outcome marker. */
export const PROCESSED = 'processed outcomes';

/**
 * Counts the non-system events in `$all` by type: what "appended nothing new" is checked against. `PROCESSED`
 * counts the processed outcomes however they were recorded.
 */
export async function countEventsByType(client: EventStoreDBClient): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const add = (key: string) => (counts[key] = (counts[key] ?? 0) + 1);
  for await (const resolved of client.readAll()) {
    const event = resolved.event;
    if (!event || event.type.startsWith('$') || event.streamId.startsWith('$')) continue;
    add(event.type);
    const metadata = event.metadata as Record<string, unknown> | undefined;
    if (event.type === 'ShopDataProcessed' || metadata?.[SETTLES_METADATA_KEY] !== undefined) add(PROCESSED);
  }
  return counts;
}
