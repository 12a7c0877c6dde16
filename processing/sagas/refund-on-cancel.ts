import type { RefundPayment } from '../commands';
import type { OrderFacts } from '../facts/order-facts';
import type { OrderCancelled } from '../orders/events';

/**
 * When a paid order is cancelled, every payment is refunded what is left of it. Pure: the host runs it on live
 * events only, so replaying history never refunds twice; payments with nothing left are skipped.
 */
export function refundsForCancelledOrder(
  event: OrderCancelled,
  facts: OrderFacts | undefined,
): RefundPayment[] {
  if (facts === undefined) return [];
  const { orderId, reason } = event.data;
  const why = reason === '' ? `order ${orderId} was cancelled` : `order ${orderId} was cancelled: ${reason}`;
  return Object.entries(facts.payments)
    .filter(([, payment]) => payment.amount - payment.refunded > 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([paymentId, payment]) => ({
      type: 'RefundPayment',
      paymentId,
      amount: { minor: payment.amount - payment.refunded },
      reason: why,
      // One cancellation per order, so this names the refund uniquely within each payment.
      refundId: `cancel-${orderId}`,
    }));
}
