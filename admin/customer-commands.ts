import type { EventStoreDBClient } from '@eventstore/db-client';
import { forgetCustomer } from '../lib/personal-data/forget';
import type { KeyStore } from '../lib/personal-data/key-store';
import { done, failed, type CommandOutcome } from './outcome';

/** `customers forget <id>`: the same as the gateway's DELETE …/personal-data. */
export async function customersForget(
  keys: KeyStore,
  client: EventStoreDBClient,
  customerId: string,
): Promise<CommandOutcome> {
  const outcome = await forgetCustomer(keys, client, customerId, new Date());
  return outcome === 'unknown'
    ? failed(`no customer ${customerId}: nothing to forget`)
    : done(`customer ${customerId} forgotten: their personal data can no longer be read`);
}
