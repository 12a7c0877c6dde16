import { ORDERS_COLLECTION, ORDERS_EVENT_TYPES } from './orders';
import { REQUESTS_COLLECTION, REQUESTS_EVENT_TYPES } from './requests';
import { SALES_DAILY_COLLECTION, SALES_DAILY_EVENT_TYPES } from './sales-daily';

/** A read model as its readers see it: the collection it lives in (also its checkpoint's id) and what feeds it. */
export interface ReadModelContract {
  readonly name: string;
  readonly eventTypes: readonly string[];
}

/** Every read model the synchronizers keep, in the order they are listed to operators. */
export const READ_MODELS: readonly ReadModelContract[] = [
  { name: ORDERS_COLLECTION, eventTypes: ORDERS_EVENT_TYPES },
  { name: REQUESTS_COLLECTION, eventTypes: REQUESTS_EVENT_TYPES },
  { name: SALES_DAILY_COLLECTION, eventTypes: SALES_DAILY_EVENT_TYPES },
];
