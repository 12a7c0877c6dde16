// @ts-check
import { fetchOrder } from './api-client.js';
import { when } from './dates.js';
import { append, h, sleep } from './dom.js';
import { money, times } from './money.js';
import { STATUS_LABELS, statusBadge } from './order-status.js';

/** One order as the read model has it, re-read while something sent for it may still change it. */

export const POLL_INTERVAL_MS = 500;
/** How long to keep re-reading after the last change the page asked for (read models trail the requests). */
export const WATCH_MS = 6000;

/**
 * @typedef {import('./api-client.js').Order} Order
 */

const STEPS = /** @type {const} */ (['Placed', 'Paid', 'Shipped', 'Delivered']);
/** @type {Record<string, number>} */
const STEP_OF_STATUS = { Placed: 0, PartiallyPaid: 0, Paid: 1, Shipped: 2, Delivered: 3 };

/** @param {Order} order */
function progress(order) {
  if (order.status === 'Cancelled') {
    return h('p', { class: 'cancelled' }, [
      `Cancelled ${order.cancelledAt ? when(order.cancelledAt) : ''}`,
      order.cancelReason ? ` — ${order.cancelReason}` : '',
    ]);
  }
  const reached = STEP_OF_STATUS[order.status] ?? 0;
  return h(
    'ol',
    { class: 'steps', 'aria-label': 'Progress' },
    STEPS.map((step, index) =>
      h(
        'li',
        { class: index <= reached ? 'done' : 'todo', 'aria-current': index === reached ? 'step' : undefined },
        [step],
      ),
    ),
  );
}

/**
 * @param {string[]} headings
 * @param {(string | Node)[][]} rows
 * @param {(string | Node)[][]} [footer]
 */
function table(headings, rows, footer = []) {
  const numeric = (/** @type {number} */ index) =>
    index > 0 && index >= headings.length - 2 ? 'num' : undefined;
  return h('table', { class: 'compact' }, [
    h('thead', {}, [
      h(
        'tr',
        {},
        headings.map((text, i) => h('th', { scope: 'col', class: numeric(i) }, [text])),
      ),
    ]),
    h(
      'tbody',
      {},
      rows.map((cells) =>
        h(
          'tr',
          {},
          cells.map((cell, i) => h('td', { class: numeric(i) }, [cell])),
        ),
      ),
    ),
    footer.length === 0
      ? null
      : h(
          'tfoot',
          {},
          footer.map(([label, ...cells]) =>
            h('tr', {}, [
              h('th', { scope: 'row', colspan: headings.length - cells.length }, [label ?? '']),
              ...cells.map((cell) => h('td', { class: 'num' }, [cell])),
            ]),
          ),
        ),
  ]);
}

/** @param {Order} order */
function render(order) {
  const $ = (/** @type {string} */ amount) => money(amount, order.currency);
  const customer = order.customer;
  return [
    h('div', { class: 'detail-head' }, [h('h3', {}, [`Order ${order.id}`]), statusBadge(order.status)]),
    progress(order),
    h('dl', { class: 'facts' }, [
      h('dt', {}, ['Customer']),
      h('dd', {}, [`${customer.name} (${customer.id}${customer.email ? `, ${customer.email}` : ''})`]),
      h('dt', {}, ['Placed']),
      h('dd', {}, [when(order.placedAt)]),
      h('dt', {}, ['Last change']),
      h('dd', {}, [when(order.updatedAt)]),
    ]),
    table(
      ['SKU', 'Quantity', 'Unit price', 'Line total'],
      order.lines.map((line) => [
        line.sku,
        String(line.quantity),
        $(line.unitPrice),
        $(times(line.unitPrice, line.quantity)),
      ]),
      [
        ['Total', $(order.total)],
        ['Paid', $(order.paid)],
        ['Refunded', $(order.refunded)],
        ['Outstanding', $(order.outstanding)],
      ],
    ),
    h('h4', {}, ['Payments']),
    order.payments.length === 0
      ? h('p', { class: 'hint' }, ['No payments yet.'])
      : table(
          ['Payment', 'Method', 'Recorded', 'Refunded', 'Amount'],
          order.payments.map((p) => [p.paymentId, p.method, when(p.recordedAt), $(p.refunded), $(p.amount)]),
        ),
    order.refunds.length === 0 ? null : h('h4', {}, ['Refunds']),
    order.refunds.length === 0
      ? null
      : table(
          ['Payment', 'Reason', 'Refunded at', 'Amount'],
          order.refunds.map((r) => [r.paymentId, r.reason || '—', when(r.refundedAt), $(r.amount)]),
        ),
    h('h4', {}, ['Shipment']),
    order.shipment
      ? h('dl', { class: 'facts' }, [
          h('dt', {}, ['Shipment']),
          h('dd', {}, [
            `${order.shipment.shipmentId} by ${order.shipment.carrier}, tracking ${order.shipment.trackingNumber}`,
          ]),
          h('dt', {}, ['Shipped']),
          h('dd', {}, [when(order.shipment.shippedAt)]),
          h('dt', {}, ['Delivered']),
          h('dd', {}, [order.shipment.deliveredAt ? when(order.shipment.deliveredAt) : 'not yet']),
        ])
      : h('p', { class: 'hint' }, ['Not shipped yet.']),
  ];
}

/**
 * @param {HTMLElement} container
 * @param {(order: Order) => void} onLoaded called whenever a changed version of the shown order was read
 */
export function createOrderDetail(container, onLoaded) {
  const status = h('p', { class: 'detail-status', role: 'status' });
  const body = h('div', { class: 'detail-body' });
  /** @type {string | undefined} */
  let currentId;
  let lastSeen = '';
  let watchUntil = 0;
  let polling = false;

  /** @param {string} id */
  async function load(id) {
    const reply = await fetchOrder(id);
    if (id !== currentId) return;
    if (!reply.ok) {
      status.textContent = `Cannot read order ${id}: ${reply.message}`;
      return;
    }
    const order = reply.value;
    if (!order) {
      const waiting = Date.now() < watchUntil;
      status.textContent = waiting ? `Waiting for order ${id} to appear…` : `There is no order ${id} (yet).`;
      container.dataset.orderStatus = 'none';
      return;
    }
    const seen = JSON.stringify(order);
    if (seen === lastSeen) return;
    lastSeen = seen;
    status.textContent = `Order ${order.id} is ${STATUS_LABELS[order.status].toLowerCase()}.`;
    container.dataset.orderStatus = order.status;
    body.replaceChildren();
    append(body, render(order));
    onLoaded(order);
  }

  async function poll() {
    if (polling) return;
    polling = true;
    try {
      while (currentId !== undefined) {
        await load(currentId);
        if (Date.now() >= watchUntil) break;
        await sleep(POLL_INTERVAL_MS);
      }
    } finally {
      polling = false;
    }
  }

  return {
    /** @param {string} id */
    show(id) {
      if (id !== currentId) {
        currentId = id;
        lastSeen = '';
        container.dataset.orderId = id;
        container.dataset.orderStatus = 'loading';
        status.textContent = `Loading order ${id}…`;
        body.replaceChildren();
        container.replaceChildren(status, body);
      }
      this.watch(id);
    },
    /** Keeps re-reading the shown order for a while; other ids are ignored. @param {string} [id] */
    watch(id) {
      if (currentId === undefined || (id !== undefined && id !== currentId)) return;
      watchUntil = Math.max(watchUntil, Date.now() + WATCH_MS);
      void poll();
    },
    get currentId() {
      return currentId;
    },
  };
}
