import type { DomainEvent } from '../../contracts/events/domain';
import type { PaymentRecorded } from '../../contracts/events/payments';

export type RecordedPayment = PaymentRecorded['data'];

/** The Payment aggregate as decide needs it, folded from `payment-<id>`. */
export interface PaymentState {
  readonly recorded: RecordedPayment | undefined;
  /** Minor units refunded so far. */
  readonly refunded: number;
  /** The named refunds made, by refundId, to recognise a repeat. */
  readonly refunds: Readonly<Record<string, { readonly amount: number; readonly reason: string }>>;
}

export const initialState: PaymentState = { recorded: undefined, refunded: 0, refunds: {} };

export function evolve(state: PaymentState, event: DomainEvent): PaymentState {
  switch (event.type) {
    case 'PaymentRecorded':
      return { ...state, recorded: event.data };
    case 'PaymentRefunded': {
      const { amount, reason, refundId } = event.data;
      const refunds =
        refundId === undefined ? state.refunds : { ...state.refunds, [refundId]: { amount, reason } };
      return { ...state, refunded: state.refunded + amount, refunds };
    }
    default:
      return state;
  }
}

/** What may still be refunded of this payment. */
export function refundable(state: PaymentState): number {
  return (state.recorded?.amount ?? 0) - state.refunded;
}
