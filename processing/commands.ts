import type { Address, Customer, OrderLine } from '../contracts/events/orders';
import type { Personal } from '../contracts/personal-data/sealed';

/** What the adapters make of a raw message and the aggregates decide on. Money is integer minor units. */
export interface PlaceOrder {
  readonly type: 'PlaceOrder';
  readonly orderId: string;
  readonly customer: Customer;
  readonly lines: readonly OrderLine[];
  readonly currency: string;
  readonly shippingAddress?: Personal<Address>;
}

export interface CancelOrder {
  readonly type: 'CancelOrder';
  readonly orderId: string;
  readonly reason: string;
}

export interface RecordPayment {
  readonly type: 'RecordPayment';
  readonly paymentId: string;
  readonly orderId: string;
  readonly amount: number;
  readonly currency: string;
  readonly method: string;
}

/**
 * A refund amount in minor units, or — when the sender did not say the currency (a web/v1 refund names only
 * the payment) — the major-unit decimal as sent, which the Payment aggregate converts with the payment's currency.
 */
export type RefundAmount = { readonly minor: number } | { readonly major: string };

export interface RefundPayment {
  readonly type: 'RefundPayment';
  readonly paymentId: string;
  readonly amount: RefundAmount;
  readonly reason: string;
  /** The currency the sender believes the payment is in, when it said so; a mismatch is a rejection. */
  readonly currency?: string;
  /**
   * Names this refund within its payment, so a redelivered or re-sent refund is a no-op instead of a second
   * refund (the adapters derive it from the requestId when the sender names none; a cancellation names its
   * refunds `cancel-<orderId>`).
   */
  readonly refundId: string;
}

/**
 * A refund as the order decides it: the payment's order and currency are known and the amount is in minor units.
 * Made by the refund workflow from a RefundPayment once the payment is loaded; senders never send it.
 */
export interface ApplyRefund {
  readonly type: 'ApplyRefund';
  readonly orderId: string;
  readonly paymentId: string;
  readonly refundId: string;
  readonly amount: number;
  readonly currency: string;
  readonly reason: string;
}

export interface ShipOrder {
  readonly type: 'ShipOrder';
  readonly shipmentId: string;
  readonly orderId: string;
  readonly carrier: string;
  readonly trackingNumber: string;
}

export interface ConfirmDelivery {
  readonly type: 'ConfirmDelivery';
  readonly shipmentId: string;
}

/** What the Order aggregate decides: its own commands, and the order's side of payments, refunds and shipments. */
export type OrderCommand = PlaceOrder | CancelOrder | RecordPayment | ApplyRefund | ShipOrder;
export type PaymentCommand = RecordPayment | RefundPayment;
export type ShippingCommand = ShipOrder | ConfirmDelivery;
/** What the adapters make of raw input. */
export type ShopCommand = PlaceOrder | CancelOrder | PaymentCommand | ShippingCommand;
