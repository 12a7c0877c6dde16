// @ts-check
/* global document */
import { h } from './dom.js';
import { currencyDecimals, fromMinor, toMinor } from './money.js';

/**
 * The sales of one currency as an inline SVG bar chart: revenue placed, paid and refunded side by side, per day —
 * or per week or month when the range is too long for a bar per day to be seen.
 */

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 720;
const HEIGHT = 240;
const MARGIN = { top: 12, right: 8, bottom: 28, left: 64 };
const GRID_LINES = 4;
const MAX_DAY_LABELS = 10;
/** Ranges longer than this are drawn per ISO week (Monday first)… */
export const MAX_DAILY_BARS = 62;
/** …and longer than this per calendar month. */
export const MAX_WEEKLY_BARS = 26 * 7;

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
 * @typedef {{ label: string, title: string, placed: string, paid: string, refunded: string, orders: number }} Bucket
 * @typedef {'day' | 'week' | 'month'} Grain
 */

/** @param {number} dayCount @returns {Grain} */
export const grainFor = (dayCount) =>
  dayCount > MAX_WEEKLY_BARS ? 'month' : dayCount > MAX_DAILY_BARS ? 'week' : 'day';

/** The Monday of the ISO week a UTC day is in. @param {string} day */
function weekStart(day) {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7));
  return date.toISOString().slice(0, 10);
}

/**
 * The range in buckets of one grain, each summing its days exactly (minor units).
 * @param {string[]} days every day of the range, in order
 * @param {SalesDay[]} reported the report's days for this currency (days without sales are missing)
 * @param {string} currency
 * @returns {{ grain: Grain, buckets: Bucket[] }}
 */
export function bucketsOf(days, reported, currency) {
  const grain = grainFor(days.length);
  const decimals = currencyDecimals(currency);
  const byDay = new Map(reported.map((day) => [day.day, day]));
  const keyOf = (/** @type {string} */ day) =>
    grain === 'day' ? day : grain === 'week' ? weekStart(day) : day.slice(0, 7);
  /** @type {Map<string, { first: string, last: string, placed: number, paid: number, refunded: number, orders: number }>} */
  const sums = new Map();
  for (const day of days) {
    const key = keyOf(day);
    const sum = sums.get(key) ?? { first: day, last: day, placed: 0, paid: 0, refunded: 0, orders: 0 };
    const report = byDay.get(day);
    const minor = (/** @type {string | undefined} */ amount) => toMinor(amount ?? '0', decimals) ?? 0;
    sums.set(key, {
      first: sum.first,
      last: day,
      placed: sum.placed + minor(report?.revenuePlaced),
      paid: sum.paid + minor(report?.revenuePaid),
      refunded: sum.refunded + minor(report?.revenueRefunded),
      orders: sum.orders + (report?.ordersPlaced ?? 0),
    });
  }
  const buckets = [...sums].map(([key, sum]) => {
    const placed = fromMinor(sum.placed, decimals);
    const paid = fromMinor(sum.paid, decimals);
    const refunded = fromMinor(sum.refunded, decimals);
    const span = sum.first === sum.last ? sum.first : `${sum.first} – ${sum.last}`;
    const label = grain === 'month' ? key : key.slice(5);
    const nothing = sum.placed === 0 && sum.paid === 0 && sum.refunded === 0 && sum.orders === 0;
    const title = nothing
      ? `${span}: no sales`
      : `${span}: ${sum.orders} placed, ${placed} ${currency} placed, ${paid} ${currency} paid, ${refunded} ${currency} refunded`;
    return { label, title, placed, paid, refunded, orders: sum.orders };
  });
  return { grain, buckets };
}

/**
 * Which bars get an axis label: evenly spaced, and always the last one (today, on the default range); a regular
 * label too close before the last gives way to it.
 * @param {number} count
 * @returns {Set<number>}
 */
export function labelledBars(count) {
  const every = Math.max(1, Math.ceil(count / MAX_DAY_LABELS));
  /** @type {Set<number>} */
  const labelled = new Set();
  for (let index = 0; index < count; index += every) if (count - 1 - index >= every) labelled.add(index);
  if (count > 0) labelled.add(count - 1);
  return labelled;
}

/**
 * @param {string[]} days every day of the range, in order
 * @param {SalesDay[]} reported the report's days for this currency (days without sales are missing)
 * @param {string} currency
 * @returns {HTMLElement}
 */
export function salesChart(days, reported, currency) {
  const { grain, buckets } = bucketsOf(days, reported, currency);
  const values = buckets.flatMap((b) => [Number(b.placed), Number(b.paid), Number(b.refunded)]);
  const top = niceCeiling(Math.max(0, ...values));
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const slot = plotWidth / Math.max(buckets.length, 1);
  const barWidth = Math.max(3, slot * 0.8);
  const y = (/** @type {number} */ value) => MARGIN.top + plotHeight - (value / top) * plotHeight;
  const labelled = labelledBars(buckets.length);
  const titleId = `sales-chart-title-${currency}`;
  const per = grain === 'day' ? 'day' : grain;

  /** @type {SVGElement[]} */
  const parts = [
    svg('title', { id: titleId }, [`Revenue per ${per} in ${currency}, placed, paid and refunded`]),
  ];
  for (let line = 0; line <= GRID_LINES; line++) {
    const value = (top / GRID_LINES) * line;
    parts.push(
      svg('line', { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: y(value), y2: y(value), class: 'grid' }),
      svg('text', { x: MARGIN.left - 6, y: y(value) + 4, 'text-anchor': 'end', class: 'axis' }, [
        String(value),
      ]),
    );
  }
  buckets.forEach((bucket, index) => {
    const x = MARGIN.left + index * slot + (slot - barWidth) / 2;
    const third = barWidth / 3;
    const bar = (/** @type {number} */ value, /** @type {number} */ at, /** @type {string} */ kind) =>
      svg('rect', {
        x: x + at * third,
        y: y(value),
        width: Math.max(1, third),
        height: y(0) - y(value),
        class: kind,
      });
    parts.push(
      svg('g', { class: 'day', 'data-grain': grain }, [
        svg('title', {}, [bucket.title]),
        bar(Number(bucket.placed), 0, 'bar-placed'),
        bar(Number(bucket.paid), 1, 'bar-paid'),
        bar(Number(bucket.refunded), 2, 'bar-refunded'),
      ]),
    );
    if (labelled.has(index)) {
      parts.push(
        svg('text', { x: x + barWidth / 2, y: HEIGHT - 8, 'text-anchor': 'middle', class: 'axis' }, [
          bucket.label,
        ]),
      );
    }
  });
  const chart = svg(
    'svg',
    { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-labelledby': titleId, class: 'chart' },
    parts,
  );
  return h('figure', { class: 'sales-figure', 'data-currency': currency, 'data-grain': grain }, [
    chart,
    h('figcaption', {}, [
      `Revenue per ${grain === 'day' ? 'UTC day' : `${grain} (UTC)`} in ${currency}:`,
      h('span', { class: 'key key-placed' }, ['placed']),
      h('span', { class: 'key key-paid' }, ['paid']),
      h('span', { class: 'key key-refunded' }, ['refunded']),
      ` (hover a bar for the ${per})`,
    ]),
  ]);
}
