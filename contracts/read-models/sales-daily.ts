import type { ReadModelDocument } from './read-model';

export const SALES_DAILY_COLLECTION = 'sales_daily';

/**
 * The `sales_daily` read model: one document per UTC day and currency, `_id` `2026-11-23:EUR`. Revenue is in
 * integer minor units of `currency`; units are the quantities ordered, per SKU.
 */
export interface SalesDayDocument extends ReadModelDocument {
  readonly day: string;
  readonly currency: string;
  readonly ordersPlaced: number;
  readonly ordersCancelled: number;
  /** Integer minor units as decimal digits: a day's sum may pass 2^53, where a double is no longer exact. */
  readonly revenuePlaced: string;
  readonly revenuePaid: string;
  readonly revenueRefunded: string;
  readonly unitsBySku: Readonly<Record<string, number>>;
}

/** The events this read model is made of: its projection handles these and no others. */
export const SALES_DAILY_EVENT_TYPES = [
  'OrderPlaced',
  'OrderCancelled',
  'PaymentRecorded',
  'PaymentRefunded',
] as const;
