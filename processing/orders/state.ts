import type { DomainEvent } from '../../contracts/events/domain';
import type { OrderPlaced, ShipmentRegistered } from '../../contracts/events/orders';

export type PlacedOrder = OrderPlaced['data'];
export type RegisteredShipment = ShipmentRegistered['data'];

/** One payment as the order counts it, with its refunds by refundId (to recognise a repeat). */
export interface AppliedPayment {
  readonly amount: number;
  readonly currency: string;
  readonly refunded: number;
  readonly refunds: Readonly<Record<string, { readonly amount: number; readonly reason: string }>>;
}

/** The Order aggregate as decide needs it, folded from `order-<id>`. */
export interface OrderState {
  readonly placed: PlacedOrder | undefined;
  readonly cancelled: boolean;
  /** By paymentId, in the order they were applied. */
  readonly payments: Readonly<Record<string, AppliedPayment>>;
  readonly shipment: RegisteredShipment | undefined;
}

export const initialState: OrderState = {
  placed: undefined,
  cancelled: false,
  payments: {},
  shipment: undefined,
};

export function evolve(state: OrderState, event: DomainEvent): OrderState {
  switch (event.type) {
    case 'OrderPlaced':
      return { ...state, placed: event.data };
    case 'OrderCancelled':
      return { ...state, cancelled: true };
    case 'PaymentApplied': {
      const { paymentId, amount, currency } = event.data;
      const payment: AppliedPayment = { amount, currency, refunded: 0, refunds: {} };
      return { ...state, payments: { ...state.payments, [paymentId]: payment } };
    }
    case 'RefundApplied': {
      const { paymentId, refundId, amount, reason } = event.data;
      const payment = state.payments[paymentId];
      if (payment === undefined) return state;
      const refunded: AppliedPayment = {
        ...payment,
        refunded: payment.refunded + amount,
        refunds: { ...payment.refunds, [refundId]: { amount, reason } },
      };
      return { ...state, payments: { ...state.payments, [paymentId]: refunded } };
    }
    case 'ShipmentRegistered':
      return { ...state, shipment: event.data };
    default:
      return state;
  }
}

/** Payments net of refunds, in minor units. */
export function netPaid(state: OrderState): number {
  return Object.values(state.payments).reduce((sum, p) => sum + p.amount - p.refunded, 0);
}

/** What a payment may still cover: the total less what is paid net of refunds. */
export function outstanding(state: OrderState): number {
  return (state.placed?.total ?? 0) - netPaid(state);
}
