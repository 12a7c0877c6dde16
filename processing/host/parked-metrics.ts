import type { EventStoreDBClient } from '@eventstore/db-client';
import { Gauge, type Registry } from 'prom-client';
import type { Logger } from '../../lib/logger';
import { readParkedEntries, type GroupNames } from '../../lib/parked-messages';

/**
 * KurrentDB's own names for these gauges (its /metrics, `kurrentdb_persistent_sub_*` with `event_stream_id` and
 * `group_name`), so one alert rule fits whichever is scraped; the embedded server has no /metrics, so the
 * processors measure them from the server's answers when scraped. An alert: parked messages > 0 for 10 minutes, or
 * the oldest older than an hour.
 */
export const PARKED_MESSAGES_METRIC = 'kurrentdb_persistent_sub_parked_messages';
export const OLDEST_PARKED_METRIC = 'kurrentdb_persistent_sub_oldest_parked_message_seconds';

const SCRAPE_DEADLINE_MS = 2000;

export function registerParkedMetrics(
  registry: Registry,
  client: EventStoreDBClient,
  names: GroupNames,
  logger: Logger,
  now: () => number = Date.now,
): void {
  const labels = { event_stream_id: names.inputStream, group_name: names.processingGroup };
  const labelNames = ['event_stream_id', 'group_name'];
  // One measurement per scrape, shared by both gauges (a scrape collects them concurrently).
  let pending: Promise<{ count: number; oldestSeconds: number } | undefined> | undefined;
  const measure = () =>
    (pending ??= (async () => {
      try {
        const info = await client.getPersistentSubscriptionToStreamInfo(
          names.inputStream,
          names.processingGroup,
          { deadline: SCRAPE_DEADLINE_MS },
        );
        // The server truncates the parked stream as it replays, so its first entry is the oldest still parked.
        const [oldest] = await readParkedEntries(client, names, 1, SCRAPE_DEADLINE_MS);
        const oldestSeconds = oldest ? Math.max(0, (now() - oldest.parkedAt.getTime()) / 1000) : 0;
        return { count: Number(info.stats.parkedMessageCount), oldestSeconds };
      } catch (error) {
        logger.debug({ err: error }, 'could not measure parked messages');
        return undefined;
      }
    })().finally(() => (pending = undefined)));
  const gaugeOf = (
    name: string,
    help: string,
    value: (m: { count: number; oldestSeconds: number }) => number,
  ) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        const measured = await measure();
        // Left out of this scrape rather than reported as 0: an alert must not clear because the store is down.
        if (measured) this.set(labels, value(measured));
        else this.remove(labels);
      },
    });
  gaugeOf(PARKED_MESSAGES_METRIC, 'Number of parked messages of the processing group', (m) => m.count);
  gaugeOf(
    OLDEST_PARKED_METRIC,
    'Age of the oldest parked message of the processing group, 0 when none is parked',
    (m) => m.oldestSeconds,
  );
}
