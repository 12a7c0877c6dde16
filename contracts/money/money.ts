import { minorUnitExponent } from './currencies';

export { ACCEPTED_CURRENCIES, isKnownCurrency, minorUnitExponent } from './currencies';

export type ParsedAmount =
  { readonly ok: true; readonly minor: number } | { readonly ok: false; readonly reason: string };

/** Exponent assumed by formatAmount for a code we do not accept (ISO 4217's most common exponent). */
const FALLBACK_EXPONENT = 2;

/** A plain decimal in the major unit: optional minus, digits, optional fraction. No exponent, no grouping. */
const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * A major-unit amount (`"12.50"`, `12.5`) as integer minor units of `currency`, computed on the digits, never
 * with float arithmetic. Negative amounts parse (whether they are allowed is the caller's rule). Trailing zeros
 * beyond the currency's decimals are accepted because the value stays exact (`"12.500"` EUR is 1250); any other
 * extra digit is rejected rather than rounded.
 */
/** A value as a reason quotes it, shortened: a reason never carries a sender's megabyte back. */
const MAX_QUOTED = 40;
function quoted(value: string | number): string {
  return JSON.stringify(
    typeof value === 'string' && value.length > MAX_QUOTED ? `${value.slice(0, MAX_QUOTED)}…` : value,
  );
}

export function parseAmount(value: string | number, currency: string): ParsedAmount {
  const exponent = minorUnitExponent(currency);
  if (exponent === undefined) return { ok: false, reason: `unknown currency ${quoted(currency)}` };
  const text = typeof value === 'number' ? numberToDecimal(value) : value.trim();
  if (text === undefined) return { ok: false, reason: `amount ${String(value)} is not a finite number` };
  const match = DECIMAL.exec(text);
  if (!match) return { ok: false, reason: `amount ${quoted(value)} is not a decimal number like "12.50"` };
  const [, sign = '', whole = '', fraction = ''] = match;
  const significant = fraction.replace(/0+$/, '');
  if (significant.length > exponent) {
    const allowed = exponent === 0 ? 'no decimals' : `at most ${exponent} decimals`;
    return {
      ok: false,
      reason: `amount ${quoted(value)} has too many decimals: ${currency} allows ${allowed}`,
    };
  }
  const digits = whole + significant.padEnd(exponent, '0');
  const magnitude = Number(digits);
  if (!Number.isSafeInteger(magnitude)) return { ok: false, reason: `amount ${quoted(value)} is too large` };
  const minor = sign === '-' && magnitude !== 0 ? -magnitude : magnitude;
  return { ok: true, minor };
}

/**
 * Integer minor units as a major-unit decimal string: `formatAmount(1250, 'EUR')` is `"12.50"`. A bigint (a sum
 * past 2^53) is formatted exactly.
 */
export function formatAmount(minor: number | bigint, currency: string): string {
  if (typeof minor === 'number' && !Number.isSafeInteger(minor))
    throw new RangeError(`formatAmount needs integer minor units, got ${minor}`);
  const exponent = minorUnitExponent(currency) ?? FALLBACK_EXPONENT;
  const negative = minor < 0;
  const digits = (negative ? -BigInt(minor) : BigInt(minor)).toString().padStart(exponent + 1, '0');
  const sign = negative ? '-' : '';
  if (exponent === 0) return sign + digits;
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/** `12.50 EUR` for people reading a rejection reason. */
export function describeAmount(minor: number, currency: string): string {
  return `${formatAmount(minor, currency)} ${currency}`;
}

/**
 * JSON numbers reach us as doubles; their shortest round-trip text (`String(12.5)` is `"12.5"`) is exactly what
 * the sender wrote for any sane amount. Exponent forms (`1e-7`, `1e+21`) then fail the decimal pattern.
 */
function numberToDecimal(value: number): string | undefined {
  return Number.isFinite(value) ? String(value) : undefined;
}
