import { seal, type CustomerKey } from '../../lib/personal-data/cipher';
import type { KeyStore } from '../../lib/personal-data/key-store';
import type { ShopCommand } from '../commands';
import { isSealed } from '../../contracts/personal-data/sealed';

function sealed<T>(value: T, path: string, key: CustomerKey) {
  return isSealed(value) ? value : seal(value, path, key);
}

/**
 * Seals the personal fields of a command with its customer's key (created on first use), so the events decided
 * from it carry only ciphertext. Only placing an order brings personal data; other commands pass unchanged.
 */
export function personalDataSealer(keys: KeyStore) {
  return async (command: ShopCommand): Promise<ShopCommand> => {
    if (command.type !== 'PlaceOrder') return command;
    const { customer, shippingAddress } = command;
    const key = await keys.keyFor(customer.id);
    return {
      ...command,
      customer: {
        id: customer.id,
        name: sealed(customer.name, 'customer.name', key),
        ...(customer.email === undefined ? {} : { email: sealed(customer.email, 'customer.email', key) }),
      },
      ...(shippingAddress === undefined
        ? {}
        : { shippingAddress: sealed(shippingAddress, 'shippingAddress', key) }),
    };
  };
}
