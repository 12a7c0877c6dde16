import type { OrderDocument, OrderPaymentView, OrderStatus } from '../../contracts/read-models/orders';

/** What an order document records; everything else on it (status, sums) is derived from these. */
export type RecordedOrderFields = Omit<OrderDocument, 'status' | 'paid' | 'refunded' | 'payments'> & {
  readonly payments: readonly Omit<OrderPaymentView, 'refunded'>[];
};

/**
 * Status rules. Cancelled wins (the order aggregate only cancels before shipping, and the projection ignores a
 * cancel of a shipped order); then the shipment decides (Shipped, Delivered); otherwise the net amount paid
 * (payments minus refunds) against the total: nothing → Placed, some → PartiallyPaid, all → Paid.
 * A refund of a paid order that is neither cancelled nor shipped therefore moves it back to PartiallyPaid (or
 * Placed when everything was refunded): the status tells what is still owed. Refunds of a cancelled order (the
 * saga refunding its payments) or of a shipped one change the sums, not the status.
 */
export function orderStatus(facts: RecordedOrderFields, paid: number, refunded: number): OrderStatus {
  if (facts.cancelledAt !== undefined) return 'Cancelled';
  if (facts.shipment?.deliveredAt !== undefined) return 'Delivered';
  if (facts.shipment) return 'Shipped';
  const net = paid - refunded;
  if (net >= facts.total) return 'Paid';
  return net > 0 ? 'PartiallyPaid' : 'Placed';
}

const sum = (amounts: readonly number[]): number => amounts.reduce((total, amount) => total + amount, 0);

/**
 * Builds the document from its facts with the derived fields recomputed and the keys in one fixed order, so the
 * same history always gives the same BSON bytes; optional fields are left out rather than stored as null.
 */
export function orderDocument(facts: RecordedOrderFields): OrderDocument {
  const payments = facts.payments.map((payment) => ({
    paymentId: payment.paymentId,
    amount: payment.amount,
    refunded: sum(facts.refunds.filter((r) => r.paymentId === payment.paymentId).map((r) => r.amount)),
    method: payment.method,
    recordedAt: payment.recordedAt,
  }));
  const paid = sum(payments.map((payment) => payment.amount));
  const refunded = sum(facts.refunds.map((refund) => refund.amount));
  return {
    _id: facts._id,
    status: orderStatus(facts, paid, refunded),
    customer: {
      id: facts.customer.id,
      name: facts.customer.name,
      ...(facts.customer.email === undefined ? {} : { email: facts.customer.email }),
    },
    lines: facts.lines.map((line) => ({ sku: line.sku, quantity: line.quantity, unitPrice: line.unitPrice })),
    currency: facts.currency,
    total: facts.total,
    paid,
    refunded,
    payments,
    refunds: facts.refunds.map((refund) => ({
      paymentId: refund.paymentId,
      amount: refund.amount,
      reason: refund.reason,
      refundedAt: refund.refundedAt,
    })),
    shipment: facts.shipment && {
      shipmentId: facts.shipment.shipmentId,
      carrier: facts.shipment.carrier,
      trackingNumber: facts.shipment.trackingNumber,
      shippedAt: facts.shipment.shippedAt,
      ...(facts.shipment.deliveredAt === undefined ? {} : { deliveredAt: facts.shipment.deliveredAt }),
    },
    placedAt: facts.placedAt,
    updatedAt: facts.updatedAt,
    ...(facts.cancelledAt === undefined ? {} : { cancelledAt: facts.cancelledAt }),
    ...(facts.cancelReason === undefined ? {} : { cancelReason: facts.cancelReason }),
    _position: facts._position,
  };
}
