import { TYPE_CLASS } from './bson-order';

/**
 * An index key tuple as one string whose code-unit order is the tuple's order under `compareKeys` (ascending,
 * binary strings), like mongod's KeyString: comparing two such strings touches two objects, where comparing the
 * tuples follows the entry, its key array and every value in it, and on a large index each of those is a cache
 * miss. Only keys of strings without NUL, JavaScript numbers, booleans, dates and null are encoded; any other
 * value (a Long, a Decimal128, an ObjectId, an object, ...) gives undefined and such a key is compared as a tuple.
 *
 * Each value is its type class (one code unit, in BSON's order across types) and then: a string's code units and a
 * NUL (which sorts below every code unit a string may hold, so a prefix sorts first); a number's or date's double
 * as four code units that sort as the numbers do; a boolean as one code unit.
 */
export function sortKeyOf(key: readonly unknown[]): string | undefined {
  let encoded = '';
  for (const value of key) {
    const part = sortKeyPart(value);
    if (part === undefined) return undefined;
    encoded += part;
  }
  return encoded;
}

const NULL_PART = String.fromCharCode(TYPE_CLASS.null);
const FALSE_PART = String.fromCharCode(TYPE_CLASS.boolean, 0);
const TRUE_PART = String.fromCharCode(TYPE_CLASS.boolean, 1);
const bits = new DataView(new ArrayBuffer(8));

function sortKeyPart(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return value.includes('\u0000') ? undefined : String.fromCharCode(TYPE_CLASS.string) + value + '\u0000';
    case 'number':
      return String.fromCharCode(TYPE_CLASS.number) + orderedDouble(value);
    case 'boolean':
      return value ? TRUE_PART : FALSE_PART;
    case 'undefined':
      return NULL_PART;
    case 'object':
      if (value === null) return NULL_PART;
      if (value instanceof Date) return String.fromCharCode(TYPE_CLASS.date) + orderedDouble(value.getTime());
      return undefined;
    default:
      return undefined;
  }
}

/**
 * Four code units, most significant first, that sort as the doubles do: NaN below everything (as
 * `compareValues` has it), -0 as 0, negatives with all bits flipped, positives with the sign bit set.
 */
function orderedDouble(value: number): string {
  if (Number.isNaN(value)) return '\u0000\u0000\u0000\u0000';
  bits.setFloat64(0, value === 0 ? 0 : value);
  const negative = (bits.getUint16(0) & 0x8000) !== 0;
  const flip = negative ? 0xffff : 0;
  return String.fromCharCode(
    negative ? bits.getUint16(0) ^ 0xffff : bits.getUint16(0) | 0x8000,
    bits.getUint16(2) ^ flip,
    bits.getUint16(4) ^ flip,
    bits.getUint16(6) ^ flip,
  );
}
