import { inMemoryProcessor, type InputMessage } from '../testing/in-memory-host';
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
  it('adapts, decides, appends and records the outcome, then acknowledges', async () => {
    const processor = inMemoryProcessor();
    expect(await processor.deliver(place('o-1'))).toEqual({ action: 'ack' });
    expect(processor.types('order-o-1')).toEqual(['OrderPlaced']);
    expect(processor.outcomes('r-in-o-1')).toEqual(['ShopDataProcessed']);
  });

  it('acknowledges a redelivered input without deciding or appending again', async () => {
    const processor = inMemoryProcessor();
    await processor.deliver(place('o-1'));
    const before = processor.store.all().length;
    expect(await processor.deliver(place('o-1'), 1)).toEqual({ action: 'ack' });
    expect(processor.store.all()).toHaveLength(before);
  });

  it('recognises its own earlier append by causation when the outcome was never recorded', async () => {
    const processor = inMemoryProcessor();
    await processor.deliver(place('o-1'));
    // As if the processor died after appending the domain events, before recording the outcome.
    const request = processor.store.read('request-r-in-o-1');
    expect(request).toHaveLength(1);
    const again = inMemoryProcessor();
    again.store.append('order-o-1', processor.store.read('order-o-1').map(toNew), 'any');
    expect(await again.deliver(place('o-1'), 1)).toEqual({ action: 'ack' });
    expect(again.types('order-o-1')).toEqual(['OrderPlaced']);
    expect(again.store.read('request-r-in-o-1')[0]?.data).toMatchObject({ eventCount: 0 });
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

function toNew(event: { eventId: string; type: string; data: unknown; metadata: Record<string, unknown> }) {
  return {
    id: event.eventId,
    type: event.type,
    data: event.data as Record<string, unknown>,
    metadata: event.metadata,
  };
}
