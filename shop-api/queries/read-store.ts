import type { Db, Filter } from 'mongodb';
import { ORDERS_COLLECTION, type OrderDocument } from '../../contracts/read-models/orders';
import { REQUESTS_COLLECTION, type RequestDocument } from '../../contracts/read-models/requests';
import { SALES_DAILY_COLLECTION, type SalesDayDocument } from '../../contracts/read-models/sales-daily';
import type { OrderCursor, OrderListQuery, SalesReportQuery } from './query-params';

/** The gateway's read side: the three read models, queried only through their indexes. */
export interface ReadStore {
  order(id: string): Promise<OrderDocument | null>;
  /** One page, newest first, plus whether more follow. */
  orders(query: OrderListQuery): Promise<{ items: OrderDocument[]; more: boolean }>;
  request(id: string): Promise<RequestDocument | null>;
  salesDays(query: SalesReportQuery): Promise<SalesDayDocument[]>;
}

function afterCursor(cursor: OrderCursor): Filter<OrderDocument> {
  return {
    $or: [{ placedAt: { $lt: cursor.placedAt } }, { placedAt: cursor.placedAt, _id: { $lt: cursor.id } }],
  };
}

export function mongoReadStore(db: Db): ReadStore {
  const orders = db.collection<OrderDocument>(ORDERS_COLLECTION);
  const requests = db.collection<RequestDocument>(REQUESTS_COLLECTION);
  const sales = db.collection<SalesDayDocument>(SALES_DAILY_COLLECTION);
  return {
    order: (id) => orders.findOne({ _id: id }),
    async orders({ status, customerId, limit, cursor }) {
      const filter: Filter<OrderDocument> = {
        ...(status === undefined ? {} : { status }),
        ...(customerId === undefined ? {} : { 'customer.id': customerId }),
      };
      const query = cursor ? { $and: [filter, afterCursor(cursor)] } : filter;
      const page = await orders
        .find(query)
        .sort({ placedAt: -1, _id: -1 })
        .limit(limit + 1)
        .toArray();
      return { items: page.slice(0, limit), more: page.length > limit };
    },
    request: (id) => requests.findOne({ _id: id }),
    salesDays({ from, to, currency }) {
      const filter: Filter<SalesDayDocument> = {
        day: { $gte: from, $lte: to },
        ...(currency === undefined ? {} : { currency }),
      };
      return sales.find(filter).sort({ day: 1, currency: 1 }).toArray();
    },
  };
}
