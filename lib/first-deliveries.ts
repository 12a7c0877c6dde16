import {
  BACKWARDS,
  END,
  StreamNotFoundError,
  type EventStoreDBClient,
  type PersistentSubscriptionToStreamResolvedEvent,
} from '@eventstore/db-client';
import type { GroupSource } from './persistent-consumer';

/** Where the group's source ends now: a stream's last revision (-1 when empty), or `$all`'s last commit position. */
async function sourceHead(client: EventStoreDBClient, source: GroupSource): Promise<bigint> {
  const last = { direction: BACKWARDS, maxCount: 1 } as const;
  let head = -1n;
  try {
    // Read to the end (one event) rather than leave the loop early: an abandoned read keeps its call open.
    const read =
      'stream' in source
        ? client.readStream(source.stream, { ...last, fromRevision: END })
        : client.readAll({ ...last, fromPosition: END });
    for await (const resolved of read) {
      head = ('stream' in source ? resolved.event?.revision : resolved.event?.position?.commit) ?? head;
    }
  } catch (error) {
    if (!(error instanceof StreamNotFoundError)) throw error;
  }
  return head;
}

export interface DeliveryHistory {
  /** True only when the group cannot have delivered this message before (to this consumer or any other). */
  isFirstDelivery(resolved: PersistentSubscriptionToStreamResolvedEvent): boolean;
}

/**
 * What one persistent-subscription connection can tell of a message's past. The server delivers a message again
 * with a higher retry count (a nack, a timeout, a consumer gone), as a resolved link from the parked stream when
 * parked messages are replayed, or from the group's checkpoint with retry count 0 when the group restarts — and a
 * restart (server restart, update, subsystem restart) drops every connection. So on one connection, a message with
 * retry count 0 that is no link and was appended after the connection was confirmed is delivered for the first
 * time. Until the source's head is known, every message counts as possibly seen before.
 */
export function deliveryHistory(
  client: EventStoreDBClient,
  source: GroupSource,
  subscription: NodeJS.EventEmitter,
): DeliveryHistory {
  let head: bigint | undefined;
  subscription.once('confirmation', () => {
    sourceHead(client, source).then(
      (at) => (head = at),
      () => undefined,
    );
  });
  return {
    isFirstDelivery(resolved) {
      if (head === undefined || resolved.retryCount > 0 || resolved.link !== undefined) return false;
      const at = 'stream' in source ? resolved.event?.revision : resolved.event?.position?.commit;
      return at !== undefined && at > head;
    },
  };
}
