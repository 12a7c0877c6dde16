/** Events of the Order aggregate, stream `order-<orderId>`. Money is integer minor units of `currency`. */
export interface OrderLine {
  readonly sku: string;
  readonly quantity: number;
  readonly unitPrice: number;
}

export interface Customer {
  readonly id: string;
  readonly name: string;
  readonly email?: string;
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
    readonly shippingAddress?: Address;
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

export type OrderEvent = OrderPlaced | OrderCancelled;
export const ORDER_STREAM_PREFIX = 'order-';
