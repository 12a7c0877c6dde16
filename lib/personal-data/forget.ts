import { v5 as uuidv5 } from 'uuid';
import type { EventStoreDBClient } from '@eventstore/db-client';
import { CUSTOMER_STREAM_PREFIX, type CustomerForgotten } from '../../contracts/personal-data/events';
import { appendEvents } from '../eventstore';
import type { KeyStore } from './key-store';

const FORGET_NAMESPACE = '0c1f6a52-93d4-4c7e-b1a8-6f2e9d3b7a40';

/**
 * Forgets a customer: deletes the key (so every sealed value of theirs, in every event and read model, can no
 * longer be read) and records it as `CustomerForgotten`. The event id derives from the key, so forgetting twice
 * records it once. The gateway's DELETE route and `admin customers forget` both come here.
 */
export async function forgetCustomer(
  keys: KeyStore,
  client: EventStoreDBClient,
  customerId: string,
  now: Date,
): Promise<'forgotten' | 'unknown'> {
  const result = await keys.forget(customerId, now);
  if (result.outcome === 'unknown' || result.kid === undefined) return 'unknown';
  const event: CustomerForgotten = {
    type: 'CustomerForgotten',
    data: { customerId, kid: result.kid, forgottenAt: now.toISOString() },
  };
  await appendEvents(
    client,
    CUSTOMER_STREAM_PREFIX + customerId,
    [
      {
        id: uuidv5(`${result.kid}/forgotten`, FORGET_NAMESPACE),
        type: event.type,
        data: { ...event.data },
        metadata: {},
      },
    ],
    'any',
  );
  return 'forgotten';
}
