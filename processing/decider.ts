import type { RefundPayment, ShopCommand } from './commands';
import { notYet, rejected, type DecideContext, type Decision } from './decision';
import type { DomainEvent } from '../contracts/events/domain';
import { ORDER_STREAM_PREFIX } from '../contracts/events/orders';
import { decide as decideOrder } from './orders/decide';
import { evolve as evolveOrder, initialState as initialOrder, type OrderState } from './orders/state';
import { PAYMENT_STREAM_PREFIX } from '../contracts/events/payments';
import { decide as decidePayment, refundMinor } from './payments/decide';
import { evolve as evolvePayment, initialState as initialPayment, type PaymentState } from './payments/state';
import { SHIPPING_STREAM_PREFIX } from '../contracts/events/shipping';
import { decide as decideShipping } from './shipping/decide';
import {
  evolve as evolveShipping,
  initialState as initialShipping,
  type ShippingState,
} from './shipping/state';

export type AggregateKind = 'order' | 'payment' | 'shipping';

/**
 * One aggregate's part of a command: read `stream`, fold its events with `evolve` from `initialState`, `decide`,
 * append with the revision read. Methods (not function-typed properties) so a route of any state type is a
 * `CommandRoute<unknown>`.
 */
export interface CommandRoute<S = unknown> {
  readonly aggregate: AggregateKind;
  readonly aggregateId: string;
  readonly stream: string;
  readonly initialState: S;
  evolve(state: S, event: DomainEvent): S;
  decide(state: S, context: DecideContext): Decision;
  /**
   * The stream is almost always absent when this command runs (placing an order): the first attempt decides on
   * the empty stream without reading it, and its append, guarded by "no stream", checks that assumption. When the
   * stream exists the append fails and the step reads it and decides again, as after any competing writer.
   */
  readonly assumeAbsent?: boolean;
}

/**
 * How one command runs across aggregates. `check`, when present, is decided first and appends nothing: the
 * command's own aggregate refuses what it would never record (a payment id reused with other content) before
 * the order changes. Then each step is loaded, decided and appended with the revision it read, in order; the
 * first step that is not ok ends the command with its decision. Rules spanning an order are decided by the
 * order step; the lifecycle step after it records the same fact on the payment or shipment's own stream. A
 * crash between the two is completed by the redelivered message: every step is idempotent.
 */
export interface CommandPlan<S = unknown> {
  /** The aggregate the command is about: the request's result id. */
  readonly aggregateId: string;
  readonly check?: CommandRoute<S>;
  steps(checked: S): readonly CommandRoute[] | Decision;
}

export function planFor(command: ShopCommand): CommandPlan {
  switch (command.type) {
    case 'PlaceOrder': {
      const order = orderRoute(command.orderId, (state, context) => decideOrder(command, state, context));
      return { aggregateId: command.orderId, steps: () => [{ ...order, assumeAbsent: true }] };
    }
    case 'CancelOrder': {
      const order = orderRoute(command.orderId, (state, context) => decideOrder(command, state, context));
      return { aggregateId: command.orderId, steps: () => [order] };
    }
    case 'RecordPayment': {
      const payment = paymentRoute(command.paymentId, (state, context) =>
        decidePayment(command, state, context),
      );
      const order = orderRoute(command.orderId, (state, context) => decideOrder(command, state, context));
      return { aggregateId: command.paymentId, check: payment, steps: () => [order, payment] };
    }
    case 'RefundPayment':
      return refundPlan(command);
    case 'ShipOrder': {
      const shipment = shippingRoute(command.shipmentId, (state, context) =>
        decideShipping(command, state, context),
      );
      const order = orderRoute(command.orderId, (state, context) => decideOrder(command, state, context));
      return { aggregateId: command.shipmentId, check: shipment, steps: () => [order, shipment] };
    }
    case 'ConfirmDelivery': {
      const shipment = shippingRoute(command.shipmentId, (state, context) =>
        decideShipping(command, state, context),
      );
      return { aggregateId: command.shipmentId, steps: () => [shipment] };
    }
  }
}

/** A refund names only its payment: the payment, once loaded, tells the order and currency the order decides in. */
function refundPlan(command: RefundPayment): CommandPlan<PaymentState> {
  const payment = paymentRoute(command.paymentId, (state, context) => decidePayment(command, state, context));
  return {
    aggregateId: command.paymentId,
    check: payment,
    steps(checked) {
      const recorded = checked.recorded;
      if (recorded === undefined) return notYet(`payment ${command.paymentId} is not known yet`);
      const amount = refundMinor(command.amount, recorded.currency);
      if (!amount.ok) return rejected(`refund ${amount.reason}`);
      const apply = {
        type: 'ApplyRefund',
        orderId: recorded.orderId,
        paymentId: command.paymentId,
        refundId: command.refundId,
        amount: amount.minor,
        currency: recorded.currency,
        reason: command.reason,
      } as const;
      const order = orderRoute(recorded.orderId, (state, context) => decideOrder(apply, state, context));
      return [order, payment];
    },
  };
}

/** Folds a stream's events into the route's state: the "read" of "read → decide → append". */
export function stateOf<S>(route: CommandRoute<S>, history: Iterable<DomainEvent>): S {
  let state = route.initialState;
  for (const event of history) state = route.evolve(state, event);
  return state;
}

/** The stream a domain event belongs to, e.g. `order-o-1`. */
export function streamFor(event: DomainEvent): string {
  switch (event.type) {
    case 'OrderPlaced':
    case 'OrderCancelled':
    case 'PaymentApplied':
    case 'RefundApplied':
    case 'ShipmentRegistered':
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
  return {
    aggregate: 'order',
    aggregateId: orderId,
    stream: ORDER_STREAM_PREFIX + orderId,
    initialState: initialOrder,
    evolve: evolveOrder,
    decide,
  };
}

function paymentRoute(paymentId: string, decide: DecideWith<PaymentState>): CommandRoute<PaymentState> {
  return {
    aggregate: 'payment',
    aggregateId: paymentId,
    stream: PAYMENT_STREAM_PREFIX + paymentId,
    initialState: initialPayment,
    evolve: evolvePayment,
    decide,
  };
}

function shippingRoute(shipmentId: string, decide: DecideWith<ShippingState>): CommandRoute<ShippingState> {
  return {
    aggregate: 'shipping',
    aggregateId: shipmentId,
    stream: SHIPPING_STREAM_PREFIX + shipmentId,
    initialState: initialShipping,
    evolve: evolveShipping,
    decide,
  };
}
