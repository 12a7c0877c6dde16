/**
 * The ISO 4217 currencies we accept, with their minor-unit exponent (how many decimals the major unit has).
 * Fund codes, precious metals and test codes are left out on purpose: nobody pays a shop order in them.
 */
const EXPONENT_0 = [
  'BIF',
  'CLP',
  'DJF',
  'GNF',
  'ISK',
  'JPY',
  'KMF',
  'KRW',
  'PYG',
  'RWF',
  'UGX',
  'VND',
  'VUV',
];
const EXPONENT_0_REGIONAL = ['XAF', 'XOF', 'XPF'];
const EXPONENT_3 = ['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND'];
// prettier-ignore
const EXPONENT_2 = [
  'AED', 'AFN', 'ALL', 'AMD', 'AOA', 'ARS', 'AUD', 'AWG', 'AZN', 'BAM', 'BBD', 'BDT', 'BGN', 'BMD', 'BND',
  'BOB', 'BRL', 'BSD', 'BTN', 'BWP', 'BYN', 'BZD', 'CAD', 'CDF', 'CHF', 'CNY', 'COP', 'CRC', 'CUP', 'CVE',
  'CZK', 'DKK', 'DOP', 'DZD', 'EGP', 'ERN', 'ETB', 'EUR', 'FJD', 'FKP', 'GBP', 'GEL', 'GHS', 'GIP', 'GMD',
  'GTQ', 'GYD', 'HKD', 'HNL', 'HTG', 'HUF', 'IDR', 'ILS', 'INR', 'IRR', 'JMD', 'KES', 'KGS', 'KHR', 'KPW',
  'KYD', 'KZT', 'LAK', 'LBP', 'LKR', 'LRD', 'LSL', 'MAD', 'MDL', 'MGA', 'MKD', 'MMK', 'MNT', 'MOP', 'MRU',
  'MUR', 'MVR', 'MWK', 'MXN', 'MYR', 'MZN', 'NAD', 'NGN', 'NIO', 'NOK', 'NPR', 'NZD', 'PAB', 'PEN', 'PGK',
  'PHP', 'PKR', 'PLN', 'QAR', 'RON', 'RSD', 'RUB', 'SAR', 'SBD', 'SCR', 'SDG', 'SEK', 'SGD', 'SHP', 'SLE',
  'SOS', 'SRD', 'SSP', 'STN', 'SVC', 'SYP', 'SZL', 'THB', 'TJS', 'TMT', 'TOP', 'TRY', 'TTD', 'TWD', 'TZS',
  'UAH', 'USD', 'UYU', 'UZS', 'VES', 'WST', 'XCD', 'XCG', 'YER', 'ZAR', 'ZMW', 'ZWG',
];

function withExponent(codes: readonly string[], exponent: number): [string, number][] {
  return codes.map((code) => [code, exponent]);
}

const MINOR_UNIT_EXPONENTS: ReadonlyMap<string, number> = new Map([
  ...withExponent(EXPONENT_0, 0),
  ...withExponent(EXPONENT_0_REGIONAL, 0),
  ...withExponent(EXPONENT_2, 2),
  ...withExponent(EXPONENT_3, 3),
]);

/** Every accepted currency code, sorted. */
export const ACCEPTED_CURRENCIES: readonly string[] = [...MINOR_UNIT_EXPONENTS.keys()].sort();

export function isKnownCurrency(code: string): boolean {
  return MINOR_UNIT_EXPONENTS.has(code);
}

/** Decimals of the major unit (EUR 2, JPY 0, KWD 3), or undefined for a currency we do not accept. */
export function minorUnitExponent(code: string): number | undefined {
  return MINOR_UNIT_EXPONENTS.get(code);
}
