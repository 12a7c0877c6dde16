import type { DomainEvent } from '../events';
import type { PaymentRecorded } from './events';

export type RecordedPayment = PaymentRecorded['data'];

/** The Payment aggregate as decide needs it, folded from `payment-<id>`. */
export interface PaymentState {
  readonly recorded: RecordedPayment | undefined;
  /** Minor units refunded so far. */
  readonly refunded: number;
}

export const initialState: PaymentState = { recorded: undefined, refunded: 0 };

export function evolve(state: PaymentState, event: DomainEvent): PaymentState {
  switch (event.type) {
    case 'PaymentRecorded':
      return { ...state, recorded: event.data };
    case 'PaymentRefunded':
      return { ...state, refunded: state.refunded + event.data.amount };
    default:
      return state;
  }
}

/** What may still be refunded of this payment. */
export function refundable(state: PaymentState): number {
  return (state.recorded?.amount ?? 0) - state.refunded;
}
