// @ts-check

/** Money in the page: decimal strings in, integer minor units for arithmetic, never float sums. */

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;
const DEFAULT_DECIMALS = 2;

/**
 * How many decimals a currency's major unit has, as the browser's ICU data knows it (the server stays the
 * authority on which currencies it accepts).
 * @param {string} currency
 * @returns {number}
 */
export function currencyDecimals(currency) {
  try {
    const options = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions();
    return options.maximumFractionDigits ?? DEFAULT_DECIMALS;
  } catch {
    return DEFAULT_DECIMALS;
  }
}

/**
 * A non-negative major-unit decimal (`"12.50"`) as minor units, or undefined when it is not one or has more
 * decimals than the currency allows.
 * @param {string} text
 * @param {number} decimals
 * @returns {number | undefined}
 */
export function toMinor(text, decimals) {
  const match = DECIMAL.exec(text.trim());
  if (!match) return undefined;
  const [, whole = '', fraction = ''] = match;
  const significant = fraction.replace(/0+$/, '');
  if (significant.length > decimals) return undefined;
  const minor = Number(whole + significant.padEnd(decimals, '0'));
  return Number.isSafeInteger(minor) ? minor : undefined;
}

/**
 * @param {number} minor
 * @param {number} decimals
 * @returns {string}
 */
export function fromMinor(minor, decimals) {
  const digits = Math.abs(minor)
    .toString()
    .padStart(decimals + 1, '0');
  const sign = minor < 0 ? '-' : '';
  return decimals === 0 ? sign + digits : `${sign}${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}

/**
 * Sum of quantity × unit price over lines, as a decimal string; undefined while any line is incomplete.
 * @param {{ quantity: string, unitPrice: string }[]} lines
 * @param {string} currency
 * @returns {string | undefined}
 */
export function linesTotal(lines, currency) {
  const decimals = currencyDecimals(currency);
  let total = 0;
  for (const line of lines) {
    const price = toMinor(line.unitPrice, decimals);
    const quantity = Number(line.quantity);
    if (price === undefined || !Number.isSafeInteger(quantity) || quantity < 1) return undefined;
    total += price * quantity;
  }
  return Number.isSafeInteger(total) ? fromMinor(total, decimals) : undefined;
}

/**
 * An API amount (already a decimal string in the currency's major unit) times a quantity.
 * @param {string} unitPrice
 * @param {number} quantity
 * @returns {string}
 */
export function times(unitPrice, quantity) {
  const decimals = unitPrice.split('.')[1]?.length ?? 0;
  const minor = toMinor(unitPrice, decimals);
  return minor === undefined ? '' : fromMinor(minor * quantity, decimals);
}

/**
 * `12.50 EUR` — the amount stays exactly as the API wrote it.
 * @param {string} amount
 * @param {string} currency
 * @returns {string}
 */
export const money = (amount, currency) => `${amount} ${currency}`;
