import { given } from '../testing/given-when-then';
import {
  line,
  money,
  NOW,
  orderCancelled,
  orderPlaced,
  paid,
  recordPayment,
  refunded,
} from '../testing/shop-fixtures';

const placed25 = orderPlaced(); // 25.00 EUR

describe('recording a payment', () => {
  it('records a payment for a placed order: applied to the order first, then on its own stream', () => {
    given([placed25])
      .when(recordPayment({ amount: '25.00' }))
      .thenEvents([
        {
          type: 'PaymentApplied',
          data: { orderId: 'o-1', paymentId: 'p-1', amount: money('25.00'), currency: 'EUR', appliedAt: NOW },
        },
        {
          type: 'PaymentRecorded',
          data: {
            paymentId: 'p-1',
            orderId: 'o-1',
            amount: money('25.00'),
            currency: 'EUR',
            method: 'card',
            recordedAt: NOW,
          },
        },
      ]);
  });

  it('records a part payment and then the rest', () => {
    given([placed25, ...paid({ paymentId: 'p-1', amount: '10.00' })])
      .when(recordPayment({ paymentId: 'p-2', amount: '15.00' }))
      .thenEvents(paid({ paymentId: 'p-2', amount: '15.00' }, NOW));
  });

  it('refuses a payment above the outstanding amount', () => {
    given([placed25])
      .when(recordPayment({ amount: '30.00' }))
      .thenRejected('payment of 30.00 EUR exceeds the outstanding 25.00 EUR');
  });

  it('counts what was paid before when checking the outstanding amount', () => {
    given([placed25, ...paid({ paymentId: 'p-1', amount: '20.00' })])
      .when(recordPayment({ paymentId: 'p-2', amount: '5.01' }))
      .thenRejected('payment of 5.01 EUR exceeds the outstanding 5.00 EUR');
  });

  it('counts refunds back into the outstanding amount', () => {
    given([
      placed25,
      ...paid({ paymentId: 'p-1', amount: '25.00' }),
      ...refunded({ paymentId: 'p-1', amount: '5.00' }),
    ])
      .when(recordPayment({ paymentId: 'p-2', amount: '5.00' }))
      .thenEvents(paid({ paymentId: 'p-2', amount: '5.00' }, NOW));
  });

  it('refuses any further payment on a fully paid order', () => {
    given([placed25, ...paid({ paymentId: 'p-1', amount: '25.00' })])
      .when(recordPayment({ paymentId: 'p-2', amount: '0.01' }))
      .thenRejected('payment of 0.01 EUR exceeds the outstanding 0.00 EUR');
  });

  it.each([
    [0, 'a payment must be a positive amount, got 0.00 EUR'],
    [-500, 'a payment must be a positive amount, got -5.00 EUR'],
    [12.5, 'a payment must be a positive amount, got 12.5 minor units'],
  ])('refuses an amount of %p minor units', (amount, reason) => {
    given([placed25])
      .when({ ...recordPayment({ amount: '1.00' }), amount })
      .thenRejected(reason);
  });

  it('refuses a payment in another currency than the order', () => {
    given([placed25])
      .when(recordPayment({ amount: '25.00', currency: 'USD' }))
      .thenRejected("payment in USD does not match order o-1's currency EUR");
  });

  it('refuses a currency we do not accept', () => {
    given([placed25])
      .when({ ...recordPayment({ amount: '1.00' }), currency: 'ABC' })
      .thenRejected('currency "ABC" is not one we accept');
  });

  it('refuses payments on a cancelled order', () => {
    given([placed25, orderCancelled()])
      .when(recordPayment({ amount: '25.00' }))
      .thenRejected('order o-1 is cancelled and takes no payments');
  });

  it('waits when the order is not known yet: it may still arrive', () => {
    given([])
      .when(recordPayment({ amount: '25.00' }))
      .thenNotYet('order o-1 is not known yet');
    given([orderPlaced({ orderId: 'o-2' })])
      .when(recordPayment({ amount: '25.00' }))
      .thenNotYet('order o-1 is not known yet');
  });

  it('completes a payment its order already took but whose own stream missed it (a crash between)', () => {
    given([placed25, paid({ amount: '25.00' })[0]])
      .when(recordPayment({ amount: '25.00' }))
      .thenEvents([paid({ amount: '25.00' }, NOW)[1]]);
  });

  it('refuses a payment id the order knows with other content, before anything is recorded', () => {
    given([placed25, paid({ amount: '10.00' })[0]])
      .when(recordPayment({ amount: '12.00' }))
      .thenRejected('payment p-1 was already recorded with different content');
  });

  it('does nothing when the same payment is sent again with the same content', () => {
    given([placed25, ...paid({ amount: '25.00' })])
      .when(recordPayment({ amount: '25.00' }))
      .thenNothing();
  });

  it('refuses the same payment id with different content', () => {
    given([placed25, ...paid({ amount: '10.00' })])
      .when(recordPayment({ amount: '12.00' }))
      .thenRejected('payment p-1 was already recorded with different content');
    given([placed25, ...paid({ amount: '10.00' })])
      .when(recordPayment({ amount: '10.00', method: 'paypal' }))
      .thenRejected('payment p-1 was already recorded with different content');
  });

  it('works in minor units of the order currency (KWD has three decimals)', () => {
    const order = orderPlaced({ currency: 'KWD', lines: [line('SKU-1', 1, '1.250', 'KWD')] });
    given([order])
      .when(recordPayment({ amount: '1.251', currency: 'KWD' }))
      .thenRejected('payment of 1.251 KWD exceeds the outstanding 1.250 KWD');
  });
});
