import { ERASED } from '../../contracts/personal-data/sealed';
import type { RevealedCustomer } from '../customers/reveal';

/**
 * What a caller without `shop:pii` sees of a customer: the id (it is what orders are filtered by) and enough of
 * the name and e-mail to tell two customers apart in a list, never enough to contact them.
 */
const MASK = '***';

/** `Ada Lovelace` → `A*** L***`. */
export function maskName(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .map((part) => `${Array.from(part)[0] ?? ''}${MASK}`)
    .join(' ');
}

/** `ada@example.com` → `a***@***.com`: the top-level domain only. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  const first = Array.from(email)[0] ?? '';
  if (at < 0) return `${first}${MASK}`;
  const domain = email.slice(at + 1);
  const dot = domain.lastIndexOf('.');
  return `${first}${MASK}@${MASK}${dot < 0 ? '' : domain.slice(dot)}`;
}

/** An erased value stays `erased`: there is nothing left to mask. */
export function maskCustomer(customer: RevealedCustomer): RevealedCustomer {
  const mask = (value: string, how: (text: string) => string) => (value === ERASED ? value : how(value));
  return {
    id: customer.id,
    name: mask(customer.name, maskName),
    ...(customer.email === undefined ? {} : { email: mask(customer.email, maskEmail) }),
  };
}
