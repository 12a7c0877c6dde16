import { ordersProjection } from './orders/orders-projection';
import type { Projection, ReadModelDocument } from './projection';
import { requestsProjection } from './requests/requests-projection';
import { salesDailyProjection } from './sales-daily/sales-daily-projection';

/** Every read model a synchronizer keeps, by collection name. */
export const readModels: Projection<ReadModelDocument>[] = [
  ordersProjection,
  requestsProjection,
  salesDailyProjection,
];
