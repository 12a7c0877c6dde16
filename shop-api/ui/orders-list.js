// @ts-check
/* global HTMLButtonElement, HTMLFormElement, HTMLInputElement, HTMLParagraphElement, HTMLSelectElement, HTMLSpanElement, HTMLTableSectionElement */
import { fetchOrders, ORDER_STATUSES } from './api-client.js';
import { byId, control, h } from './dom.js';
import { when } from './dates.js';
import { STATUS_LABELS, statusBadge } from './order-status.js';
import { validate } from './form-fields.js';
import { money } from './money.js';
import * as check from './validation.js';

export const MAX_PAGE_SIZE = 100;

/** @type {import('./validation.js').Check} */
const pageSize = (value) =>
  check.quantity(value) ?? (Number(value) > MAX_PAGE_SIZE ? `must be at most ${MAX_PAGE_SIZE}` : undefined);

/** The orders list: newest first, filtered by status and customer, paged with the API's cursors. */

/**
 * @param {(orderId: string) => void} onOpen called when the user picks an order
 */
export function setUpOrdersList(onOpen) {
  const form = byId('orders-filter', HTMLFormElement);
  const statusSelect = control(form, 'status', HTMLSelectElement);
  const customer = control(form, 'customerId', HTMLInputElement);
  const limit = control(form, 'limit', HTMLInputElement);
  const rows = byId('orders-rows', HTMLTableSectionElement);
  const message = byId('orders-message', HTMLParagraphElement);
  const newer = byId('orders-newer', HTMLButtonElement);
  const older = byId('orders-older', HTMLButtonElement);
  const pageLabel = byId('orders-page', HTMLSpanElement);

  for (const status of ORDER_STATUSES)
    statusSelect.append(h('option', { value: status }, [STATUS_LABELS[status]]));

  /** Cursor of each page visited so far; page 1 has none. @type {(string | undefined)[]} */
  let cursors = [undefined];
  let page = 0;
  /** @type {string | null} */
  let nextCursor = null;
  /** Only the latest load may render: an older reply arriving late is dropped. */
  let loads = 0;

  async function load() {
    const ticket = ++loads;
    const reply = await fetchOrders({
      status: statusSelect.value,
      customerId: customer.value.trim(),
      limit: limit.value,
      cursor: cursors[page],
    });
    if (ticket !== loads) return;
    if (!reply.ok || !reply.value) {
      message.textContent = reply.ok ? 'The orders cannot be listed.' : reply.message;
      message.classList.add('error');
      return;
    }
    const { items } = reply.value;
    nextCursor = reply.value.nextCursor;
    message.classList.remove('error');
    message.textContent = items.length === 0 ? 'No orders match.' : '';
    rows.replaceChildren(
      ...items.map((order) => {
        const open = h('button', { type: 'button', class: 'link' }, [order.id]);
        open.addEventListener('click', () => onOpen(order.id));
        return h('tr', { 'data-order-id': order.id }, [
          h('td', {}, [open]),
          h('td', {}, [`${order.customer.name} (${order.customer.id})`]),
          h('td', {}, [statusBadge(order.status)]),
          h('td', { class: 'num' }, [money(order.total, order.currency)]),
          h('td', { class: 'num' }, [money(order.outstanding, order.currency)]),
          h('td', {}, [when(order.placedAt)]),
        ]);
      }),
    );
    pageLabel.textContent = `Page ${page + 1}`;
    newer.disabled = page === 0;
    older.disabled = nextCursor === null;
  }

  const fromFirstPage = () => {
    cursors = [undefined];
    page = 0;
    void load();
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (validate([{ field: limit, label: 'Per page', check: pageSize }])) fromFirstPage();
  });
  statusSelect.addEventListener('change', fromFirstPage);
  older.addEventListener('click', () => {
    if (nextCursor === null) return;
    page += 1;
    cursors[page] = nextCursor;
    void load();
  });
  newer.addEventListener('click', () => {
    if (page === 0) return;
    page -= 1;
    void load();
  });

  void load();
  return {
    /** Re-reads the page on screen (after the pipeline processed something). */
    refresh: () => void load(),
  };
}
