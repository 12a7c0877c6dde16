import { MalformedEventError } from '../event-data';
import { projectBatch } from '../projection';
import { given as givenModel, type Expected } from '../testing/scenario';
import {
  history,
  orderPlaced,
  paymentRecorded,
  shopDataParked,
  shopDataProcessed,
  shopDataReceived,
  shopDataRejected,
  shopDataWaiting,
  settling,
} from '../testing/shop-events';
import type { RequestDocument } from '../../contracts/read-models/requests';
import { requestsProjection } from './requests-projection';

const given = givenModel(requestsProjection);

/** Request r-1: Ada's web UI placing order o-1. */
const accepted: Expected<RequestDocument> = {
  _id: 'r-1',
  status: 'accepted',
  applies: 'Order',
  source: 'web',
  profile: 'web/v1',
  receivedAt: '2026-11-23T09:59:59.000Z',
  inputEventId: 'in-1',
  inputRevision: 0,
  updatedAt: '2026-11-23T09:59:59.000Z',
};

describe('requests read model', () => {
  it('shows a request as accepted once the gateway stored it, with where in the input stream it is', () => {
    given(shopDataReceived()).then(accepted);
    given(shopDataReceived(), shopDataReceived({ requestId: 'r-2', inputEventId: 'in-2' })).thenIncludes(
      'r-2',
      { inputRevision: 1 },
    );
  });

  it('shows a request as processed with the ids of what it touched', () => {
    given(shopDataReceived(), shopDataProcessed()).then({
      ...accepted,
      status: 'processed',
      resultIds: ['o-1'],
      updatedAt: '2026-11-23T10:00:01.000Z',
    });
  });

  it('shows a request as processed when the last domain event of its plan carries the outcome', () => {
    given(shopDataReceived(), settling(orderPlaced())).then({
      ...accepted,
      status: 'processed',
      resultIds: ['o-1'],
      streams: ['order-o-1'],
      updatedAt: '2026-11-23T10:00:01.000Z',
    });
    given(shopDataReceived(), shopDataWaiting(), settling(orderPlaced()), shopDataProcessed()).thenIncludes(
      'r-1',
      { status: 'processed', resultIds: ['o-1'] },
    );
  });

  it('is not changed by a domain event without the outcome marker', () => {
    given(shopDataReceived(), orderPlaced(), paymentRecorded()).then(accepted);
  });

  it('poisons a domain event whose outcome marker breaks the contract, and nothing else', () => {
    const [bad] = history({
      ...orderPlaced(),
      metadata: { settles: { requestId: 'r-1', eventCount: 'one' } },
    });
    const result = projectBatch(requestsProjection, new Map(), [bad!]);
    expect(result.changed.size).toBe(0);
    expect(result.poisoned.map((p) => p.error)).toEqual([expect.any(MalformedEventError)]);
  });

  it('shows a request as rejected with the reason', () => {
    given(shopDataReceived(), shopDataRejected({ reason: 'unknown profile erp/v9' })).then({
      ...accepted,
      status: 'rejected',
      reason: 'unknown profile erp/v9',
      updatedAt: '2026-11-23T10:00:01.000Z',
    });
  });

  it('shows a request as parked when processing gave up on it: why, when, and how often it was tried', () => {
    given(shopDataReceived(), shopDataParked({ reason: 'max retries reached' })).then({
      ...accepted,
      status: 'parked',
      reason: 'max retries reached',
      parked: {
        retryCount: 12,
        firstAttemptAt: '2026-11-23T10:00:01.000Z',
        lastAttemptAt: '2026-11-23T10:01:00.000Z',
      },
      updatedAt: '2026-11-23T10:01:00.000Z',
    });
  });

  it('ends processed when a parked message is replayed and then processed', () => {
    given(
      shopDataReceived({ applies: 'Payment' }),
      shopDataParked({ reason: 'order o-1 not placed yet' }),
      shopDataProcessed({ applies: 'Payment', resultIds: ['p-1'], processedAt: '2026-11-23T11:00:00.000Z' }),
    ).then({
      ...accepted,
      applies: 'Payment',
      status: 'processed',
      resultIds: ['p-1'],
      updatedAt: '2026-11-23T11:00:00.000Z',
    });
  });

  it('stays parked when a replayed message is parked again', () => {
    given(
      shopDataReceived(),
      shopDataParked({ parkedAt: '2026-11-23T10:01:00.000Z' }),
      shopDataParked({ parkedAt: '2026-11-23T12:00:00.000Z', retryCount: 3, reason: 'again' }),
    ).then({
      ...accepted,
      status: 'parked',
      reason: 'again',
      parked: {
        retryCount: 3,
        firstAttemptAt: '2026-11-23T10:00:01.000Z',
        lastAttemptAt: '2026-11-23T12:00:00.000Z',
      },
      updatedAt: '2026-11-23T12:00:00.000Z',
    });
  });

  it('keeps a settled request settled when a late park of the same message arrives', () => {
    given(shopDataReceived(), shopDataProcessed(), shopDataParked()).then({
      ...accepted,
      status: 'processed',
      resultIds: ['o-1'],
      updatedAt: '2026-11-23T10:00:01.000Z',
    });
  });

  it('shows processed with no result ids when a repeated command changed nothing', () => {
    given(shopDataReceived(), shopDataProcessed({ resultIds: [], eventCount: 0 })).thenIncludes('r-1', {
      status: 'processed',
      resultIds: [],
    });
  });

  it('still tells the outcome of a request whose input message is no longer in the history', () => {
    given(
      shopDataRejected({ requestId: 'r-7', inputEventId: 'in-7', reason: 'lines must not be empty' }),
    ).then({
      _id: 'r-7',
      status: 'rejected',
      applies: 'Order',
      source: null,
      profile: 'web/v1',
      receivedAt: null,
      inputEventId: 'in-7',
      reason: 'lines must not be empty',
      updatedAt: '2026-11-23T10:00:01.000Z',
    });
  });

  it('fills in where a request came from when its input message shows up after the outcome', () => {
    given(shopDataProcessed(), shopDataReceived()).then({
      ...accepted,
      status: 'processed',
      resultIds: ['o-1'],
      updatedAt: '2026-11-23T10:00:01.000Z',
    });
  });

  it('makes no document for a park of a message it never saw', () => {
    given(shopDataParked()).thenNoDocument();
  });

  it('keeps requests apart', () => {
    given(
      shopDataReceived(),
      shopDataReceived({ requestId: 'r-2', inputEventId: 'in-2', source: 'erp', profile: 'erp-export/v1' }),
      shopDataRejected({
        requestId: 'r-2',
        inputEventId: 'in-2',
        profile: 'erp-export/v1',
        reason: 'bad ITEMS',
      }),
    ).then(accepted, {
      _id: 'r-2',
      status: 'rejected',
      applies: 'Order',
      source: 'erp',
      profile: 'erp-export/v1',
      receivedAt: '2026-11-23T09:59:59.000Z',
      inputEventId: 'in-2',
      inputRevision: 1,
      reason: 'bad ITEMS',
      updatedAt: '2026-11-23T10:00:01.000Z',
    });
  });

  it('ignores domain events and anything else outside its concern', () => {
    const events = history(orderPlaced(), paymentRecorded(), {
      type: 'Unrelated',
      streamId: 'x-1',
      data: {},
    });
    expect(events.map((event) => requestsProjection.keysOf(event))).toEqual([[], [], []]);
    expect(projectBatch(requestsProjection, new Map(), events).changed.size).toBe(0);
  });

  it('refuses an input message whose metadata breaks the gateway contract', () => {
    const [noRequestId] = history({ ...shopDataReceived(), metadata: { applies: 'Order' } });
    expect(() => requestsProjection.keysOf(noRequestId!)).toThrow(MalformedEventError);
    const [badTime] = history({
      ...shopDataReceived(),
      metadata: {
        applies: 'Order',
        source: 'web',
        profile: 'web/v1',
        receivedAt: 'yesterday',
        $correlationId: 'r-1',
      },
    });
    const result = projectBatch(requestsProjection, new Map(), [badTime!]);
    expect(result.changed.size).toBe(0);
    expect(result.poisoned.map((p) => p.error)).toEqual([expect.any(MalformedEventError)]);
  });

  it('reads the input message, the outcomes and the domain events (for the outcome marker)', () => {
    expect(requestsProjection.eventTypes).toEqual([
      'ShopDataReceived',
      'ShopDataProcessed',
      'ShopDataRejected',
      'ShopDataWaiting',
      'ShopDataParked',
      'OrderPlaced',
      'OrderCancelled',
      'PaymentApplied',
      'RefundApplied',
      'ShipmentRegistered',
      'PaymentRecorded',
      'PaymentRefunded',
      'OrderShipped',
      'ShipmentDelivered',
    ]);
  });

  it('shows a request waiting for its predecessor with the reason, and keeps it when the message is parked', () => {
    const waiting = { ...accepted, status: 'waiting', reason: 'order o-1 is not known yet' } as const;
    given(shopDataReceived(), shopDataWaiting()).then({ ...waiting, updatedAt: '2026-11-23T10:00:01.000Z' });
    given(shopDataReceived(), shopDataWaiting(), shopDataParked({ reason: 'gave up waiting' })).then({
      ...waiting,
      status: 'parked',
      reason: 'gave up waiting',
      parked: {
        retryCount: 12,
        firstAttemptAt: '2026-11-23T10:00:01.000Z',
        lastAttemptAt: '2026-11-23T10:01:00.000Z',
      },
      updatedAt: '2026-11-23T10:01:00.000Z',
    });
    given(shopDataReceived(), shopDataWaiting(), shopDataProcessed()).then({
      ...accepted,
      status: 'processed',
      resultIds: ['o-1'],
      updatedAt: '2026-11-23T10:00:01.000Z',
    });
    given(shopDataReceived(), shopDataProcessed(), shopDataWaiting()).then({
      ...accepted,
      status: 'processed',
      resultIds: ['o-1'],
      updatedAt: '2026-11-23T10:00:01.000Z',
    });
  });
});
