import {
  PersistentSubscriptionDoesNotExistError,
  type EventStoreDBClient,
  type PersistentSubscriptionToStreamInfo,
} from '@eventstore/db-client';
import type { GroupNames } from '../lib/parked-messages';
import { serverMaxRetryCount, type RetryPolicy } from '../processing/operations';
import { fields, plural, seconds, table } from './format';
import { done, failed, SERVER_DEADLINE_MS, type CommandOutcome } from './outcome';

export type { GroupNames };

const revision = (value: bigint | undefined) => (value === undefined ? 'none yet' : String(value));

/**
 * The processors' retry policy is what an operator compares with PROCESSING_MAX_RETRY; the group's own limit on the
 * server sits above every retry the processors ask for (see serverMaxRetryCount), so it is shown apart and named.
 */
function retryLines(info: PersistentSubscriptionToStreamInfo, policy: RetryPolicy): [string, string][] {
  const expected = serverMaxRetryCount(policy);
  const server = info.settings.maxRetryCount;
  return [
    ['max retry count', `${policy.maxRetryCount} (PROCESSING_MAX_RETRY: retries of a technical failure)`],
    [
      'wait window',
      `${seconds(policy.waitWindowMs / 1000)} s (PROCESSING_WAIT_WINDOW_MS: a message waiting for its predecessor is retried this long, then parked)`,
    ],
    [
      'server retry limit',
      `${server} (the group's own limit: the server parks on its own only messages no processor answered)` +
        (server === expected ? '' : `; processors with these settings set it to ${expected} when they start`),
    ],
  ];
}

export function formatSubscriptionInfo(
  info: PersistentSubscriptionToStreamInfo,
  policy: RetryPolicy,
): string {
  const { stats } = info;
  const summary = fields([
    ['group', `${info.groupName} on ${info.eventSource}`],
    ['status', info.status],
    ['consumers', String(info.connections.length)],
    ['in flight', String(stats.totalInFlightMessages)],
    ['parked messages', String(stats.parkedMessageCount)],
    ['last checkpoint', `revision ${revision(stats.lastCheckpointedEventRevision)}`],
    ['last known event', `revision ${revision(stats.lastKnownEventRevision)}`],
    ['retry buffer', String(stats.retryBufferCount)],
    ...retryLines(info, policy),
  ]);
  if (info.connections.length === 0) return `${summary}\n\nNo consumer is connected: start a processor.`;
  const consumers = table(
    ['consumer', 'from', 'in flight', 'free slots', 'items', 'items/s'],
    info.connections.map((connection) => [
      connection.connectionName || '(unnamed)',
      connection.from,
      String(connection.inFlightMessages),
      String(connection.availableSlots),
      String(connection.totalItems),
      connection.averageItemsPerSecond.toFixed(1),
    ]),
  );
  return `${summary}\n\n${plural(info.connections.length, 'consumer')}:\n${consumers}`;
}

/** A missing group is an expected answer (no processor has started yet), not a failure of the tool. */
export function groupMissing(names: GroupNames): CommandOutcome {
  return failed(
    `No subscription group "${names.processingGroup}" on stream "${names.inputStream}": ` +
      'start a processor (npm run processing) once to create it, or check INPUT_STREAM / PROCESSING_GROUP.',
  );
}

export async function subscriptionInfo(
  client: EventStoreDBClient,
  names: GroupNames,
  policy: RetryPolicy,
): Promise<CommandOutcome> {
  try {
    const info = await client.getPersistentSubscriptionToStreamInfo(
      names.inputStream,
      names.processingGroup,
      {
        deadline: SERVER_DEADLINE_MS,
      },
    );
    return done(formatSubscriptionInfo(info, policy));
  } catch (error) {
    if (error instanceof PersistentSubscriptionDoesNotExistError) return groupMissing(names);
    throw error;
  }
}
