import { z } from 'zod';
import { parseAmount } from '../money/money';
import type { OrderPlaced } from '../events/orders';

/**
 * `OrderPlaced` as the first release wrote it (schema version 0): the customer flattened into `customerId` /
 * `customerName`, lines with `qty` and a decimal-string `price` in the major unit, the total as a decimal string.
 * Version 1 nests the customer and holds integer minor units.
 */
const orderPlacedV0 = z.object({
  orderId: z.string(),
  customerId: z.string(),
  customerName: z.string().optional(),
  currency: z.string(),
  lines: z.array(z.object({ sku: z.string(), qty: z.number(), price: z.string() })),
  total: z.string().optional(),
  placedAt: z.string(),
});

export type Upcasted =
  { readonly ok: true; readonly data: unknown } | { readonly ok: false; readonly reason: string };

export function orderPlacedV0ToV1(data: unknown): Upcasted {
  const parsed = orderPlacedV0.safeParse(data);
  if (!parsed.success) return { ok: false, reason: `not an OrderPlaced v0 shape: ${parsed.error.message}` };
  const old = parsed.data;
  const lines = [];
  for (const [index, line] of old.lines.entries()) {
    const price = parseAmount(line.price, old.currency);
    if (!price.ok) return { ok: false, reason: `lines[${index}].price: ${price.reason}` };
    lines.push({ sku: line.sku, quantity: line.qty, unitPrice: price.minor });
  }
  const total = lines.reduce((sum, l) => sum + l.quantity * l.unitPrice, 0);
  const upcasted: OrderPlaced['data'] = {
    orderId: old.orderId,
    // v0 kept no name for some customers; the id is the only honest stand-in.
    customer: { id: old.customerId, name: old.customerName ?? old.customerId },
    lines,
    currency: old.currency,
    total,
    placedAt: old.placedAt,
  };
  return { ok: true, data: upcasted };
}
