// @ts-check
/* global HTMLDivElement, HTMLFormElement, HTMLInputElement, HTMLParagraphElement */
import { fetchSalesReport } from './api-client.js';
import { addDays, daysFrom, utcDay } from './dates.js';
import { byId, control, h } from './dom.js';
import { validate } from './form-fields.js';
import { salesChart } from './sales-chart.js';
import * as check from './validation.js';

/** The daily sales report: a chart per currency, the totals, and the numbers behind the chart on demand. */

export const DEFAULT_DAYS = 14;

/**
 * @typedef {import('./api-client.js').SalesReport} SalesReport
 * @typedef {import('./api-client.js').SalesTotal} SalesTotal
 */

/** @param {number} count @param {string} noun */
const plural = (count, noun) => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** @param {SalesTotal} total */
function totalsLine(total) {
  return h('p', { class: 'totals' }, [
    `${plural(total.ordersPlaced, 'order')} placed, ${total.ordersCancelled} cancelled · placed `,
    h('strong', {}, [`${total.revenuePlaced} ${total.currency}`]),
    ' · paid ',
    h('strong', {}, [`${total.revenuePaid} ${total.currency}`]),
    ' · refunded ',
    h('strong', {}, [`${total.revenueRefunded} ${total.currency}`]),
  ]);
}

/** @param {import('./api-client.js').SalesDay[]} days */
function numbers(days) {
  const cell = (/** @type {string} */ text) => h('td', { class: 'num' }, [text]);
  return h('details', {}, [
    h('summary', {}, ['Numbers']),
    h('table', { class: 'compact' }, [
      h('thead', {}, [
        h(
          'tr',
          {},
          ['Day', 'Placed', 'Cancelled', 'Revenue placed', 'Paid', 'Refunded', 'Units by SKU'].map((text) =>
            h('th', { scope: 'col' }, [text]),
          ),
        ),
      ]),
      h(
        'tbody',
        {},
        days.map((day) =>
          h('tr', {}, [
            h('th', { scope: 'row' }, [day.day]),
            cell(String(day.ordersPlaced)),
            cell(String(day.ordersCancelled)),
            cell(day.revenuePlaced),
            cell(day.revenuePaid),
            cell(day.revenueRefunded),
            h('td', {}, [
              Object.entries(day.unitsBySku)
                .map(([sku, units]) => `${sku} × ${units}`)
                .join(', '),
            ]),
          ]),
        ),
      ),
    ]),
  ]);
}

/**
 * @param {SalesReport} report
 * @param {string} from
 * @param {string} to
 * @returns {HTMLElement[]}
 */
function renderReport(report, from, to) {
  const range = daysFrom(from, to);
  return report.totals.map((total) => {
    const days = report.days.filter((day) => day.currency === total.currency);
    return h('section', { class: 'sales-currency', 'aria-label': `Sales in ${total.currency}` }, [
      h('h3', {}, [total.currency]),
      totalsLine(total),
      salesChart(range, days, total.currency),
      numbers(days),
    ]);
  });
}

export function setUpSalesReport() {
  const form = byId('sales-form', HTMLFormElement);
  const from = control(form, 'from', HTMLInputElement);
  const to = control(form, 'to', HTMLInputElement);
  const currency = control(form, 'currency', HTMLInputElement);
  const message = byId('sales-message', HTMLParagraphElement);
  const output = byId('sales-report', HTMLDivElement);
  const today = utcDay(new Date());
  to.value = today;
  from.value = addDays(today, 1 - DEFAULT_DAYS);

  /** @param {string} text @param {boolean} isError */
  const say = (text, isError) => {
    message.textContent = text;
    message.classList.toggle('error', isError);
  };

  async function load() {
    const range = { from: from.value, to: to.value };
    const code = currency.value.trim();
    const reply = await fetchSalesReport({ ...range, currency: code });
    if (!reply.ok || !reply.value) {
      say(reply.ok ? 'The sales report cannot be read.' : reply.message, true);
      output.replaceChildren();
      return;
    }
    const sections = renderReport(reply.value, range.from, range.to);
    say(sections.length === 0 ? `No sales from ${range.from} to ${range.to}.` : '', false);
    output.replaceChildren(...sections);
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const rules = [
      { field: from, label: 'From', check: check.required },
      {
        field: to,
        label: 'To',
        check: (/** @type {string} */ value) =>
          check.required(value) ?? (value < from.value ? 'must not be before From' : undefined),
      },
      {
        field: currency,
        label: 'Currency',
        check: (/** @type {string} */ value) => (value.trim() === '' ? undefined : check.currency(value)),
      },
    ];
    if (validate(rules)) void load();
  });
  void load();
  return { refresh: () => void load() };
}
