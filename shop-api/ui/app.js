// @ts-check
/* global document, HTMLDivElement, HTMLElement, HTMLFormElement, HTMLInputElement, HTMLOListElement, HTMLParagraphElement */
import { byId, control } from './dom.js';
import { setUpKeyForm } from './key-form.js';
import { setValue, validate } from './form-fields.js';
import { prefillFor, setUpOrderActions } from './order-actions.js';
import { createOrderDetail } from './order-detail.js';
import { setUpOrderForm } from './order-form.js';
import { setUpOrdersList } from './orders-list.js';
import { createRequestTracker } from './request-tracker.js';
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

const detail = createOrderDetail(byId('order-detail', HTMLDivElement), (order) => {
  prefillFor(order);
  setValue(openOrderId, order.id);
});
const ordersList = setUpOrdersList((orderId) => {
  detail.show(orderId);
  byId('detail-title', HTMLElement).scrollIntoView({ behavior: 'smooth', block: 'start' });
});
const sales = setUpSalesReport();

const emptyHint = byId('requests-empty', HTMLParagraphElement);
const tracker = createRequestTracker(byId('request-log', HTMLOListElement), (entry) => {
  emptyHint.hidden = true;
  detail.watch(entry.submission.orderId);
  if (entry.status === 'processed' || entry.status === 'rejected') {
    ordersList.refresh();
    sales.refresh();
  }
});

setUpOrderForm(tracker, (placed) => {
  prefillFor({ id: placed.orderId, currency: placed.currency, outstanding: placed.total });
  detail.show(placed.orderId);
});
setUpOrderActions(tracker, (orderId) => {
  if (orderId !== undefined && orderId !== detail.currentId) detail.show(orderId);
  else detail.watch();
});

openOrderForm.addEventListener('submit', (event) => {
  event.preventDefault();
  if (validate([{ field: openOrderId, label: 'Order id', check: check.id }]))
    detail.show(openOrderId.value.trim());
});
