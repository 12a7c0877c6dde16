import { ACCEPTED_CURRENCIES, describeAmount, formatAmount, isKnownCurrency, parseAmount } from './money';

describe('parsing a major-unit amount into minor units', () => {
  it.each([
    ['12.50', 'EUR', 1250],
    ['12.5', 'EUR', 1250],
    ['12', 'EUR', 1200],
    ['0.01', 'EUR', 1],
    ['0', 'EUR', 0],
    ['007.10', 'USD', 710],
    [' 3.00 ', 'GBP', 300],
    ['12.500', 'EUR', 1250],
    ['1500', 'JPY', 1500],
    ['1500.0', 'JPY', 1500],
    ['1.250', 'KWD', 1250],
    ['0.001', 'KWD', 1],
    ['-5.25', 'EUR', -525],
    ['-0.00', 'EUR', 0],
    ['90071992547409.91', 'EUR', 9007199254740991],
    [12.5, 'EUR', 1250],
    [0.1, 'EUR', 10],
    [19.99, 'CHF', 1999],
    [1.005, 'KWD', 1005],
    [250, 'SEK', 25000],
  ] as const)('%j %s is %i minor units', (value, currency, minor) => {
    expect(parseAmount(value, currency)).toEqual({ ok: true, minor });
  });

  it('is exact where float arithmetic is not (0.1 + 0.2 style values)', () => {
    expect(parseAmount('1.15', 'EUR')).toEqual({ ok: true, minor: 115 });
    expect(parseAmount('4.35', 'USD')).toEqual({ ok: true, minor: 435 });
    expect(parseAmount(0.1 + 0.2, 'EUR')).toEqual({
      ok: false,
      reason: 'amount 0.30000000000000004 has too many decimals: EUR allows at most 2 decimals',
    });
  });

  it.each([
    ['12.345', 'EUR', 'amount "12.345" has too many decimals: EUR allows at most 2 decimals'],
    ['100.5', 'JPY', 'amount "100.5" has too many decimals: JPY allows no decimals'],
    ['1.2345', 'KWD', 'amount "1.2345" has too many decimals: KWD allows at most 3 decimals'],
    ['abc', 'EUR', 'amount "abc" is not a decimal number like "12.50"'],
    ['', 'EUR', 'amount "" is not a decimal number like "12.50"'],
    ['12,50', 'EUR', 'amount "12,50" is not a decimal number like "12.50"'],
    ['1,000.00', 'EUR', 'amount "1,000.00" is not a decimal number like "12.50"'],
    ['.5', 'EUR', 'amount ".5" is not a decimal number like "12.50"'],
    ['5.', 'EUR', 'amount "5." is not a decimal number like "12.50"'],
    ['+5', 'EUR', 'amount "+5" is not a decimal number like "12.50"'],
    ['1e3', 'EUR', 'amount "1e3" is not a decimal number like "12.50"'],
    ['0x10', 'EUR', 'amount "0x10" is not a decimal number like "12.50"'],
    ['NaN', 'EUR', 'amount "NaN" is not a decimal number like "12.50"'],
    ['Infinity', 'EUR', 'amount "Infinity" is not a decimal number like "12.50"'],
    ['9007199254740992', 'JPY', 'amount "9007199254740992" is too large'],
    ['90071992547409.92', 'EUR', 'amount "90071992547409.92" is too large'],
  ] as const)('%j %s is refused: %s', (value, currency, reason) => {
    expect(parseAmount(value, currency)).toEqual({ ok: false, reason });
  });

  it.each([
    [Number.NaN, 'amount NaN is not a finite number'],
    [Number.POSITIVE_INFINITY, 'amount Infinity is not a finite number'],
    [1e21, 'amount 1e+21 is not a decimal number like "12.50"'],
    [1e-7, 'amount 1e-7 is not a decimal number like "12.50"'],
  ])('the number %p is refused', (value, reason) => {
    expect(parseAmount(value, 'EUR')).toEqual({ ok: false, reason });
  });

  it('refuses a currency we do not accept', () => {
    expect(parseAmount('1.00', 'XYZ')).toEqual({ ok: false, reason: 'unknown currency "XYZ"' });
    expect(parseAmount('1.00', 'eur')).toEqual({ ok: false, reason: 'unknown currency "eur"' });
  });
});

describe('formatting minor units as a major-unit decimal', () => {
  it.each([
    [1250, 'EUR', '12.50'],
    [5, 'EUR', '0.05'],
    [0, 'EUR', '0.00'],
    [-525, 'EUR', '-5.25'],
    [-5, 'USD', '-0.05'],
    [1500, 'JPY', '1500'],
    [-7, 'JPY', '-7'],
    [1250, 'KWD', '1.250'],
    [1, 'KWD', '0.001'],
    [9007199254740991, 'EUR', '90071992547409.91'],
  ] as const)('%i %s is "%s"', (minor, currency, text) => {
    expect(formatAmount(minor, currency)).toBe(text);
  });

  it('round-trips with parseAmount for every accepted currency', () => {
    for (const currency of ACCEPTED_CURRENCIES) {
      for (const minor of [0, 1, 99, 12345, 100000007]) {
        expect(parseAmount(formatAmount(minor, currency), currency)).toEqual({ ok: true, minor });
      }
    }
  });

  it('uses two decimals for a code it does not know instead of failing a reader', () => {
    expect(formatAmount(1250, 'XYZ')).toBe('12.50');
  });

  it('refuses a fractional minor amount, which is a programming error', () => {
    expect(() => formatAmount(12.5, 'EUR')).toThrow(RangeError);
  });

  it('describes an amount with its currency for people', () => {
    expect(describeAmount(2500, 'EUR')).toBe('25.00 EUR');
  });
});

describe('the accepted currencies', () => {
  it('include the ones the shop trades in, with their ISO 4217 exponents', () => {
    for (const code of ['EUR', 'USD', 'GBP', 'CHF', 'SEK', 'NOK', 'DKK', 'PLN', 'CZK', 'JPY', 'KWD']) {
      expect(isKnownCurrency(code)).toBe(true);
    }
    expect(formatAmount(1, 'JPY')).toBe('1');
    expect(formatAmount(1, 'BHD')).toBe('0.001');
  });

  it('exclude fund codes, metals and unknown codes', () => {
    for (const code of ['XAU', 'XTS', 'BOV', 'EURO', '']) expect(isKnownCurrency(code)).toBe(false);
  });
});
