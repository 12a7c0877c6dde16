import type { DomainEvent } from '../events';

/** One payment as the order sees it. */
export interface PaymentFact {
  readonly amount: number;
  readonly refunded: number;
  /** Last revision of `payment-<id>` folded in, so a re-delivered refund is not counted twice. */
  readonly revision: number;
}

/**
 * What other aggregates may know about an order: learnt from domain events, never by asking the Order
 * aggregate. Amounts in minor units of `currency`.
 */
export interface OrderFacts {
  readonly orderId: string;
  readonly placed: boolean;
  readonly currency: string | undefined;
  readonly total: number;
  /** Net of refunds. */
  readonly paid: number;
  readonly payments: Readonly<Record<string, PaymentFact>>;
  readonly cancelled: boolean;
  readonly shipped: boolean;
  readonly shipmentId: string | undefined;
  readonly delivered: boolean;
}

/** The cache the host keeps: one entry per order id. */
export type OrderFactsStore = Map<string, OrderFacts>;
export type OrderFactsView = ReadonlyMap<string, OrderFacts>;

/** A stream revision as the EventStoreDB client reports it (bigint) or as a plain number. */
export type StreamRevision = bigint | number;

export function createFactsStore(): OrderFactsStore {
  return new Map();
}

export function factsFor(store: OrderFactsView, orderId: string): OrderFacts | undefined {
  return store.get(orderId);
}

/** Total minus net paid; what a payment may still cover. */
export function outstanding(facts: OrderFacts): number {
  return facts.total - facts.paid;
}

export function isFullyPaid(facts: OrderFacts): boolean {
  return facts.placed && facts.paid >= facts.total;
}

/**
 * Folds one domain event into the store (the store is the host's mutable cache; each entry is replaced, never
 * mutated). Applying an event twice changes nothing, provided refunds come with their stream revision — so the
 * host may feed its own appends at once and again when the subscription brings them.
 */
export function evolveFacts(store: OrderFactsStore, event: DomainEvent, revision?: StreamRevision): void {
  const orderId = event.data.orderId;
  store.set(orderId, evolveOrderFacts(store.get(orderId) ?? emptyFacts(orderId), event, revision));
}

export function emptyFacts(orderId: string): OrderFacts {
  return {
    orderId,
    placed: false,
    currency: undefined,
    total: 0,
    paid: 0,
    payments: {},
    cancelled: false,
    shipped: false,
    shipmentId: undefined,
    delivered: false,
  };
}

/** The pure fold behind evolveFacts, for one order. */
export function evolveOrderFacts(
  facts: OrderFacts,
  event: DomainEvent,
  revision?: StreamRevision,
): OrderFacts {
  switch (event.type) {
    case 'OrderPlaced':
      return { ...facts, placed: true, currency: event.data.currency, total: event.data.total };
    case 'OrderCancelled':
      return { ...facts, cancelled: true };
    case 'PaymentRecorded': {
      const { paymentId, amount } = event.data;
      const known = facts.payments[paymentId];
      const recorded: PaymentFact = {
        amount,
        refunded: known?.refunded ?? 0,
        revision: known?.revision ?? 0,
      };
      return withPayment(facts, paymentId, recorded);
    }
    case 'PaymentRefunded': {
      const { paymentId, amount } = event.data;
      const known = facts.payments[paymentId] ?? { amount: 0, refunded: 0, revision: 0 };
      const at = revision === undefined ? undefined : Number(revision);
      if (at !== undefined && at <= known.revision) return facts;
      const refunded: PaymentFact = {
        ...known,
        refunded: known.refunded + amount,
        revision: at ?? known.revision,
      };
      return withPayment(facts, paymentId, refunded);
    }
    case 'OrderShipped':
      return { ...facts, shipped: true, shipmentId: event.data.shipmentId };
    case 'ShipmentDelivered':
      return { ...facts, delivered: true };
  }
}

function withPayment(facts: OrderFacts, paymentId: string, payment: PaymentFact): OrderFacts {
  const payments = { ...facts.payments, [paymentId]: payment };
  const paid = Object.values(payments).reduce((sum, p) => sum + p.amount - p.refunded, 0);
  return { ...facts, payments, paid };
}
