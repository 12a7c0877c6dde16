import type { DomainEvent } from '../events';
import type { OrderPlaced } from './events';

export type PlacedOrder = OrderPlaced['data'];

/** The Order aggregate as decide needs it, folded from `order-<id>`. */
export interface OrderState {
  readonly placed: PlacedOrder | undefined;
  readonly cancelled: boolean;
}

export const initialState: OrderState = { placed: undefined, cancelled: false };

export function evolve(state: OrderState, event: DomainEvent): OrderState {
  switch (event.type) {
    case 'OrderPlaced':
      return { ...state, placed: event.data };
    case 'OrderCancelled':
      return { ...state, cancelled: true };
    default:
      return state;
  }
}
