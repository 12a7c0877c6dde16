// @ts-check
/* global document, window, HTMLAnchorElement, HTMLDivElement, HTMLElement, HTMLFormElement, HTMLInputElement, HTMLOListElement, HTMLParagraphElement */
import { byId, control } from './dom.js';
import { setUpKeyForm } from './key-form.js';
import { setValue, validate } from './form-fields.js';
import { prefillFor, setUpOrderActions } from './order-actions.js';
import { createOrderDetail } from './order-detail.js';
import { setUpOrderForm } from './order-form.js';
import { createOrderHistory } from './order-history.js';
import { setUpOrdersList } from './orders-list.js';
import { createPipelineView } from './pipeline-view.js';
import { createRequestTracker } from './request-tracker.js';
import { orderHash, parseRoute, recordRoute } from './router.js';
import { setUpSalesReport } from './sales-report.js';
import * as check from './validation.js';

/** Wires the page: what is sent is tracked, and every outcome refreshes the views that may have changed. */

setUpKeyForm();

// Codes are upper case by definition; typing "eur" should not be a mistake to report.
document.addEventListener('input', (event) => {
  const target = event.target;
  if (target instanceof HTMLInputElement && target.classList.contains('upper')) {
    const { selectionStart, selectionEnd } = target;
    target.value = target.value.toUpperCase();
    target.setSelectionRange(selectionStart, selectionEnd);
  }
});

const openOrderForm = byId('open-order-form', HTMLFormElement);
const openOrderId = control(openOrderForm, 'orderId', HTMLInputElement);
const orderHistory = createOrderHistory(byId('order-history', HTMLElement));

const detail = createOrderDetail(byId('order-detail', HTMLDivElement), (order) => {
  prefillFor(order);
  setValue(openOrderId, order.id);
  void orderHistory.show(order.id);
});

/** Shows an order and gives it its own URL. @param {string} orderId */
function openOrder(orderId) {
  recordRoute(orderHash(orderId));
  detail.show(orderId);
}

const ordersList = setUpOrdersList((orderId) => {
  openOrder(orderId);
  byId('detail-title', HTMLElement).scrollIntoView({ behavior: 'smooth', block: 'start' });
});
const sales = setUpSalesReport();

const emptyHint = byId('requests-empty', HTMLParagraphElement);
const tracker = createRequestTracker(byId('request-log', HTMLOListElement), (entry) => {
  emptyHint.hidden = true;
  // The detail is re-read when the request's third step is done, so it never runs ahead of the request's log.
  const projected = entry.trace?.projected?.done ?? false;
  if (projected || entry.status === 'rejected' || entry.status === 'parked') {
    detail.watch(entry.submission.orderId);
    ordersList.refresh();
    sales.refresh();
  }
});
if (tracker.entries().length > 0) emptyHint.hidden = true;

setUpOrderForm(tracker, (placed) => {
  prefillFor({ id: placed.orderId, currency: placed.currency, outstanding: placed.total });
  openOrder(placed.orderId);
});
setUpOrderActions(tracker, (orderId) => {
  if (orderId !== undefined && orderId !== detail.currentId) openOrder(orderId);
});

openOrderForm.addEventListener('submit', (event) => {
  event.preventDefault();
  if (validate([{ field: openOrderId, label: 'Order id', check: check.id }]))
    openOrder(openOrderId.value.trim());
});

const ordersView = byId('orders-view', HTMLDivElement);
const pipelineSection = byId('pipeline-view', HTMLElement);
const pipeline = createPipelineView(
  byId('pipeline-diagram', HTMLDivElement),
  byId('pipeline-message', HTMLParagraphElement),
);
const navOrders = byId('nav-orders', HTMLAnchorElement);
const navPipeline = byId('nav-pipeline', HTMLAnchorElement);

/** Shows the view the URL names; `moveFocus` after a user's navigation, not on the first load. */
function route(moveFocus = true) {
  const current = parseRoute(window.location.hash);
  const onPipeline = current.view === 'pipeline';
  pipelineSection.hidden = !onPipeline;
  ordersView.hidden = onPipeline;
  pipeline.setOpen(onPipeline);
  for (const [link, active] of /** @type {const} */ ([
    [navOrders, !onPipeline],
    [navPipeline, onPipeline],
  ])) {
    if (active) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (onPipeline && moveFocus) byId('pipeline-title', HTMLElement).focus();
  if (current.view === 'orders' && current.orderId !== undefined && current.orderId !== detail.currentId) {
    detail.show(current.orderId);
    if (moveFocus) byId('order-detail', HTMLDivElement).focus();
  }
}
window.addEventListener('hashchange', () => route());
window.addEventListener('popstate', () => route());
route(false);
