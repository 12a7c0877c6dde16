// @ts-check
/* global HTMLFormElement, HTMLInputElement, HTMLSelectElement */
import { byId, control } from './dom.js';
import { setValue, suggest, validate } from './form-fields.js';
import { newId } from './ids.js';
import * as check from './validation.js';

/**
 * The follow-up forms — pay, ship, confirm delivery, cancel, refund — each one web/v1 message. They are
 * prefilled from the order the user works on so place → pay → ship → deliver is a few clicks.
 */

/**
 * @typedef {import('./request-tracker.js').Submission} Submission
 * @typedef {{ submit: (submission: Submission) => Promise<import('./request-tracker.js').Tracked> }} Tracker
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
      setValue(field('pay-form', 'paymentId'), newId('p'));
      setValue(field('refund-form', 'paymentId'), v('paymentId'));
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
      setValue(field('deliver-form', 'shipmentId'), v('shipmentId'));
      setValue(field('ship-form', 'shipmentId'), newId('s'));
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
 * @param {Tracker} tracker
 * @param {(orderId: string | undefined) => void} onSent called once the gateway stored a message
 */
export function setUpOrderActions(tracker, onSent) {
  setValue(field('pay-form', 'paymentId'), newId('p'));
  setValue(field('ship-form', 'shipmentId'), newId('s'));
  for (const spec of ACTIONS) {
    const form = byId(spec.form, HTMLFormElement);
    /** @param {string} name */
    const value = (name) => field(spec.form, name).value.trim();
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const rules = spec
        .rules(value)
        .map(([name, label, rule]) => ({ field: field(spec.form, name), label, check: rule }));
      if (!validate(rules)) return;
      const orderId = spec.orderIdOf(value);
      const submission = {
        label: spec.label(value),
        applies: spec.applies,
        payload: spec.payload(value),
        orderId,
      };
      void tracker.submit(submission).then((entry) => {
        if (entry.status === 'failed') return;
        spec.afterSend?.(value);
        onSent(orderId);
      });
    });
  }
}

/**
 * Points every form at an order: ids, outstanding amount, currency, its shipment and last payment. Fields the
 * user typed into keep their text.
 * @param {import('./api-client.js').Order | { id: string, currency: string, outstanding?: string }} order
 */
export function prefillFor(order) {
  for (const formId of ['pay-form', 'ship-form', 'cancel-form']) suggest(field(formId, 'orderId'), order.id);
  for (const formId of ['pay-form', 'refund-form']) suggest(field(formId, 'currency'), order.currency);
  if (order.outstanding !== undefined) suggest(field('pay-form', 'amount'), order.outstanding);
  if (!('status' in order)) return;
  if (order.shipment) suggest(field('deliver-form', 'shipmentId'), order.shipment.shipmentId);
  const lastPayment = order.payments[order.payments.length - 1];
  if (lastPayment) {
    suggest(field('refund-form', 'paymentId'), lastPayment.paymentId);
    suggest(field('refund-form', 'amount'), lastPayment.amount);
  }
}
