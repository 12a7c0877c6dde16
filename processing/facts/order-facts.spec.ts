import {
  orderCancelled,
  orderPlaced,
  orderShipped,
  paymentRecorded,
  paymentRefunded,
  shipmentDelivered,
  money,
} from '../testing/shop-fixtures';
import { createFactsStore, emptyFacts, evolveFacts, factsFor, isFullyPaid, outstanding } from './order-facts';

describe('what the facts cache knows about an order', () => {
  it('knows nothing about an order it has not seen', () => {
    expect(factsFor(createFactsStore(), 'o-1')).toBeUndefined();
  });

  it('learns an order is placed, with its currency and total', () => {
    const store = createFactsStore();
    evolveFacts(store, orderPlaced());
    expect(factsFor(store, 'o-1')).toEqual({
      ...emptyFacts('o-1'),
      placed: true,
      currency: 'EUR',
      total: 2500,
    });
  });

  it('follows payments and refunds, net and per payment', () => {
    const store = createFactsStore();
    evolveFacts(store, orderPlaced());
    evolveFacts(store, paymentRecorded({ paymentId: 'p-1', amount: '10.00' }), 0n);
    evolveFacts(store, paymentRecorded({ paymentId: 'p-2', amount: '15.00' }), 0n);
    evolveFacts(store, paymentRefunded({ paymentId: 'p-1', amount: '4.00' }), 1n);
    const facts = factsFor(store, 'o-1')!;
    expect(facts.paid).toBe(money('21.00'));
    expect(facts.payments).toEqual({
      'p-1': { amount: 1000, refunded: 400, revision: 1 },
      'p-2': { amount: 1500, refunded: 0, revision: 0 },
    });
    expect(outstanding(facts)).toBe(money('4.00'));
    expect(isFullyPaid(facts)).toBe(false);
  });

  it('knows when an order is fully paid', () => {
    const store = createFactsStore();
    evolveFacts(store, orderPlaced());
    evolveFacts(store, paymentRecorded({ amount: '25.00' }));
    expect(isFullyPaid(factsFor(store, 'o-1')!)).toBe(true);
  });

  it('learns cancellation, dispatch and delivery', () => {
    const store = createFactsStore();
    evolveFacts(store, orderPlaced());
    evolveFacts(store, orderCancelled());
    expect(factsFor(store, 'o-1')!.cancelled).toBe(true);
    evolveFacts(store, orderPlaced({ orderId: 'o-2' }));
    evolveFacts(store, orderShipped('s-7', 'o-2'));
    expect(factsFor(store, 'o-2')).toMatchObject({ shipped: true, shipmentId: 's-7', delivered: false });
    evolveFacts(store, shipmentDelivered('s-7', 'o-2'));
    expect(factsFor(store, 'o-2')!.delivered).toBe(true);
  });

  it('keeps orders apart', () => {
    const store = createFactsStore();
    evolveFacts(store, orderPlaced({ orderId: 'o-1' }));
    evolveFacts(store, paymentRecorded({ orderId: 'o-2', amount: '3.00' }));
    expect(factsFor(store, 'o-1')!.paid).toBe(0);
    expect(factsFor(store, 'o-2')).toMatchObject({ placed: false, paid: 300 });
  });

  it('is unchanged when events are applied twice (the host feeds its own appends early)', () => {
    const once = createFactsStore();
    const twice = createFactsStore();
    const history = [
      [orderPlaced(), 0n],
      [paymentRecorded({ amount: '25.00' }), 0n],
      [paymentRefunded({ amount: '5.00' }), 1n],
      [paymentRefunded({ amount: '2.00' }), 2n],
      [orderShipped(), 0n],
      [shipmentDelivered(), 1n],
    ] as const;
    for (const [event, revision] of history) evolveFacts(once, event, revision);
    for (const [event, revision] of history) {
      evolveFacts(twice, event, revision);
      evolveFacts(twice, event, revision);
    }
    expect(twice).toEqual(once);
    expect(factsFor(twice, 'o-1')!.paid).toBe(money('18.00'));
  });

  it('counts each refund when no revision is given', () => {
    const store = createFactsStore();
    evolveFacts(store, paymentRecorded({ amount: '25.00' }));
    evolveFacts(store, paymentRefunded({ amount: '5.00' }));
    evolveFacts(store, paymentRefunded({ amount: '5.00' }));
    expect(factsFor(store, 'o-1')!.paid).toBe(money('15.00'));
  });

  it('replaces entries instead of mutating them, so a view handed out stays as it was', () => {
    const store = createFactsStore();
    evolveFacts(store, orderPlaced());
    const before = factsFor(store, 'o-1')!;
    evolveFacts(store, orderCancelled());
    expect(before.cancelled).toBe(false);
  });
});
