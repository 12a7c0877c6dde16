import type { OrderCancelled, OrderPlaced } from '../../contracts/events/orders';
import type { PaymentRecorded, PaymentRefunded } from '../../contracts/events/payments';
import {
  SHOP_DATA_RECEIVED,
  type ShopDataParked,
  type ShopDataProcessed,
  type ShopDataReceivedMetadata,
  type ShopDataRejected,
  type ShopDataWaiting,
} from '../../contracts/events/requests';
import type { OrderShipped, ShipmentDelivered } from '../../contracts/events/shipping';
import type { ProjectedEvent } from '../projection';

/** An event before it is placed in a history: `history` gives it a position, a revision and (if absent) an id. */
export interface EventDraft {
  readonly type: string;
  readonly streamId: string;
  readonly data: unknown;
  readonly metadata?: Record<string, unknown>;
  readonly eventId?: string;
  readonly created?: string;
}

/** Gap between consecutive `$all` positions in a history, like commit positions, which are not consecutive. */
export const POSITION_STEP = 100;
const DEFAULT_TIME = '2026-11-23T10:00:00.000Z';

/** Places drafts in `$all` order: positions 100, 200, …; revisions counted per stream. */
export function history(...drafts: readonly EventDraft[]): ProjectedEvent[] {
  const revisions = new Map<string, number>();
  return drafts.map((draft, index) => {
    const revision = revisions.get(draft.streamId) ?? 0;
    revisions.set(draft.streamId, revision + 1);
    return {
      type: draft.type,
      data: draft.data,
      metadata: draft.metadata ?? {},
      eventId: draft.eventId ?? `evt-${index + 1}`,
      streamId: draft.streamId,
      revision,
      position: (index + 1) * POSITION_STEP,
      created: draft.created ?? DEFAULT_TIME,
    };
  });
}

type Data<E extends { data: unknown }> = E['data'];

export function orderPlaced(given: Partial<Data<OrderPlaced>> = {}): EventDraft {
  const lines = given.lines ?? [{ sku: 'SKU-1', quantity: 2, unitPrice: 1250 }];
  const data: Data<OrderPlaced> = {
    orderId: 'o-1',
    customer: { id: 'c-1', name: 'Ada', email: 'ada@example.com' },
    currency: 'EUR',
    total: lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0),
    placedAt: DEFAULT_TIME,
    ...given,
    lines,
  };
  return { type: 'OrderPlaced', streamId: `order-${data.orderId}`, data };
}

export function orderCancelled(given: Partial<Data<OrderCancelled>> = {}): EventDraft {
  const data: Data<OrderCancelled> = {
    orderId: 'o-1',
    reason: 'customer changed their mind',
    currency: 'EUR',
    total: 2500,
    cancelledAt: '2026-11-23T11:00:00.000Z',
    ...given,
  };
  return { type: 'OrderCancelled', streamId: `order-${data.orderId}`, data };
}

export function paymentRecorded(given: Partial<Data<PaymentRecorded>> = {}): EventDraft {
  const data: Data<PaymentRecorded> = {
    paymentId: 'p-1',
    orderId: 'o-1',
    amount: 2500,
    currency: 'EUR',
    method: 'card',
    recordedAt: '2026-11-23T10:05:00.000Z',
    ...given,
  };
  return { type: 'PaymentRecorded', streamId: `payment-${data.paymentId}`, data };
}

export function paymentRefunded(given: Partial<Data<PaymentRefunded>> = {}): EventDraft {
  const data: Data<PaymentRefunded> = {
    paymentId: 'p-1',
    orderId: 'o-1',
    amount: 500,
    currency: 'EUR',
    reason: 'damaged item',
    refundedAt: '2026-11-23T12:00:00.000Z',
    ...given,
  };
  return { type: 'PaymentRefunded', streamId: `payment-${data.paymentId}`, data };
}

export function orderShipped(given: Partial<Data<OrderShipped>> = {}): EventDraft {
  const data: Data<OrderShipped> = {
    shipmentId: 's-1',
    orderId: 'o-1',
    carrier: 'DHL',
    trackingNumber: 'TRK-1',
    shippedAt: '2026-11-24T08:00:00.000Z',
    ...given,
  };
  return { type: 'OrderShipped', streamId: `shipping-${data.shipmentId}`, data };
}

