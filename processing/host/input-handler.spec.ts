import { inMemoryProcessor, type InputMessage } from '../testing/in-memory-host';
import { settlesOf } from '../../contracts/events/requests';
import { retryDelayMs } from './retry-policy';

const place = (orderId: string, eventId = `in-${orderId}`): InputMessage => ({
  eventId,
  requestId: `r-${eventId}`,
  applies: 'Order',
  payload: {
    action: 'place',
    orderId,
    customer: { id: 'c-1', name: 'Ada' },
    lines: [{ sku: 'SKU-1', quantity: 2, unitPrice: '12.50' }],
    currency: 'EUR',
  },
});
const pay = (
  paymentId: string,
  orderId: string,
  amount: string,
  eventId = `in-${paymentId}`,
): InputMessage => ({
  eventId,
  requestId: `r-${eventId}`,
  applies: 'Payment',
  payload: { action: 'pay', paymentId, orderId, amount, currency: 'EUR', method: 'card' },
});

describe('the input handler on in-memory ports', () => {
  it('adapts, decides and appends; the last domain event tells the outcome, so nothing else is appended', async () => {
    const processor = inMemoryProcessor();
    expect(await processor.deliver(place('o-1'))).toEqual({ action: 'ack' });
    expect(processor.types('order-o-1')).toEqual(['OrderPlaced']);
    expect(processor.outcomes('r-in-o-1')).toEqual([]);
    expect(settlesOf(processor.store.read('order-o-1')[0]!.metadata)).toMatchObject({
      requestId: 'r-in-o-1',
      inputEventId: 'in-o-1',
      resultIds: ['o-1'],
      eventCount: 1,
      streams: ['order-o-1'],
    });
  });

  it('places an order without reading its stream first: the append, guarded by "no stream", checks it', async () => {
    const processor = inMemoryProcessor();
    const reads = jest.spyOn(processor.store, 'read');
    const orderReads = () => reads.mock.calls.filter(([stream]) => stream === 'order-o-1').length;
    let readBeforeAppend: number | undefined;
    processor.store.beforeNextAppend('order-o-1', () => Promise.resolve((readBeforeAppend = orderReads())));
    await processor.deliver(place('o-1'));
    expect(readBeforeAppend).toBe(0);
    expect(processor.types('order-o-1')).toEqual(['OrderPlaced']);
    // The stream exists now: the same order id with other content is read, decided again, and refused.
    const other = place('o-1', 'in-o-1-other');
    const changed = { ...other, payload: { ...(other.payload as object), currency: 'USD' } };
    expect(await processor.deliver(changed)).toEqual({ action: 'ack' });
    expect(processor.outcomes('r-in-o-1-other')).toEqual(['ShopDataRejected']);
    expect(orderReads()).toBeGreaterThan(1);
    expect(processor.types('order-o-1')).toEqual(['OrderPlaced']);
  });

  it('marks only the last event of a plan that runs on two streams, counting every event', async () => {
    const processor = inMemoryProcessor();
    await processor.deliver(place('o-1'));
    await processor.deliver(pay('p-1', 'o-1', '10.00'));
    const [applied] = processor.store.read('order-o-1').filter((e) => e.type === 'PaymentApplied');
    expect(settlesOf(applied!.metadata)).toBeUndefined();
    expect(settlesOf(processor.store.read('payment-p-1')[0]!.metadata)).toMatchObject({
      resultIds: ['p-1'],
      eventCount: 2,
      streams: ['order-o-1', 'payment-p-1'],
    });
    expect(processor.outcomes('r-in-p-1')).toEqual([]);
  });

  it('acknowledges a redelivered input without appending anything, not even an outcome', async () => {
    const processor = inMemoryProcessor();
    await processor.deliver(place('o-1'));
    await processor.deliver(place('o-2'));
    await processor.deliver(pay('p-1', 'o-2', '10.00'));
    const before = processor.store.all().length;
    expect(await processor.deliver(place('o-1'), 1)).toEqual({ action: 'ack' });
    expect(await processor.deliver(pay('p-1', 'o-2', '10.00'), 1)).toEqual({ action: 'ack' });
    expect(processor.store.all()).toHaveLength(before);
  });

  it('records ShopDataProcessed when the plan appends nothing (the same order placed again)', async () => {
    const processor = inMemoryProcessor();
    await processor.deliver(place('o-1'));
    expect(await processor.deliver(place('o-1', 'in-o-1-again'))).toEqual({ action: 'ack' });
    expect(processor.outcomes('r-in-o-1-again')).toEqual(['ShopDataProcessed']);
    expect(processor.store.read('request-r-in-o-1-again')[0]?.data).toMatchObject({ eventCount: 0 });
  });

  it('closes the request stream of a message that waited, also when it died between append and outcome', async () => {
    const processor = inMemoryProcessor();
    const early = pay('p-1', 'o-1', '25.00');
    await processor.deliver(early, 0);
    await processor.deliver(place('o-1'));
    // The outcome append fails once: as if the processor died after appending the domain events.
    const append = processor.store.append.bind(processor.store);
    let failed = false;
    processor.store.append = (stream, events, expected) => {
      if (stream === 'request-r-in-p-1' && !failed) {
        failed = true;
        throw new Error('connection lost');
      }
      return append(stream, events, expected);
    };
    expect(await processor.deliver(early, 1)).toMatchObject({ action: 'retry' });
    expect(processor.outcomes('r-in-p-1')).toEqual(['ShopDataWaiting']);
    expect(await processor.deliver(early, 2)).toEqual({ action: 'ack' });
    expect(processor.outcomes('r-in-p-1')).toEqual(['ShopDataWaiting', 'ShopDataProcessed']);
    expect(processor.store.read('request-r-in-p-1')[1]?.data).toMatchObject({ eventCount: 0 });
    expect(processor.types('payment-p-1')).toEqual(['PaymentRecorded']);
  });

  it('decides again on the fresh stream when a competing writer appends first', async () => {
    const processor = inMemoryProcessor();
    await processor.deliver(place('o-1'));
    // Between this payment's read of the order and its append, another processor records a payment.
    processor.store.beforeNextAppend('order-o-1', () => processor.deliver(pay('p-rival', 'o-1', '20.00')));
    expect(await processor.deliver(pay('p-1', 'o-1', '10.00'))).toEqual({ action: 'ack' });
    const applied = processor.store.read('order-o-1').filter((e) => e.type === 'PaymentApplied');
    expect(applied.map((e) => (e.data as { paymentId: string }).paymentId)).toEqual(['p-rival']);
    expect(processor.outcomes('r-in-p-1')).toEqual(['ShopDataRejected']);
  });

  it('waits for a predecessor: records why once, retries with backoff, then parks when the window ends', async () => {
    const processor = inMemoryProcessor({ maxRetryCount: 2, waitWindowMs: 250 });
    const early = pay('p-1', 'o-late', '25.00');
    expect(await processor.deliver(early, 0)).toMatchObject({ action: 'retry', afterMs: retryDelayMs(0) });
    expect(await processor.deliver(early, 1)).toMatchObject({ action: 'retry', afterMs: retryDelayMs(1) });
    expect(processor.outcomes('r-in-p-1')).toEqual(['ShopDataWaiting']);
    expect(await processor.deliver(early, 2)).toMatchObject({ action: 'park' });
    expect(processor.outcomes('r-in-p-1')).toEqual(['ShopDataWaiting', 'ShopDataParked']);
    expect(processor.store.read('request-r-in-p-1')[1]?.data).toMatchObject({
      retryCount: 2,
      reason: expect.stringMatching(/still waiting .*order o-late is not known yet/),
    });
  });

  it('goes on when the predecessor arrives during the wait', async () => {
    const processor = inMemoryProcessor();
    const early = pay('p-1', 'o-1', '25.00');
    await processor.deliver(early, 0);
    await processor.deliver(place('o-1'));
    expect(await processor.deliver(early, 1)).toEqual({ action: 'ack' });
    expect(processor.outcomes('r-in-p-1')).toEqual(['ShopDataWaiting', 'ShopDataProcessed']);
  });

  it('rejects what cannot be mapped, with the reason, and never retries it', async () => {
    const processor = inMemoryProcessor();
    const broken = { ...place('o-1'), payload: { action: 'place', orderId: 'o-1' } };
    expect(await processor.deliver(broken)).toEqual({ action: 'ack' });
    expect(processor.outcomes('r-in-o-1')).toEqual(['ShopDataRejected']);
    expect(processor.store.read('request-r-in-o-1')[0]?.data).toMatchObject({ reason: expect.any(String) });
  });

  it('retries a technical failure and parks it after the retry limit', async () => {
    const processor = inMemoryProcessor({ maxRetryCount: 1, waitWindowMs: 1000 });
    const failing = processor.store;
    const append = failing.append.bind(failing);
    failing.append = (stream, events, expected) => {
      if (stream.startsWith('order-')) throw new Error('store unavailable');
      return append(stream, events, expected);
    };
    expect(await processor.deliver(place('o-1'), 0)).toMatchObject({
      action: 'retry',
      reason: 'store unavailable',
    });
    expect(await processor.deliver(place('o-1'), 1)).toEqual({ action: 'park', reason: 'store unavailable' });
    expect(processor.outcomes('r-in-o-1')).toEqual(['ShopDataParked']);
  });
});
