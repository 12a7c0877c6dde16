import type { Personal } from '../personal-data/sealed';
import type { ReadModelDocument } from './read-model';

export const ORDERS_COLLECTION = 'orders';

export const ORDER_STATUSES = [
  'Placed',
  'PartiallyPaid',
  'Paid',
  'Shipped',
  'Delivered',
  'Cancelled',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** As the events carry it: name and e-mail sealed, opened only when an answer is given (shop-api). */
export interface OrderCustomer {
  readonly id: string;
  readonly name: Personal<string>;
  readonly email?: Personal<string>;
}

export interface OrderLineView {
  readonly sku: string;
  readonly quantity: number;
  readonly unitPrice: number;
}

export interface OrderPaymentView {
  readonly paymentId: string;
  readonly amount: number;
  /** Sum of this payment's refunds, derived from `refunds`. */
  readonly refunded: number;
  readonly method: string;
  readonly recordedAt: string;
}

export interface OrderRefundView {
  readonly paymentId: string;
  readonly amount: number;
  readonly reason: string;
  readonly refundedAt: string;
}

export interface OrderShipmentView {
  readonly shipmentId: string;
  readonly carrier: string;
  readonly trackingNumber: string;
  readonly shippedAt: string;
  readonly deliveredAt?: string;
}

/** The `orders` read model: one document per order. Amounts are integer minor units of `currency`. */
export interface OrderDocument extends ReadModelDocument {
  readonly status: OrderStatus;
  readonly customer: OrderCustomer;
  readonly lines: readonly OrderLineView[];
  readonly currency: string;
  readonly total: number;
  /** Sum of payments received (before refunds). */
  readonly paid: number;
  /** Sum of refunds. */
  readonly refunded: number;
  readonly payments: readonly OrderPaymentView[];
  readonly refunds: readonly OrderRefundView[];
  readonly shipment: OrderShipmentView | null;
  readonly placedAt: string;
  readonly updatedAt: string;
  readonly cancelledAt?: string;
  readonly cancelReason?: string;
}

/** The events this read model is made of: its projection handles these and no others. */
export const ORDERS_EVENT_TYPES = [
  'OrderPlaced',
  'OrderCancelled',
  'PaymentRecorded',
  'PaymentRefunded',
  'OrderShipped',
  'ShipmentDelivered',
] as const;
