// @ts-check

/** Dates as the page shows and asks for them; the sales report counts UTC days. */

const DAY_MS = 86_400_000;

/** @param {string} iso */
export const when = (iso) => new Date(iso).toLocaleString();

/** @param {Date} date @returns {string} `2026-11-23` (UTC) */
export const utcDay = (date) => date.toISOString().slice(0, 10);

/**
 * @param {string} day `YYYY-MM-DD`
 * @param {number} days may be negative
 */
export const addDays = (day, days) => utcDay(new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS));

/**
 * Every day from `from` to `to`, both included.
 * @param {string} from
 * @param {string} to
 * @returns {string[]}
 */
export function daysFrom(from, to) {
  const days = [];
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(day);
  return days;
}

/** @param {number} n @param {number} width */
const pad = (n, width = 2) => String(n).padStart(width, '0');

/**
 * A moment to the millisecond in local time (`14:03:07.281`): the steps of one request are milliseconds apart.
 * @param {string} iso
 */
export function clockTime(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}
