import { Decimal128, type Long } from 'bson';

/** A finite decimal as coefficient × 10^exponent, or one of IEEE 754's special values. */
type Exact =
  { kind: 'finite'; coef: bigint; exp: number } | { kind: 'nan' } | { kind: 'inf'; negative: boolean };

// Decimal128 holds 34 significant digits; results are rounded to that, as MongoDB's decimal arithmetic does.
const DECIMAL_DIGITS = 34;
const parsedDecimals = new WeakMap<object, Exact>();

function tagOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const tag = (value as { _bsontype?: unknown })._bsontype;
  return typeof tag === 'string' ? tag : undefined;
}

export function isDecimal(value: unknown): value is Decimal128 {
  return tagOf(value) === 'Decimal128';
}

/** A BSON number of any width (double, int, long, decimal). */
export function isNumeric(value: unknown): boolean {
  if (typeof value === 'number' || typeof value === 'bigint') return true;
  const tag = tagOf(value);
  return tag === 'Decimal128' || tag === 'Long' || tag === 'Int32' || tag === 'Double';
}

export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  const tag = tagOf(value);
  if (tag === 'Long') return (value as Long).toNumber();
  if (tag === 'Decimal128') return Number.parseFloat((value as Decimal128).toString());
  if (tag === 'Int32' || tag === 'Double') return (value as { value: number }).value;
  return Number.NaN;
}

function parseExact(text: string): Exact {
  if (/nan/i.test(text)) return { kind: 'nan' };
  if (/inf/i.test(text)) return { kind: 'inf', negative: text.startsWith('-') };
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!match) return { kind: 'nan' };
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = match;
  const digits = `${whole}${fraction}` || '0';
  const coef = BigInt(digits) * (sign === '-' ? -1n : 1n);
  return { kind: 'finite', coef, exp: Number(exponent) - fraction.length };
}

function exactOf(value: unknown): Exact {
  if (isDecimal(value)) {
    let parsed = parsedDecimals.get(value);
    if (!parsed) {
      parsed = parseExact(value.toString());
      parsedDecimals.set(value, parsed);
    }
    return parsed;
  }
  const tag = tagOf(value);
  if (tag === 'Long') return { kind: 'finite', coef: BigInt((value as Long).toString()), exp: 0 };
  const n = toNumber(value);
  if (Number.isNaN(n)) return { kind: 'nan' };
  if (!Number.isFinite(n)) return { kind: 'inf', negative: n < 0 };
  return parseExact(String(n));
}

function align(a: bigint, ae: number, b: bigint, be: number): [bigint, bigint, number] {
  if (ae === be) return [a, b, ae];
  return ae < be ? [a, b * 10n ** BigInt(be - ae), ae] : [a * 10n ** BigInt(ae - be), b, be];
}

