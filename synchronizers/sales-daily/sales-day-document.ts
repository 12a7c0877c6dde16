import type { SalesDayDocument } from '../../contracts/read-models/sales-daily';

export const salesDayId = (day: string, currency: string): string => `${day}:${currency}`;

export function emptySalesDay(day: string, currency: string): SalesDayDocument {
  return {
    _id: salesDayId(day, currency),
    day,
    currency,
    ordersPlaced: 0,
    ordersCancelled: 0,
    revenuePlaced: '0',
    revenuePaid: '0',
    revenueRefunded: '0',
    unitsBySku: {},
    _position: 0,
  };
}

/** Exact sum of minor units; also reads documents written when revenue was a number. */
export function addMinor(sum: string | number, amount: number): string {
  return (BigInt(sum) + BigInt(amount)).toString();
}

/**
 * Adds units per SKU. SKUs are sorted so one history always gives the same BSON bytes; `Object.fromEntries`
 * defines own properties, so a SKU such as `__proto__` is counted rather than changing the object's prototype.
 */
export function addUnits(
  unitsBySku: Readonly<Record<string, number>>,
  lines: readonly { readonly sku: string; readonly quantity: number }[],
): Record<string, number> {
  const units = new Map(Object.entries(unitsBySku));
  for (const line of lines) units.set(line.sku, (units.get(line.sku) ?? 0) + line.quantity);
  return Object.fromEntries([...units].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