export function shipmentDelivered(given: Partial<Data<ShipmentDelivered>> = {}): EventDraft {
  const data: Data<ShipmentDelivered> = {
    shipmentId: 's-1',
    orderId: 'o-1',
    deliveredAt: '2026-11-25T15:00:00.000Z',
    ...given,
  };
  return { type: 'ShipmentDelivered', streamId: `shipping-${data.shipmentId}`, data };
}

export const INPUT_STREAM = 'shop-input';

export function shopDataReceived(
  given: { requestId?: string; inputEventId?: string; payload?: unknown } & Partial<
    Omit<ShopDataReceivedMetadata, '$correlationId'>
  > = {},
): EventDraft {
  const metadata: ShopDataReceivedMetadata = {
    applies: given.applies ?? 'Order',
    source: given.source ?? 'web',
    profile: given.profile ?? 'web/v1',
    receivedAt: given.receivedAt ?? '2026-11-23T09:59:59.000Z',
    $correlationId: given.requestId ?? 'r-1',
  };
  return {
    type: SHOP_DATA_RECEIVED,
    streamId: INPUT_STREAM,
    eventId: given.inputEventId ?? 'in-1',
    data: given.payload ?? { action: 'place', orderId: 'o-1' },
    metadata: { ...metadata },
  };
}

export function shopDataProcessed(given: Partial<Data<ShopDataProcessed>> = {}): EventDraft {
  const data: Data<ShopDataProcessed> = {
    requestId: 'r-1',
    inputEventId: 'in-1',
    applies: 'Order',
    profile: 'web/v1',
    resultIds: ['o-1'],
    eventCount: 1,
    processedAt: '2026-11-23T10:00:01.000Z',
    ...given,
  };
  return { type: 'ShopDataProcessed', streamId: `request-${data.requestId}`, data };
}

/** A domain event as the last of a processed message's plan: its metadata carries the processed outcome. */
export function settling(draft: EventDraft, given: Partial<Data<ShopDataProcessed>> = {}): EventDraft {
  const settles = shopDataProcessed({ streams: [draft.streamId], ...given }).data;
  return { ...draft, metadata: { ...draft.metadata, $correlationId: 'r-1', $causationId: 'in-1', settles } };
}

export function shopDataRejected(given: Partial<Data<ShopDataRejected>> = {}): EventDraft {
  const data: Data<ShopDataRejected> = {
    requestId: 'r-1',
    inputEventId: 'in-1',
    applies: 'Order',
    profile: 'web/v1',
    reason: 'quantity must be positive',
    rejectedAt: '2026-11-23T10:00:01.000Z',
    ...given,
  };
  return { type: 'ShopDataRejected', streamId: `request-${data.requestId}`, data };
}

export function shopDataWaiting(given: Partial<Data<ShopDataWaiting>> = {}): EventDraft {
  const data: Data<ShopDataWaiting> = {
    requestId: 'r-1',
    inputEventId: 'in-1',
    applies: 'Payment',
    profile: 'web/v1',
    reason: 'order o-1 is not known yet',
    waitingAt: '2026-11-23T10:00:01.000Z',
    ...given,
  };
  return { type: 'ShopDataWaiting', streamId: `request-${data.requestId}`, data };
}

/** What the processing group records when it parks a message (its own park, or one only the server saw). */
export function shopDataParked(given: Partial<Data<ShopDataParked>> = {}): EventDraft {
  const parkedAt = given.parkedAt ?? '2026-11-23T10:01:00.000Z';
  const data: Data<ShopDataParked> = {
    requestId: 'r-1',
    inputEventId: 'in-1',
    applies: 'Payment',
    profile: 'web/v1',
    reason: 'still waiting after 600 s: order o-1 is not known yet',
    parkedAt,
    retryCount: 12,
    firstAttemptAt: '2026-11-23T10:00:01.000Z',
    lastAttemptAt: parkedAt,
    ...given,
  };
  return { type: 'ShopDataParked', streamId: `request-${data.requestId}`, data, created: parkedAt };
}
