import { parseEventPart, utcDayOf } from '../event-data';
import { orderCancelledData, orderPlacedData } from '../../contracts/events/orders';
import { paymentRecordedData, paymentRefundedData } from '../../contracts/events/payments';
import type { ProjectedEvent, Projection } from '../projection';
import {
  SALES_DAILY_COLLECTION,
  SALES_DAILY_EVENT_TYPES,
  type SalesDayDocument,
} from '../../contracts/read-models/sales-daily';
import { addMinor, addUnits, emptySalesDay, salesDayId } from './sales-day-document';

/** The day and currency an event counts for, and what it adds to that day's document. */
type SalesEffect = {
  readonly day: string;
  readonly currency: string;
  readonly add: (doc: SalesDayDocument) => SalesDayDocument;
};

function salesEffectOf(event: ProjectedEvent): SalesEffect | undefined {
  switch (event.type) {
    case 'OrderPlaced': {
      const data = parseEventPart(orderPlacedData, event.data, event);
      return {
        day: utcDayOf(data.placedAt),
        currency: data.currency,
        add: (doc) => ({
          ...doc,
          ordersPlaced: doc.ordersPlaced + 1,
          revenuePlaced: addMinor(doc.revenuePlaced, data.total),
          unitsBySku: addUnits(doc.unitsBySku, data.lines),
        }),
      };
    }
    case 'OrderCancelled': {
      const data = parseEventPart(orderCancelledData, event.data, event);
      return {
        day: utcDayOf(data.cancelledAt),
        currency: data.currency,
        add: (doc) => ({ ...doc, ordersCancelled: doc.ordersCancelled + 1 }),
      };
    }
    case 'PaymentRecorded': {
      const data = parseEventPart(paymentRecordedData, event.data, event);
      return {
        day: utcDayOf(data.recordedAt),
        currency: data.currency,
        add: (doc) => ({ ...doc, revenuePaid: addMinor(doc.revenuePaid, data.amount) }),
      };
    }
    case 'PaymentRefunded': {
      const data = parseEventPart(paymentRefundedData, event.data, event);
      return {
        day: utcDayOf(data.refundedAt),
        currency: data.currency,
        add: (doc) => ({ ...doc, revenueRefunded: addMinor(doc.revenueRefunded, data.amount) }),
      };
    }
    default:
      return undefined;
  }
}

/**
 * An event's effect, worked out once per event object (events are never changed): a batch is keyed before it
 * is applied, and parsing the event is most of the cost.
 */
const effects = new WeakMap<ProjectedEvent, SalesEffect | undefined>();

function effectOf(event: ProjectedEvent): SalesEffect | undefined {
  if (effects.has(event)) return effects.get(event);
  const effect = salesEffectOf(event);
  effects.set(event, effect);
  return effect;
}

/**
 * Sales per UTC day and currency. These are increments, which are replay-safe only through the per-document
 * `_position` guard in `projectBatch`: each event lands on exactly one document, so "this document has seen every
 * event up to its `_position`" holds per document even when a runner dies after writing only some documents of
 * a batch — a single batch-wide checkpoint could not tell which of those writes landed.
 */
export const salesDailyProjection: Projection<SalesDayDocument> = {
  name: SALES_DAILY_COLLECTION,
  eventTypes: SALES_DAILY_EVENT_TYPES,
  keysOf(event) {
    const effect = effectOf(event);
    return effect ? [salesDayId(effect.day, effect.currency)] : [];
  },
  apply(doc, event) {
    const effect = effectOf(event);
    if (!effect) return doc;
    return effect.add(doc ?? emptySalesDay(effect.day, effect.currency));
  },
  indexes: [{ key: { day: 1, currency: 1 }, unique: true, name: 'day_currency' }],
};
