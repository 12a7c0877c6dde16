import type { DomainEvent } from '../../contracts/events/domain';
import type { OrderShipped } from '../../contracts/events/shipping';

export type Dispatch = OrderShipped['data'];

/** The Shipping aggregate as decide needs it, folded from `shipping-<shipmentId>`. */
export interface ShippingState {
  readonly shipped: Dispatch | undefined;
  readonly delivered: boolean;
}

export const initialState: ShippingState = { shipped: undefined, delivered: false };

export function evolve(state: ShippingState, event: DomainEvent): ShippingState {
  switch (event.type) {
    case 'OrderShipped':
      return { ...state, shipped: event.data };
    case 'ShipmentDelivered':
      return { ...state, delivered: true };
    default:
      return state;
  }
}
