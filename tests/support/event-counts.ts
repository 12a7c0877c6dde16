import type { EventStoreDBClient } from '@eventstore/db-client';

/** Counts the non-system events in `$all` by type: what "appended nothing new" is checked against. */
export async function countEventsByType(client: EventStoreDBClient): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for await (const resolved of client.readAll()) {
    const event = resolved.event;
    if (!event || event.type.startsWith('$') || event.streamId.startsWith('$')) continue;
    counts[event.type] = (counts[event.type] ?? 0) + 1;
  }
  return counts;
}
