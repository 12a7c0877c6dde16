// @ts-check
/* global HTMLFieldSetElement, HTMLFormElement, HTMLInputElement, HTMLSelectElement */
import { byId, control, h } from './dom.js';
import { setValue, showFieldError, suggest, validate } from './form-fields.js';
import { formSender } from './form-outcome.js';
import { newId } from './ids.js';
import * as check from './validation.js';

/**
 * The follow-up forms — pay, ship, confirm delivery, cancel, refund — each one web/v1 message. They are
 * prefilled from the order the user works on so place → pay → ship → deliver is a few clicks.
 */

/**
 * @typedef {import('./form-outcome.js').Tracker} Tracker
 * @typedef {{
 *   form: string,
 *   applies: string,
 *   rules: (value: (name: string) => string) => [string, string, import('./validation.js').Check][],
 *   payload: (value: (name: string) => string) => Record<string, unknown>,
 *   label: (value: (name: string) => string) => string,
 *   orderIdOf: (value: (name: string) => string) => string | undefined,
 *   afterSend?: (value: (name: string) => string) => void,
 * }} ActionSpec
 */

/** @param {string} formId @param {string} name */
const field = (formId, name) => {
  const form = byId(formId, HTMLFormElement);
  const element = form.elements.namedItem(name);
  if (element instanceof HTMLSelectElement) return element;
  return control(form, name, HTMLInputElement);
};

/** @type {ActionSpec[]} */
const ACTIONS = [
  {
    form: 'pay-form',
    applies: 'Payment',
    rules: (v) => [
      ['orderId', 'Order id', check.id],
      ['paymentId', 'Payment id', check.id],
      ['currency', 'Currency', check.currency],
      ['amount', 'Amount', check.amount(v('currency'))],
      ['method', 'Method', check.text],
    ],
    payload: (v) => ({
      action: 'pay',
      paymentId: v('paymentId'),
      orderId: v('orderId'),
      amount: v('amount'),
      currency: v('currency'),
      method: v('method'),
    }),
    label: (v) => `Pay ${v('amount')} ${v('currency')} for ${v('orderId')}`,
    orderIdOf: (v) => v('orderId'),
    afterSend: (v) => {
      keep(field('refund-form', 'paymentId'), v('paymentId'));
      keep(field('refund-form', 'amount'), v('amount'));
      setValue(field('pay-form', 'paymentId'), newId('p'));
      // What was paid is no longer the user's own text: the next outstanding amount replaces it.
      release(field('pay-form', 'amount'));
    },
  },
  {
    form: 'ship-form',
    applies: 'Shipping',
    rules: () => [
      ['orderId', 'Order id', check.id],
      ['shipmentId', 'Shipment id', check.id],
      ['carrier', 'Carrier', check.text],
      ['trackingNumber', 'Tracking number', check.text],
    ],
    payload: (v) => ({
      action: 'ship',
      shipmentId: v('shipmentId'),
      orderId: v('orderId'),
      carrier: v('carrier'),
      trackingNumber: v('trackingNumber'),
    }),
    label: (v) => `Ship ${v('orderId')} with ${v('carrier')}`,
    orderIdOf: (v) => v('orderId'),
    afterSend: (v) => {
      keep(field('deliver-form', 'shipmentId'), v('shipmentId'));
      setValue(field('ship-form', 'shipmentId'), newId('s'));
      setValue(field('ship-form', 'trackingNumber'), '');
    },
  },
  {
    form: 'deliver-form',
    applies: 'Shipping',
    rules: () => [['shipmentId', 'Shipment id', check.id]],
    payload: (v) => ({ action: 'deliver', shipmentId: v('shipmentId') }),
    label: (v) => `Confirm delivery of ${v('shipmentId')}`,
    orderIdOf: () => undefined,
  },
  {
    form: 'cancel-form',
    applies: 'Order',
    rules: () => [
      ['orderId', 'Order id', check.id],
      ['reason', 'Reason', check.optionalText],
    ],
    payload: (v) => ({ action: 'cancel', orderId: v('orderId'), reason: v('reason') }),
    label: (v) => `Cancel order ${v('orderId')}`,
    orderIdOf: (v) => v('orderId'),
    afterSend: () => setValue(field('cancel-form', 'reason'), ''),
  },
  {
    form: 'refund-form',
    applies: 'Payment',
    rules: (v) => [
      ['paymentId', 'Payment id', check.id],
      ['currency', 'Currency', check.currency],
      ['amount', 'Amount', check.amount(v('currency'))],
      ['reason', 'Reason', check.optionalText],
    ],
    payload: (v) => ({
      action: 'refund',
      paymentId: v('paymentId'),
      amount: v('amount'),
      currency: v('currency'),
      reason: v('reason'),
    }),
    label: (v) => `Refund ${v('amount')} ${v('currency')} of ${v('paymentId')}`,
    orderIdOf: () => undefined,
  },
];

