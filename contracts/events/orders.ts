import { z } from 'zod';
import { personal } from '../personal-data/sealed';
import { currency, id, minorUnits, timestamp, type EventOf, type Immutable } from './event-shape';

/**
 * Events of the Order aggregate, stream `order-<orderId>`. Money is integer minor units of `currency`.
 * The order stream is the consistency boundary of every rule that spans an order's payments and shipment, so
 * a payment, a refund and a shipment each record their effect here first (PaymentApplied, RefundApplied,
 * ShipmentRegistered), guarded by the revision the decision read, and only then on their own stream.
 */
export const ORDER_STREAM_PREFIX = 'order-';

const orderLine = z.object({ sku: id, quantity: z.number().int().positive(), unitPrice: minorUnits });
export type OrderLine = Immutable<z.output<typeof orderLine>>;

/** The customer's id stays plain (decisions and reports need it); name and e-mail are sealed in events. */
const customer = z.object({ id, name: personal(z.string()), email: personal(z.string()).optional() });
export type Customer = Immutable<z.output<typeof customer>>;

const address = z.object({
  line1: z.string(),
  line2: z.string().optional(),
  city: z.string(),
  postcode: z.string(),
  country: z.string(),
});
export type Address = Immutable<z.output<typeof address>>;

export const orderPlacedData = z.object({
  orderId: id,
  customer,
  lines: z.array(orderLine),
  currency,
  total: minorUnits,
  shippingAddress: personal(address).optional(),
  placedAt: timestamp,
});
export type OrderPlaced = EventOf<'OrderPlaced', typeof orderPlacedData>;

/** Carries what was cancelled so readers need no lookup: the order's currency and total. */
export const orderCancelledData = z.object({
  orderId: id,
  reason: z.string(),
  currency,
  total: minorUnits,
  cancelledAt: timestamp,
});
export type OrderCancelled = EventOf<'OrderCancelled', typeof orderCancelledData>;

/** A payment counted against the order's total; the Payment aggregate then records it on `payment-<id>`. */
export const paymentAppliedData = z.object({
  orderId: id,
  paymentId: id,
  amount: minorUnits,
  currency,
  appliedAt: timestamp,
});
export type PaymentApplied = EventOf<'PaymentApplied', typeof paymentAppliedData>;

/**
 * A refund of one payment, decided on the order: by a refund request, or by a cancellation for every payment
 * with money left (refundId `cancel-<orderId>`), which the refund reactor then carries to the payment stream.
 */
export const refundAppliedData = z.object({
  orderId: id,
  paymentId: id,
  refundId: id,
  amount: minorUnits,
  currency,
  reason: z.string(),
  appliedAt: timestamp,
});
export type RefundApplied = EventOf<'RefundApplied', typeof refundAppliedData>;

/** The order's one shipment, registered before the Shipping aggregate dispatches it on `shipping-<id>`. */
export const shipmentRegisteredData = z.object({
  orderId: id,
  shipmentId: id,
  carrier: z.string(),
  trackingNumber: z.string(),
  registeredAt: timestamp,
});
export type ShipmentRegistered = EventOf<'ShipmentRegistered', typeof shipmentRegisteredData>;

export type OrderEvent = OrderPlaced | OrderCancelled | PaymentApplied | RefundApplied | ShipmentRegistered;

/** The refundId a cancellation gives the refunds it decides, one per payment. */
export function cancellationRefundId(orderId: string): string {
  return `cancel-${orderId}`;
}
