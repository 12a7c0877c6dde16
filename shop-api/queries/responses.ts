import { formatAmount } from '../../contracts/money/money';
import type { ShopDataReceivedMetadata } from '../../contracts/events/requests';
import type { RevealedCustomer } from '../customers/reveal';
import type { OrderDocument } from '../../contracts/read-models/orders';
import type { RequestDocument } from '../../contracts/read-models/requests';
import type { SalesDayDocument } from '../../contracts/read-models/sales-daily';

/**
 * Read-model documents as the API shows them: camelCase, amounts as decimal strings in the major unit. An order's
 * `customer` comes with its personal fields opened (or `erased`), masked unless the caller has `shop:pii`.
 */
export function orderResponse(doc: OrderDocument, customer: RevealedCustomer) {
  const money = (minor: number) => formatAmount(minor, doc.currency);
  return {
    id: doc._id,
    status: doc.status,
    customer,
    lines: doc.lines.map((line) => ({
      sku: line.sku,
      quantity: line.quantity,
      unitPrice: money(line.unitPrice),
    })),
    currency: doc.currency,
    total: money(doc.total),
    paid: money(doc.paid),
    refunded: money(doc.refunded),
    // A cancelled order owes nothing; otherwise what is not paid net of refunds (never clamped: an overpayment
    // would show as a negative amount rather than hide).
    outstanding: money(doc.cancelledAt === undefined ? doc.total - doc.paid + doc.refunded : 0),
    payments: doc.payments.map((p) => ({ ...p, amount: money(p.amount), refunded: money(p.refunded) })),
    refunds: doc.refunds.map((r) => ({ ...r, amount: money(r.amount) })),
    shipment: doc.shipment,
    placedAt: doc.placedAt,
    updatedAt: doc.updatedAt,
    ...(doc.cancelledAt === undefined
      ? {}
      : { cancelledAt: doc.cancelledAt, cancelReason: doc.cancelReason }),
  };
}

/** A request this gateway stored that the read model does not show yet. */
export function acceptedRequestResponse(requestId: string, metadata: ShopDataReceivedMetadata) {
  return {
    requestId,
    status: 'accepted',
    applies: metadata.applies,
    source: metadata.source,
    profile: metadata.profile,
    receivedAt: metadata.receivedAt,
    updatedAt: metadata.receivedAt,
  };
}

export function requestResponse(doc: RequestDocument) {
  return {
    requestId: doc._id,
    status: doc.status,
    applies: doc.applies,
    source: doc.source,
    profile: doc.profile,
    receivedAt: doc.receivedAt,
    updatedAt: doc.updatedAt,
    ...(doc.reason === undefined ? {} : { reason: doc.reason }),
    ...(doc.resultIds === undefined ? {} : { resultIds: doc.resultIds }),
    ...(doc.status === 'parked' && doc.parked ? { parked: { reason: doc.reason, ...doc.parked } } : {}),
  };
}

export function salesDayResponse(doc: SalesDayDocument) {
  const money = (minor: string | number) => formatAmount(BigInt(minor), doc.currency);
  return {
    day: doc.day,
    currency: doc.currency,
    ordersPlaced: doc.ordersPlaced,
    ordersCancelled: doc.ordersCancelled,
    revenuePlaced: money(doc.revenuePlaced),
    revenuePaid: money(doc.revenuePaid),
    revenueRefunded: money(doc.revenueRefunded),
    unitsBySku: doc.unitsBySku,
  };
}

/** Sums per currency over the days of a report. */
export function salesTotals(days: readonly SalesDayDocument[]) {
  const byCurrency = new Map<
    string,
    { ordersPlaced: number; ordersCancelled: number; placed: bigint; paid: bigint; refunded: bigint }
  >();
  for (const day of days) {
    const total = byCurrency.get(day.currency) ?? {
      ordersPlaced: 0,
      ordersCancelled: 0,
      placed: 0n,
      paid: 0n,
      refunded: 0n,
    };
    byCurrency.set(day.currency, {
      ordersPlaced: total.ordersPlaced + day.ordersPlaced,
      ordersCancelled: total.ordersCancelled + day.ordersCancelled,
      placed: total.placed + BigInt(day.revenuePlaced),
      paid: total.paid + BigInt(day.revenuePaid),
      refunded: total.refunded + BigInt(day.revenueRefunded),
    });
  }
  return [...byCurrency].map(([currency, t]) => ({
    currency,
    ordersPlaced: t.ordersPlaced,
    ordersCancelled: t.ordersCancelled,
    revenuePlaced: formatAmount(t.placed, currency),
    revenuePaid: formatAmount(t.paid, currency),
    revenueRefunded: formatAmount(t.refunded, currency),
  }));
}