/**
 * Fills in what was just sent as if typed: a re-read of the order that does not show it yet must not replace it.
 * @param {HTMLInputElement | HTMLSelectElement} input
 * @param {string} value
 */
function keep(input, value) {
  input.value = value;
  delete input.dataset.suggested;
}

/** @param {HTMLInputElement | HTMLSelectElement} input */
function release(input) {
  input.dataset.suggested = input.value;
}

/**
 * @param {HTMLFormElement} form
 * @returns {Record<string, string>} every named control's value, trimmed, as it was when the form was sent
 */
function snapshot(form) {
  /** @type {Record<string, string>} */
  const values = {};
  for (const element of form.elements) {
    if (element instanceof HTMLInputElement || element instanceof HTMLSelectElement) {
      if (element.name) values[element.name] = element.value.trim();
    }
  }
  return values;
}

/**
 * @param {Tracker} tracker
 * @param {(orderId: string | undefined) => void} onSent called once the gateway stored a message
 */
export function setUpOrderActions(tracker, onSent) {
  setValue(field('pay-form', 'paymentId'), newId('p'));
  setValue(field('ship-form', 'shipmentId'), newId('s'));
  for (const spec of ACTIONS) {
    const form = byId(spec.form, HTMLFormElement);
    const send = formSender(form, tracker);
    /** @param {string} name */
    const live = (name) => field(spec.form, name).value.trim();
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const rules = spec
        .rules(live)
        .map(([name, label, rule]) => ({ field: field(spec.form, name), label, check: rule }));
      if (!validate(rules)) return;
      // Everything after this point uses the values as sent, whatever the user types meanwhile.
      const values = snapshot(form);
      /** @param {string} name */
      const value = (name) => values[name] ?? '';
      const orderId = spec.orderIdOf(value);
      void send({
        label: spec.label(value),
        applies: spec.applies,
        payload: spec.payload(value),
        orderId,
      }).then((entry) => {
        if (entry.status === 'failed') return;
        spec.afterSend?.(value);
        onSent(orderId);
      });
    });
  }
}

/** The forms that act on the order itself; a cancelled order takes none of them. */
const ORDER_FORMS = /** @type {const} */ ([
  ['pay-form', 'it takes no payment'],
  ['ship-form', 'it cannot be shipped'],
  ['cancel-form', 'it is cancelled already'],
]);

/**
 * @param {string} formId
 * @param {string | undefined} reason why the form is off, or undefined to turn it on
 */
function setAvailable(formId, reason) {
  const form = byId(formId, HTMLFormElement);
  const fieldset = form.querySelector('fieldset');
  if (!(fieldset instanceof HTMLFieldSetElement)) return;
  fieldset.disabled = reason !== undefined;
  form.querySelector('.form-note')?.remove();
  if (reason !== undefined) {
    for (const input of fieldset.querySelectorAll('input')) showFieldError(input, undefined);
    fieldset.querySelector('legend')?.after(h('p', { class: 'form-note' }, [reason]));
  }
}

/** The order the forms were last pointed at: another one replaces every prefilled value, typed or not. */
let prefilledFor = '';

/**
 * Points every form at an order: ids, outstanding amount, currency, its shipment and last payment. Fields the
 * user typed into keep their text while the same order is shown; opening another order starts afresh. A cancelled
 * order leaves Pay, Ship and Cancel off and empty, so nothing can be sent for it by one more click.
 * @param {import('./api-client.js').Order | { id: string, currency: string, outstanding?: string }} order
 */
export function prefillFor(order) {
  const switched = order.id !== prefilledFor;
  prefilledFor = order.id;
  const put = switched ? setValue : suggest;
  const cancelled = 'status' in order && order.status === 'Cancelled';
  for (const [formId, why] of ORDER_FORMS) {
    setAvailable(formId, cancelled ? `Order ${order.id} is cancelled: ${why}.` : undefined);
    put(field(formId, 'orderId'), cancelled ? '' : order.id);
  }
  for (const formId of ['pay-form', 'refund-form']) put(field(formId, 'currency'), order.currency);
  if (cancelled) setValue(field('pay-form', 'amount'), '');
  else if (order.outstanding !== undefined) put(field('pay-form', 'amount'), order.outstanding);
  else if (switched) setValue(field('pay-form', 'amount'), '');
  const shipmentId = 'status' in order ? order.shipment?.shipmentId : undefined;
  // The same order without a shipment yet keeps the id the Ship form just sent.
  if (switched || shipmentId !== undefined) put(field('deliver-form', 'shipmentId'), shipmentId ?? '');
  const payments = 'status' in order ? order.payments : [];
  const lastPayment = payments[payments.length - 1];
  if (lastPayment) {
    put(field('refund-form', 'paymentId'), lastPayment.paymentId);
    put(field('refund-form', 'amount'), lastPayment.amount);
  } else if (switched) {
    setValue(field('refund-form', 'paymentId'), '');
    setValue(field('refund-form', 'amount'), '');
  }
}
