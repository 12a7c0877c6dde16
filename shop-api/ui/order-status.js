// @ts-check
import { h } from './dom.js';

/** @type {Record<import('./api-client.js').OrderStatus, string>} */
export const STATUS_LABELS = {
  Placed: 'Placed',
  PartiallyPaid: 'Partially paid',
  Paid: 'Paid',
  Shipped: 'Shipped',
  Delivered: 'Delivered',
  Cancelled: 'Cancelled',
};

/** @param {import('./api-client.js').OrderStatus} status */
export const statusBadge = (status) =>
  h('span', { class: `badge status-${status}` }, [STATUS_LABELS[status] ?? status]);
