/** Appended to `customer-<customerId>` when a customer is forgotten: the key `kid` is gone for good. */
export interface CustomerForgotten {
  readonly type: 'CustomerForgotten';
  readonly data: { readonly customerId: string; readonly kid: string; readonly forgottenAt: string };
}

export const CUSTOMER_STREAM_PREFIX = 'customer-';
