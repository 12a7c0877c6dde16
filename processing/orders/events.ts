import type { Personal } from '../personal-data/sealed';

/**
 * Events of the Order aggregate, stream `order-<orderId>`. Money is integer minor units of `currency`.
 * The order stream is the consistency boundary of every rule that spans an order's payments and shipment, so
 * a payment, a refund and a shipment each record their effect here first (PaymentApplied, RefundApplied,
 * ShipmentRegistered), guarded by the revision the decision read, and only then on their own stream.
 */
export interface OrderLine {
  readonly sku: string;
  readonly quantity: number;
  readonly unitPrice: number;
}

/** The customer's id stays plain (decisions and reports need it); name and e-mail are sealed in events. */
export interface Customer {
  readonly id: string;
  readonly name: Personal<string>;
  readonly email?: Personal<string>;
}

export interface Address {
  readonly line1: string;
  readonly line2?: string;
  readonly city: string;
  readonly postcode: string;
  readonly country: string;
}

export interface OrderPlaced {
  readonly type: 'OrderPlaced';
  readonly data: {
    readonly orderId: string;
    readonly customer: Customer;
    readonly lines: readonly OrderLine[];
    readonly currency: string;
    readonly total: number;
    readonly shippingAddress?: Personal<Address>;
    readonly placedAt: string;
  };
}

export interface OrderCancelled {
  readonly type: 'OrderCancelled';
  /** Carries what was cancelled so readers need no lookup: the order's currency and total. */
  readonly data: {
    readonly orderId: string;
    readonly reason: string;
    readonly currency: string;
    readonly total: number;
    readonly cancelledAt: string;
  };
}

/** A payment counted against the order's total; the Payment aggregate then records it on `payment-<id>`. */
export interface PaymentApplied {
  readonly type: 'PaymentApplied';
  readonly data: {
    readonly orderId: string;
    readonly paymentId: string;
    readonly amount: number;
    readonly currency: string;
    readonly appliedAt: string;
  };
}

/**
 * A refund of one payment, decided on the order: by a refund request, or by a cancellation for every payment
 * with money left (refundId `cancel-<orderId>`), which the refund reactor then carries to the payment stream.
 */
export interface RefundApplied {
  readonly type: 'RefundApplied';
  readonly data: {
    readonly orderId: string;
    readonly paymentId: string;
    readonly refundId: string;
    readonly amount: number;
    readonly currency: string;
    readonly reason: string;
    readonly appliedAt: string;
  };
}

/** The order's one shipment, registered before the Shipping aggregate dispatches it on `shipping-<id>`. */
export interface ShipmentRegistered {
  readonly type: 'ShipmentRegistered';
  readonly data: {
    readonly orderId: string;
    readonly shipmentId: string;
    readonly carrier: string;
    readonly trackingNumber: string;
    readonly registeredAt: string;
  };
}

export type OrderEvent = OrderPlaced | OrderCancelled | PaymentApplied | RefundApplied | ShipmentRegistered;

export const ORDER_STREAM_PREFIX = 'order-';

/** The refundId a cancellation gives the refunds it decides, one per payment. */
export function cancellationRefundId(orderId: string): string {
  return `cancel-${orderId}`;
}
