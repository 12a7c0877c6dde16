import type { ShopCommand } from './commands';
import { decideOn, routeCommand, streamFor } from './decider';
import type { Decision } from './decision';
import type { DomainEvent } from './events';
import { createFactsStore, evolveFacts, factsFor } from './facts/order-facts';
import { refundsForCancelledOrder } from './sagas/refund-on-cancel';
import {
  NOW,
  cancelOrder,
  confirmDelivery,
  orderPlaced,
  placeOrder,
  recordPayment,
  refundPayment,
  shipOrder,
} from './testing/shop-fixtures';

/** The host's loop in memory: streams, the facts cache, decide on the stream's history, append. */
class InMemoryShop {
  readonly streams = new Map<string, DomainEvent[]>();
  readonly facts = createFactsStore();

  handle(command: ShopCommand): Decision {
    const route = routeCommand(command);
    const history = this.streams.get(route.stream) ?? [];
    const decision = decideOn(route, history, { now: NOW, facts: this.facts });
    if (decision.ok) {
      for (const event of decision.events) {
        expect(streamFor(event)).toBe(route.stream);
        this.streams.set(route.stream, [...(this.streams.get(route.stream) ?? []), event]);
        evolveFacts(this.facts, event, (this.streams.get(route.stream)?.length ?? 0) - 1);
      }
    }
    return decision;
  }
}

describe('routing a command to its aggregate', () => {
  it.each([
    [placeOrder(), 'order', 'o-1', 'order-o-1'],
    [cancelOrder('o-2'), 'order', 'o-2', 'order-o-2'],
    [recordPayment({ paymentId: 'p-3', amount: '1.00' }), 'payment', 'p-3', 'payment-p-3'],
    [refundPayment('p-4', '1.00'), 'payment', 'p-4', 'payment-p-4'],
    [shipOrder('s-5'), 'shipping', 's-5', 'shipping-s-5'],
    [confirmDelivery('s-6'), 'shipping', 's-6', 'shipping-s-6'],
  ] as const)('%j goes to %s %s on %s', (command, aggregate, aggregateId, stream) => {
    expect(routeCommand(command)).toMatchObject({ aggregate, aggregateId, stream });
  });

  it('folds only what concerns the aggregate', () => {
    const route = routeCommand(placeOrder());
    const foreign = {
      type: 'ShipmentDelivered',
      data: { shipmentId: 's', orderId: 'o-1', deliveredAt: NOW },
    } as const;
    expect(route.evolve(route.initialState, foreign)).toBe(route.initialState);
  });

  it('names the stream of every domain event', () => {
    expect(streamFor(orderPlaced())).toBe('order-o-1');
  });
});

describe('a whole order through the aggregates, as the host runs it', () => {
  it('goes place → pay → ship → deliver, with waiting where the order is not ready', () => {
    const shop = new InMemoryShop();
    expect(shop.handle(recordPayment({ amount: '25.00' }))).toMatchObject({ ok: false, kind: 'not-yet' });
    expect(shop.handle(placeOrder())).toMatchObject({ ok: true, events: [{ type: 'OrderPlaced' }] });
    expect(shop.handle(shipOrder())).toMatchObject({ ok: false, kind: 'not-yet' });
    expect(shop.handle(recordPayment({ amount: '25.00' }))).toMatchObject({ ok: true });
    expect(shop.handle(recordPayment({ amount: '25.00' }))).toEqual({ ok: true, events: [] });
    expect(shop.handle(confirmDelivery())).toMatchObject({ ok: false, kind: 'not-yet' });
    expect(shop.handle(shipOrder())).toMatchObject({ ok: true, events: [{ type: 'OrderShipped' }] });
    expect(shop.handle(cancelOrder())).toMatchObject({ ok: false, kind: 'rejected' });
    expect(shop.handle(confirmDelivery())).toMatchObject({
      ok: true,
      events: [{ type: 'ShipmentDelivered' }],
    });
    expect(factsFor(shop.facts, 'o-1')).toMatchObject({
      placed: true,
      paid: 2500,
      shipped: true,
      delivered: true,
    });
    expect([...shop.streams.keys()]).toEqual(['order-o-1', 'payment-p-1', 'shipping-s-1']);
  });

  it('refunds a cancelled paid order through the saga, once', () => {
    const shop = new InMemoryShop();
    shop.handle(placeOrder());
    shop.handle(recordPayment({ paymentId: 'p-1', amount: '10.00' }));
    shop.handle(recordPayment({ paymentId: 'p-2', amount: '15.00' }));
    shop.handle(refundPayment('p-2', '5.00'));
    const cancelled = shop.handle(cancelOrder());
    if (!cancelled.ok || cancelled.events[0]?.type !== 'OrderCancelled') throw new Error('cancel failed');
    const refunds = refundsForCancelledOrder(cancelled.events[0], factsFor(shop.facts, 'o-1'));
    expect(refunds.map((r) => [r.paymentId, r.amount])).toEqual([
      ['p-1', { minor: 1000 }],
      ['p-2', { minor: 1000 }],
    ]);
    for (const refund of refunds) expect(shop.handle(refund)).toMatchObject({ ok: true });
    for (const refund of refunds) expect(shop.handle(refund)).toEqual({ ok: true, events: [] });
    expect(factsFor(shop.facts, 'o-1')!.paid).toBe(0);
    expect(refundsForCancelledOrder(cancelled.events[0], factsFor(shop.facts, 'o-1'))).toEqual([]);
    expect(shop.handle(recordPayment({ paymentId: 'p-3', amount: '1.00' }))).toMatchObject({
      kind: 'rejected',
    });
  });
});
