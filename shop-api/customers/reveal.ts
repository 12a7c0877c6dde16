import { unseal, type CustomerKey } from '../../lib/personal-data/cipher';
import type { KeyStore } from '../../lib/personal-data/key-store';
import { ERASED, isSealed, type Personal } from '../../contracts/personal-data/sealed';
import type { OrderCustomer } from '../../contracts/read-models/orders';

export interface RevealedCustomer {
  readonly id: string;
  readonly name: string;
  readonly email?: string;
}

/**
 * Opens the sealed personal fields of an answer with the customer's key. The read models keep the ciphertext the
 * events carry, so a forgotten customer (no key) reads as `erased` everywhere at once, and a rebuild can never
 * bring the data back.
 */
export function customerRevealer(keys: KeyStore) {
  return async (customer: OrderCustomer): Promise<RevealedCustomer> => {
    let key: Promise<CustomerKey | undefined> | undefined;
    const open = async (value: Personal<string>): Promise<string> => {
      if (!isSealed(value)) return value;
      key ??= keys.find(customer.id);
      const found = await key;
      const plain = found ? unseal(value, found) : undefined;
      return typeof plain === 'string' ? plain : ERASED;
    };
    const name = await open(customer.name);
    return customer.email === undefined
      ? { id: customer.id, name }
      : { id: customer.id, name, email: await open(customer.email) };
  };
}
