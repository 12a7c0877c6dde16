import { planFor, streamFor } from './decider';
import type { DomainEvent } from '../contracts/events/domain';
import { refundsForCancelledOrder } from './sagas/refund-on-cancel';
import { InMemoryShop } from './testing/in-memory-shop';
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

describe('planning a command across the aggregates', () => {
  const streamsOf = (command: Parameters<typeof planFor>[0]) => {
    const plan = planFor(command);
    const steps = plan.steps(plan.check?.initialState);
    return { check: plan.check?.stream, steps: 'ok' in steps ? steps : steps.map((s) => s.stream) };
  };

  it.each([
    [placeOrder(), undefined, ['order-o-1']],
    [cancelOrder('o-2'), undefined, ['order-o-2']],
    [recordPayment({ paymentId: 'p-3', amount: '1.00' }), 'payment-p-3', ['order-o-1', 'payment-p-3']],
    [shipOrder('s-5'), 'shipping-s-5', ['order-o-1', 'shipping-s-5']],
    [confirmDelivery('s-6'), undefined, ['shipping-s-6']],
  ] as const)('%j checks %s, then appends to %j in that order', (command, check, steps) => {
    expect(streamsOf(command)).toEqual({ check, steps });
  });

  it('decides a refund on the order the payment belongs to, which only the payment knows', () => {
    expect(streamsOf(refundPayment('p-4', '1.00'))).toEqual({
      check: 'payment-p-4',
      steps: { ok: false, kind: 'not-yet', reason: 'payment p-4 is not known yet' },
    });
  });

  it('folds only what concerns the aggregate', () => {
    const steps = planFor(placeOrder()).steps(undefined);
    const route = 'ok' in steps ? undefined : steps[0];
    if (!route) throw new Error('no route');
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
  const types = (events: readonly DomainEvent[]) => events.map((e) => e.type);

  it('goes place → pay → ship → deliver, with waiting where the order is not ready', () => {
    const shop = new InMemoryShop();
    expect(shop.handle(recordPayment({ amount: '25.00' }))).toMatchObject({ ok: false, kind: 'not-yet' });
    expect(shop.handle(placeOrder())).toMatchObject({ ok: true, events: [{ type: 'OrderPlaced' }] });
    expect(shop.handle(shipOrder())).toMatchObject({ ok: false, kind: 'not-yet' });
    expect(shop.handle(recordPayment({ amount: '25.00' }))).toMatchObject({ ok: true });
    expect(shop.handle(recordPayment({ amount: '25.00' }))).toEqual({ ok: true, events: [] });
    expect(shop.handle(confirmDelivery())).toMatchObject({ ok: false, kind: 'not-yet' });
    expect(shop.handle(shipOrder())).toMatchObject({
      ok: true,
      events: [{ type: 'ShipmentRegistered' }, { type: 'OrderShipped' }],
    });
    expect(shop.handle(cancelOrder())).toMatchObject({ ok: false, kind: 'rejected' });
    expect(shop.handle(confirmDelivery())).toMatchObject({
      ok: true,
      events: [{ type: 'ShipmentDelivered' }],
    });
    expect(types(shop.stream('order-o-1'))).toEqual(['OrderPlaced', 'PaymentApplied', 'ShipmentRegistered']);
    expect(types(shop.stream('payment-p-1'))).toEqual(['PaymentRecorded']);
    expect(types(shop.stream('shipping-s-1'))).toEqual(['OrderShipped', 'ShipmentDelivered']);
  });

  it('refunds a cancelled paid order through the reactor, once', () => {
    const shop = new InMemoryShop();
    shop.handle(placeOrder());
    shop.handle(recordPayment({ paymentId: 'p-1', amount: '10.00' }));
    shop.handle(recordPayment({ paymentId: 'p-2', amount: '15.00' }));
    shop.handle(refundPayment('p-2', '5.00'));
    expect(shop.handle(cancelOrder())).toMatchObject({
      ok: true,
      events: [
        { type: 'OrderCancelled' },
        { type: 'RefundApplied', data: { paymentId: 'p-1', amount: 1000, refundId: 'cancel-o-1' } },
        { type: 'RefundApplied', data: { paymentId: 'p-2', amount: 1000, refundId: 'cancel-o-1' } },
      ],
    });
    const stream = shop.stream('order-o-1').map((event, i) => ({ eventId: `e-${i}`, event }));
    const refunds = refundsForCancelledOrder('o-1', stream);
    expect(refunds.map((r) => [r.causationId, r.command.paymentId, r.command.amount])).toEqual([
      ['e-5', 'p-1', { minor: 1000 }],
      ['e-6', 'p-2', { minor: 1000 }],
    ]);
    for (const { command } of refunds) {
      expect(shop.handle(command)).toMatchObject({ ok: true, events: [{ type: 'PaymentRefunded' }] });
    }
    for (const { command } of refunds) expect(shop.handle(command)).toEqual({ ok: true, events: [] });
    expect(types(shop.stream('payment-p-2'))).toEqual([
      'PaymentRecorded',
      'PaymentRefunded',
      'PaymentRefunded',
    ]);
    expect(shop.handle(recordPayment({ paymentId: 'p-3', amount: '1.00' }))).toMatchObject({
      kind: 'rejected',
    });
    expect(shop.handle(refundPayment('p-1', '0.01', 'EUR', 'r-9'))).toMatchObject({ kind: 'rejected' });
  });
});
