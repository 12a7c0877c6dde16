import type { ShopCommand } from './commands';
import type { DecideContext, Decision } from './decision';
import type { DomainEvent } from './events';
import { ORDER_STREAM_PREFIX } from './orders/events';
import { decide as decideOrder } from './orders/decide';
import { evolve as evolveOrder, initialState as initialOrder, type OrderState } from './orders/state';
import { PAYMENT_STREAM_PREFIX } from './payments/events';
import { decide as decidePayment } from './payments/decide';
import { evolve as evolvePayment, initialState as initialPayment, type PaymentState } from './payments/state';
import { SHIPPING_STREAM_PREFIX } from './shipping/events';
import { decide as decideShipping } from './shipping/decide';
import {
  evolve as evolveShipping,
  initialState as initialShipping,
  type ShippingState,
} from './shipping/state';

export type AggregateKind = 'order' | 'payment' | 'shipping';

/**
 * Everything the host needs to run one command against its aggregate without knowing which one it is:
 * read `stream`, fold its events with `evolve` from `initialState`, `decide`, append with the revision read.
 * Methods (not function-typed properties) so a route of any state type is a `CommandRoute<unknown>`.
 */
export interface CommandRoute<S = unknown> {
  readonly aggregate: AggregateKind;
  readonly aggregateId: string;
  readonly stream: string;
  readonly initialState: S;
  evolve(state: S, event: DomainEvent): S;
  decide(state: S, context: DecideContext): Decision;
}

export function routeCommand(command: ShopCommand): CommandRoute {
  switch (command.type) {
    case 'PlaceOrder':
    case 'CancelOrder':
      return orderRoute(command.orderId, (state, context) => decideOrder(command, state, context));
    case 'RecordPayment':
    case 'RefundPayment':
      return paymentRoute(command.paymentId, (state, context) => decidePayment(command, state, context));
    case 'ShipOrder':
    case 'ConfirmDelivery':
      return shippingRoute(command.shipmentId, (state, context) => decideShipping(command, state, context));
  }
}

/** Folds a stream's events and decides: the pure middle of "read → decide → append". */
export function decideOn(
  route: CommandRoute,
  history: Iterable<DomainEvent>,
  context: DecideContext,
): Decision {
  let state = route.initialState;
  for (const event of history) state = route.evolve(state, event);
  return route.decide(state, context);
}

/** The stream a domain event belongs to, e.g. `order-o-1`. */
export function streamFor(event: DomainEvent): string {
  switch (event.type) {
    case 'OrderPlaced':
    case 'OrderCancelled':
      return ORDER_STREAM_PREFIX + event.data.orderId;
    case 'PaymentRecorded':
    case 'PaymentRefunded':
      return PAYMENT_STREAM_PREFIX + event.data.paymentId;
    case 'OrderShipped':
    case 'ShipmentDelivered':
      return SHIPPING_STREAM_PREFIX + event.data.shipmentId;
  }
}

type DecideWith<S> = (state: S, context: DecideContext) => Decision;

function orderRoute(orderId: string, decide: DecideWith<OrderState>): CommandRoute<OrderState> {
  const stream = ORDER_STREAM_PREFIX + orderId;
  return {
    aggregate: 'order',
    aggregateId: orderId,
    stream,
    initialState: initialOrder,
    evolve: evolveOrder,
    decide,
  };
}

function paymentRoute(paymentId: string, decide: DecideWith<PaymentState>): CommandRoute<PaymentState> {
  const stream = PAYMENT_STREAM_PREFIX + paymentId;
  const initialState = initialPayment;
  return {
    aggregate: 'payment',
    aggregateId: paymentId,
    stream,
    initialState,
    evolve: evolvePayment,
    decide,
  };
}

function shippingRoute(shipmentId: string, decide: DecideWith<ShippingState>): CommandRoute<ShippingState> {
  const stream = SHIPPING_STREAM_PREFIX + shipmentId;
  const initialState = initialShipping;
  return {
    aggregate: 'shipping',
    aggregateId: shipmentId,
    stream,
    initialState,
    evolve: evolveShipping,
    decide,
  };
}
