import {
  PersistentSubscriptionDoesNotExistError,
  type EventStoreDBClient,
  type PersistentSubscriptionToStreamInfo,
} from '@eventstore/db-client';
import { fields, plural, table } from './format';
import { done, failed, SERVER_DEADLINE_MS, type CommandOutcome } from './outcome';

export interface GroupNames {
  readonly inputStream: string;
  readonly processingGroup: string;
}

const revision = (value: bigint | undefined) => (value === undefined ? 'none yet' : String(value));

export function formatSubscriptionInfo(info: PersistentSubscriptionToStreamInfo): string {
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
    ['max retry count', String(info.settings.maxRetryCount)],
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
): Promise<CommandOutcome> {
  try {
    const info = await client.getPersistentSubscriptionToStreamInfo(
      names.inputStream,
      names.processingGroup,
      {
        deadline: SERVER_DEADLINE_MS,
      },
    );
    return done(formatSubscriptionInfo(info));
  } catch (error) {
    if (error instanceof PersistentSubscriptionDoesNotExistError) return groupMissing(names);
    throw error;
  }
}
