import { v4 as uuidv4, v5 as uuidv5 } from 'uuid';
import type { EventStoreDBClient } from '@eventstore/db-client';
import { appendEvents } from '../../lib/eventstore';
import { SHOP_DATA_RECEIVED, type ShopDataReceivedMetadata } from '../../processing/requests/events';
import type { ShopData } from './shop-data';

/** Namespace for request ids derived from Idempotency-Key headers (UUID v5). */
const IDEMPOTENCY_NAMESPACE = '5b8f6f2e-7c1a-4e52-9d0b-3f6a1c2d4e8f';
export const APPEND_DEADLINE_MS = 5000;

/** The gateway's one port to the event store: store a received message, answer its requestId. */
export interface InputPublisher {
  publish(data: ShopData, idempotencyKey: string | undefined, receivedAt: Date): Promise<string>;
}

/**
 * The requestId doubles as the input event id. With an Idempotency-Key it is derived from the sender and the key,
 * so a retry appends an event id the store already holds and EventStoreDB keeps the first one only.
 */
export function requestIdFor(source: string, idempotencyKey: string | undefined): string {
  return idempotencyKey === undefined
    ? uuidv4()
    : uuidv5(`${source}\n${idempotencyKey}`, IDEMPOTENCY_NAMESPACE);
}

export function eventStoreInputPublisher(client: EventStoreDBClient, inputStream: string): InputPublisher {
  return {
    async publish(data, idempotencyKey, receivedAt) {
      const requestId = requestIdFor(data.source, idempotencyKey);
      const metadata: ShopDataReceivedMetadata = {
        applies: data.applies,
        source: data.source,
        profile: data.profile,
        receivedAt: receivedAt.toISOString(),
        $correlationId: requestId,
      };
      await appendEvents(
        client,
        inputStream,
        [{ id: requestId, type: SHOP_DATA_RECEIVED, data: data.payload, metadata: { ...metadata } }],
        'any',
        APPEND_DEADLINE_MS,
      );
      return requestId;
    },
  };
}