function sign(n: number | bigint): -1 | 0 | 1 {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

/** Compares two numbers of which at least one is a Decimal128, exactly; NaN sorts below every number. */
export function compareExact(a: unknown, b: unknown): -1 | 0 | 1 {
  const x = exactOf(a);
  const y = exactOf(b);
  if (x.kind === 'nan' || y.kind === 'nan') return x.kind === y.kind ? 0 : x.kind === 'nan' ? -1 : 1;
  if (x.kind === 'inf' || y.kind === 'inf') {
    const rank = (e: Exact): number => (e.kind === 'inf' ? (e.negative ? -1 : 1) : 0);
    return sign(rank(x) - rank(y));
  }
  const [p, q] = align(x.coef, x.exp, y.coef, y.exp);
  return sign(p - q);
}

function roundToDigits(coef: bigint, exp: number): { coef: bigint; exp: number } {
  const digits = (coef < 0n ? -coef : coef).toString().length;
  if (digits <= DECIMAL_DIGITS) return { coef, exp };
  const drop = digits - DECIMAL_DIGITS;
  const scale = 10n ** BigInt(drop);
  const negative = coef < 0n;
  const magnitude = negative ? -coef : coef;
  let kept = magnitude / scale;
  const rest = magnitude % scale;
  // Round half to even, IEEE 754's default.
  if (rest * 2n > scale || (rest * 2n === scale && kept % 2n === 1n)) kept += 1n;
  return { coef: negative ? -kept : kept, exp: exp + drop };
}

function toDecimal(e: Exact): Decimal128 {
  if (e.kind === 'nan') return Decimal128.fromString('NaN');
  if (e.kind === 'inf') return Decimal128.fromString(e.negative ? '-Infinity' : 'Infinity');
  const { coef, exp } = roundToDigits(e.coef, e.exp);
  return Decimal128.fromString(`${coef.toString()}E${exp}`);
}

type Operation = 'add' | 'subtract' | 'multiply' | 'divide';

function finiteOp(op: Operation, x: { coef: bigint; exp: number }, y: { coef: bigint; exp: number }): Exact {
  switch (op) {
    case 'add':
    case 'subtract': {
      const [p, q, exp] = align(x.coef, x.exp, y.coef, y.exp);
      return { kind: 'finite', coef: op === 'add' ? p + q : p - q, exp };
    }
    case 'multiply':
      return { kind: 'finite', coef: x.coef * y.coef, exp: x.exp + y.exp };
    case 'divide': {
      if (y.coef === 0n)
        return x.coef === 0n ? { kind: 'nan' } : { kind: 'inf', negative: x.coef < 0n !== y.coef < 0n };
      const scale = DECIMAL_DIGITS + 2;
      const coef = (x.coef * 10n ** BigInt(scale)) / y.coef;
      let exp = x.exp - y.exp - scale;
      let c = coef;
      // An exact quotient is reported without the padding zeros (1 / 4 = 0.25).
      while (c !== 0n && c % 10n === 0n && exp < x.exp - y.exp) {
        c /= 10n;
        exp += 1;
      }
      return { kind: 'finite', coef: c, exp };
    }
  }
}

/** Decimal arithmetic for when either operand is a Decimal128 (the result is a Decimal128, as in MongoDB). */
export function decimalArithmetic(op: Operation, a: unknown, b: unknown): Decimal128 {
  const x = exactOf(a);
  const y = exactOf(b);
  if (x.kind === 'finite' && y.kind === 'finite') return toDecimal(finiteOp(op, x, y));
  return toDecimal(exactOf(numberArithmetic(op, toNumber(a), toNumber(b))));
}

function numberArithmetic(op: Operation, a: number, b: number): number {
  switch (op) {
    case 'add':
      return a + b;
    case 'subtract':
      return a - b;
    case 'multiply':
      return a * b;
    case 'divide':
      return a / b;
  }
}

/** `a op b` over BSON numbers: Decimal128 when either is one, a JS number otherwise. */
export function arithmetic(op: Operation, a: unknown, b: unknown): unknown {
  if (typeof a === 'number' && typeof b === 'number') return numberArithmetic(op, a, b);
  if (isDecimal(a) || isDecimal(b)) return decimalArithmetic(op, a, b);
  return numberArithmetic(op, toNumber(a), toNumber(b));
}

/** One text per numeric value, whatever its type: 2, 2.0, Long(2) and Decimal128("2.00") share "2e0". */
export function numericKey(value: unknown): string {
  if (typeof value === 'number' && Number.isInteger(value) && Number.isSafeInteger(value))
    return `${value}e0`;
  const e = exactOf(value);
  if (e.kind === 'nan') return 'NaN';
  if (e.kind === 'inf') return e.negative ? '-Infinity' : 'Infinity';
  let { coef, exp } = e;
  if (coef === 0n) return '0e0';
  while (coef % 10n === 0n) {
    coef /= 10n;
    exp += 1;
  }
  return `${coef.toString()}e${exp}`;
}
