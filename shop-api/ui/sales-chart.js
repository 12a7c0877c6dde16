// @ts-check
/* global document */
import { h } from './dom.js';

/** The daily sales of one currency as an inline SVG bar chart: revenue placed per day, paid drawn over it. */

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 720;
const HEIGHT = 240;
const MARGIN = { top: 12, right: 8, bottom: 28, left: 64 };
const GRID_LINES = 4;
const MAX_DAY_LABELS = 10;

/**
 * @typedef {import('./api-client.js').SalesDay} SalesDay
 */

/**
 * @param {string} tag
 * @param {Record<string, string | number>} attributes
 * @param {(Node | string)[]} [children]
 * @returns {SVGElement}
 */
function svg(tag, attributes, children = []) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  element.append(...children);
  return /** @type {SVGElement} */ (element);
}

/**
 * The smallest 1/2/2.5/5 × 10ⁿ at or above `value`, so the axis reads in round numbers.
 * @param {number} value
 * @returns {number}
 */
export function niceCeiling(value) {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].find((factor) => factor * magnitude >= value) ?? 10;
  return step * magnitude;
}

/**
 * @param {string[]} days every day of the range, in order
 * @param {SalesDay[]} reported the report's days for this currency (days without sales are missing)
 * @param {string} currency
 * @returns {HTMLElement}
 */
export function salesChart(days, reported, currency) {
  const byDay = new Map(reported.map((day) => [day.day, day]));
  const placed = days.map((day) => Number(byDay.get(day)?.revenuePlaced ?? 0));
  const paid = days.map((day) => Number(byDay.get(day)?.revenuePaid ?? 0));
  const top = niceCeiling(Math.max(...placed, ...paid));
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const slot = plotWidth / Math.max(days.length, 1);
  const barWidth = Math.max(2, slot * 0.7);
  const y = (/** @type {number} */ value) => MARGIN.top + plotHeight - (value / top) * plotHeight;
  const labelEvery = Math.ceil(days.length / MAX_DAY_LABELS);
  const titleId = `sales-chart-title-${currency}`;

  /** @type {SVGElement[]} */
  const parts = [svg('title', { id: titleId }, [`Revenue per day in ${currency}, placed and paid`])];
  for (let line = 0; line <= GRID_LINES; line++) {
    const value = (top / GRID_LINES) * line;
    parts.push(
      svg('line', { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: y(value), y2: y(value), class: 'grid' }),
      svg('text', { x: MARGIN.left - 6, y: y(value) + 4, 'text-anchor': 'end', class: 'axis' }, [
        String(value),
      ]),
    );
  }
  days.forEach((day, index) => {
    const x = MARGIN.left + index * slot + (slot - barWidth) / 2;
    const report = byDay.get(day);
    const tip = report
      ? `${day}: ${report.ordersPlaced} placed, ${report.revenuePlaced} ${currency} placed, ${report.revenuePaid} ${currency} paid`
      : `${day}: no sales`;
    const placedValue = placed[index] ?? 0;
    const paidValue = paid[index] ?? 0;
    parts.push(
      svg('g', { class: 'day' }, [
        svg('title', {}, [tip]),
        svg('rect', {
          x,
          y: y(placedValue),
          width: barWidth,
          height: y(0) - y(placedValue),
          class: 'bar-placed',
        }),
        svg('rect', {
          x: x + barWidth * 0.25,
          y: y(paidValue),
          width: barWidth * 0.5,
          height: y(0) - y(paidValue),
          class: 'bar-paid',
        }),
      ]),
    );
    if (index % labelEvery === 0) {
      parts.push(
        svg('text', { x: x + barWidth / 2, y: HEIGHT - 8, 'text-anchor': 'middle', class: 'axis' }, [
          day.slice(5),
        ]),
      );
    }
  });
  const chart = svg(
    'svg',
    { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-labelledby': titleId, class: 'chart' },
    parts,
  );
  return h('figure', { class: 'sales-figure', 'data-currency': currency }, [
    chart,
    h('figcaption', {}, [
      `Revenue per UTC day in ${currency}:`,
      h('span', { class: 'key key-placed' }, ['placed']),
      h('span', { class: 'key key-paid' }, ['paid']),
      ' (hover a bar for the day)',
    ]),
  ]);
}
