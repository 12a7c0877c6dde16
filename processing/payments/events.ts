/** Events of the Payment aggregate, stream `payment-<paymentId>`. Amounts are integer minor units. */
export interface PaymentRecorded {
  readonly type: 'PaymentRecorded';
  readonly data: {
    readonly paymentId: string;
    readonly orderId: string;
    readonly amount: number;
    readonly currency: string;
    readonly method: string;
    readonly recordedAt: string;
  };
}

export interface PaymentRefunded {
  readonly type: 'PaymentRefunded';
  readonly data: {
    readonly paymentId: string;
    readonly orderId: string;
    readonly amount: number;
    readonly currency: string;
    readonly reason: string;
    /**
     * Optional, added after the first contract: names the refund so a repeat of the same refund changes nothing.
     * Absent on refunds recorded without one; readers may ignore it.
     */
    readonly refundId?: string;
    readonly refundedAt: string;
  };
}

export type PaymentEvent = PaymentRecorded | PaymentRefunded;
export const PAYMENT_STREAM_PREFIX = 'payment-';
