// @ts-check
import { currencyDecimals, toMinor } from './money.js';

/**
 * Checks for obvious mistakes before sending; each answers a message or undefined. The server stays the
 * authority: these mirror the web/v1 adapter's field rules so most mistakes are caught without a round trip.
 */

/** @typedef {(value: string) => string | undefined} Check */

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;
const MAX_ID_LENGTH = 100;
const MAX_TEXT_LENGTH = 500;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** @type {Check} */
export const required = (value) => (value.trim() === '' ? 'is required' : undefined);

/** @type {Check} */
export const text = (value) =>
  required(value) ??
  (value.length > MAX_TEXT_LENGTH ? `must be at most ${MAX_TEXT_LENGTH} characters` : undefined);

/** @type {Check} */
export const optionalText = (value) => (value.trim() === '' ? undefined : text(value));

/** @type {Check} */
export function id(value) {
  const trimmed = value.trim();
  if (trimmed === '') return 'is required';
  if (trimmed.length > MAX_ID_LENGTH) return `must be at most ${MAX_ID_LENGTH} characters`;
  if (!ID_PATTERN.test(trimmed))
    return 'may hold only letters, digits and . _ : - (starting with a letter or digit)';
  return undefined;
}

/** @type {Check} */
export const optionalEmail = (value) =>
  value.trim() === '' || EMAIL_PATTERN.test(value.trim())
    ? undefined
    : 'must be an email address like ada@example.com';

/** @type {Check} */
export const quantity = (value) =>
  /^\s*[1-9]\d*\s*$/.test(value) ? undefined : 'must be a whole number of at least 1';

/** Shape only: whether the code is one the shop accepts is the server's call. @type {Check} */
export const currency = (value) =>
  /^[A-Z]{3}$/.test(value.trim()) ? undefined : 'must be a three-letter code like EUR';

/** @type {Check} */
export const country = (value) =>
  /^[A-Z]{2}$/.test(value.trim()) ? undefined : 'must be a two-letter code like DE';

/**
 * @param {string} currencyCode the currency the amount is in, for its number of decimals
 * @param {{ allowZero?: boolean }} [options]
 * @returns {Check}
 */
export function amount(currencyCode, options = {}) {
  return (value) => {
    if (value.trim() === '') return 'is required';
    const decimals = currencyDecimals(currencyCode);
    const minor = toMinor(value, decimals);
    if (minor === undefined) {
      const example = decimals === 0 ? '"1250"' : `"12.${'5'.padEnd(decimals, '0')}"`;
      return `must be an amount like ${example} (${currencyCode} has ${decimals === 0 ? 'no' : decimals} decimals)`;
    }
    if (minor === 0 && !options.allowZero) return 'must be more than zero';
    return undefined;
  };
}
