// @ts-check
/* global HTMLButtonElement, HTMLFormElement, HTMLInputElement, HTMLOutputElement, HTMLTableSectionElement */
import { byId, control, h } from './dom.js';
import { setValue, showFieldError, validate } from './form-fields.js';
import { formSender } from './form-outcome.js';
import { newId } from './ids.js';
import { linesTotal } from './money.js';
import * as check from './validation.js';

/** The "Place an order" form: customer, any number of lines, currency, shipping address. */

/**
 * @typedef {{ orderId: string, currency: string, total: string | undefined }} Placed
 * @typedef {{ sku: HTMLInputElement, quantity: HTMLInputElement, unitPrice: HTMLInputElement, row: HTMLTableRowElement }} LineRow
 */

let lineCounter = 0;

/**
 * @param {HTMLTableSectionElement} body
 * @param {() => void} onChange
 * @returns {LineRow}
 */
function addLine(body, onChange) {
  const n = ++lineCounter;
  /** @param {string} name @param {string} label @param {Record<string, string>} extra */
  const cell = (name, label, extra) => {
    const input = h('input', { id: `line-${n}-${name}`, name, autocomplete: 'off', ...extra });
    const labelEl = h('label', { for: input.id, class: 'visually-hidden' }, [label]);
    return { input, td: h('td', {}, [labelEl, input]), labelEl };
  };
  const sku = cell('sku', 'SKU', { spellcheck: 'false', placeholder: 'SKU-1' });
  const quantity = cell('quantity', 'Quantity', { inputmode: 'numeric', value: '1' });
  const unitPrice = cell('unitPrice', 'Unit price', { inputmode: 'decimal', placeholder: '12.50' });
  const remove = h('button', { type: 'button', class: 'icon secondary' }, ['✕']);
  const row = h('tr', {}, [sku.td, quantity.td, unitPrice.td, h('td', {}, [remove])]);
  remove.addEventListener('click', () => {
    row.remove();
    renumber(body);
    onChange();
  });
  body.append(row);
  renumber(body);
  return { sku: sku.input, quantity: quantity.input, unitPrice: unitPrice.input, row };
}

/** Labels say which line they belong to ("SKU, line 2"); only a sole line cannot be removed. @param {HTMLTableSectionElement} body */
function renumber(body) {
  const rows = [...body.rows];
  rows.forEach((row, index) => {
    for (const label of row.querySelectorAll('label')) {
      label.textContent = `${label.textContent?.split(',')[0] ?? ''}, line ${index + 1}`;
    }
    const remove = row.querySelector('button');
    if (remove) {
      remove.setAttribute('aria-label', `Remove line ${index + 1}`);
      remove.disabled = rows.length === 1;
    }
  });
}

/**
 * @param {HTMLTableSectionElement} body
 * @returns {LineRow[]}
 */
function lineRows(body) {
  return [...body.rows].map((row) => {
    const [sku, quantity, unitPrice] = row.querySelectorAll('input');
    if (!sku || !quantity || !unitPrice) throw new Error('a line row lost its inputs');
    return { sku, quantity, unitPrice, row };
  });
}

/**
 * @param {import('./form-outcome.js').Tracker} tracker
 * @param {(placed: Placed) => void} onPlaced called once the gateway stored the order
 */
export function setUpOrderForm(tracker, onPlaced) {
  const form = byId('place-form', HTMLFormElement);
  const body = byId('place-lines', HTMLTableSectionElement);
  const totalOutput = byId('place-total', HTMLOutputElement);
  /** @param {string} name */
  const input = (name) => control(form, name, HTMLInputElement);
  const orderId = input('orderId');
  const currency = input('currency');

  const lines = () =>
    lineRows(body).map((line) => ({
      sku: line.sku.value,
      quantity: line.quantity.value,
      unitPrice: line.unitPrice.value,
    }));
  const currencyCode = () => currency.value.trim().toUpperCase();
  const showTotal = () => {
    const total = check.currency(currencyCode()) ? undefined : linesTotal(lines(), currencyCode());
    totalOutput.value = total === undefined ? '—' : `${total} ${currencyCode()}`;
  };

  setValue(orderId, newId('o'));
  addLine(body, showTotal);
  byId('add-line', HTMLButtonElement).addEventListener('click', () => {
    addLine(body, showTotal).sku.focus();
  });
  form.addEventListener('input', showTotal);
  showTotal();
  const send = formSender(form, tracker);

  /** After an order went out: a fresh form (currency and country stay), so one more click places nothing. */
  function reset() {
    for (const name of ['customerId', 'customerName', 'customerEmail', 'line1', 'city', 'postcode']) {
      showFieldError(input(name), undefined);
      setValue(input(name), '');
    }
    body.replaceChildren();
    addLine(body, showTotal);
    setValue(orderId, newId('o'));
    showTotal();
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const code = currencyCode();
    const rules = [
      { field: orderId, label: 'Order id', check: check.id },
      { field: currency, label: 'Currency', check: check.currency },
      { field: input('customerId'), label: 'Customer id', check: check.id },
      { field: input('customerName'), label: 'Customer name', check: check.text },
      { field: input('customerEmail'), label: 'Email', check: check.optionalEmail },
      ...lineRows(body).flatMap((line, index) => [
        { field: line.sku, label: `SKU of line ${index + 1}`, check: check.id },
        { field: line.quantity, label: `Quantity of line ${index + 1}`, check: check.quantity },
        {
          field: line.unitPrice,
          label: `Unit price of line ${index + 1}`,
          check: check.amount(code, { allowZero: true }),
        },
      ]),
      { field: input('line1'), label: 'Street and number', check: check.text },
      { field: input('city'), label: 'City', check: check.text },
      { field: input('postcode'), label: 'Postcode', check: check.text },
      { field: input('country'), label: 'Country code', check: check.country },
    ];
    if (!validate(rules)) return;
    const email = input('customerEmail').value.trim();
    const id = orderId.value.trim();
    const payload = {
      action: 'place',
      orderId: id,
      customer: {
        id: input('customerId').value.trim(),
        name: input('customerName').value.trim(),
        ...(email ? { email } : {}),
      },
      lines: lines().map((line) => ({
        sku: line.sku.trim(),
        quantity: Number(line.quantity),
        unitPrice: line.unitPrice.trim(),
      })),
      currency: code,
      shippingAddress: {
        line1: input('line1').value.trim(),
        city: input('city').value.trim(),
        postcode: input('postcode').value.trim(),
        country: input('country').value.trim(),
      },
    };
    const total = linesTotal(lines(), code);
    void send({ label: `Place order ${id}`, applies: 'Order', payload, orderId: id }).then((entry) => {
      if (entry.status === 'failed') return;
      reset();
      onPlaced({ orderId: id, currency: code, total });
    });
  });
}
