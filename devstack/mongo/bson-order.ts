import type { Binary, ObjectId, Timestamp } from 'bson';
import { compareExact, isDecimal, toNumber } from './bson-numbers';

/**
 * MongoDB's comparison order across BSON types (MinKey < null < numbers < strings < objects < arrays < binData
 * < ObjectId < bool < date < timestamp < regex < MaxKey), used by indexes and index bounds.
 */
export const TYPE_CLASS = {
  minKey: 1,
  null: 2,
  number: 3,
  string: 4,
  object: 5,
  array: 6,
  binary: 7,
  objectId: 8,
  boolean: 9,
  date: 10,
  timestamp: 11,
  regex: 12,
  maxKey: 13,
} as const;

export type TypeClass = (typeof TYPE_CLASS)[keyof typeof TYPE_CLASS];

function bsonType(value: object): string | undefined {
  const tag = (value as { _bsontype?: unknown })._bsontype;
  return typeof tag === 'string' ? tag : undefined;
}

export function typeClass(value: unknown): TypeClass {
  if (value === null || value === undefined) return TYPE_CLASS.null;
  switch (typeof value) {
    case 'number':
    case 'bigint':
      return TYPE_CLASS.number;
    case 'string':
      return TYPE_CLASS.string;
    case 'boolean':
      return TYPE_CLASS.boolean;
    case 'object':
      break;
    default:
      return TYPE_CLASS.object;
  }
  if (Array.isArray(value)) return TYPE_CLASS.array;
  if (value instanceof Date) return TYPE_CLASS.date;
  if (value instanceof RegExp) return TYPE_CLASS.regex;
  switch (bsonType(value)) {
    case 'Long':
    case 'Int32':
    case 'Double':
    case 'Decimal128':
      return TYPE_CLASS.number;
    case 'BSONSymbol':
      return TYPE_CLASS.string;
    case 'Binary':
      return TYPE_CLASS.binary;
    case 'ObjectId':
      return TYPE_CLASS.objectId;
    case 'Timestamp':
      return TYPE_CLASS.timestamp;
    case 'BSONRegExp':
      return TYPE_CLASS.regex;
    case 'MinKey':
      return TYPE_CLASS.minKey;
    case 'MaxKey':
      return TYPE_CLASS.maxKey;
    default:
      return TYPE_CLASS.object;
  }
}

function sign(n: number): -1 | 0 | 1 {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

function compareNumbers(a: number, b: number): -1 | 0 | 1 {
  // MongoDB sorts NaN below every other number.
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : -1;
  if (Number.isNaN(b)) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareStrings(a: string, b: string): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareBytes(a: Uint8Array, b: Uint8Array): -1 | 0 | 1 {
  return sign(Buffer.compare(a, b));
}

type PackedObjectId = { i0?: unknown; i1: number; i2: number; i3: number };

function compareObjectIds(a: ObjectId, b: ObjectId): -1 | 0 | 1 {
  // bson 7 keeps an ObjectId as four 24-bit words; reading `.id` would allocate a buffer per comparison.
  const x = a as unknown as PackedObjectId;
  const y = b as unknown as PackedObjectId;
  if (typeof x.i0 === 'number' && typeof y.i0 === 'number') {
    return sign(x.i0 - y.i0) || sign(x.i1 - y.i1) || sign(x.i2 - y.i2) || sign(x.i3 - y.i3);
  }
  return compareBytes(a.id, b.id);
}

/** Compares strings under a collation (MongoDB's `collation` option); undefined means binary order. */
export type StringOrder = ((a: string, b: string) => number) | undefined;

function compareObjects(
  a: Record<string, unknown>,
  b: Record<string, unknown>,
  strings: StringOrder,
): -1 | 0 | 1 {
  const ak = Object.keys(a);
  const bk = Object.keys(b);
  const n = Math.min(ak.length, bk.length);
  for (let i = 0; i < n; i += 1) {
    const ka = ak[i] as string;
    const kb = bk[i] as string;
    const va = a[ka];
    const vb = b[kb];
    const byType = sign(typeClass(va) - typeClass(vb));
    if (byType !== 0) return byType;
    const byName = compareStrings(ka, kb);
    if (byName !== 0) return byName;
    const byValue = compareValues(va, vb, strings);
    if (byValue !== 0) return byValue;
  }
  return sign(ak.length - bk.length);
}

function compareArrays(a: unknown[], b: unknown[], strings: StringOrder): -1 | 0 | 1 {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i += 1) {
    const c = compareValues(a[i], b[i], strings);
    if (c !== 0) return c;
  }
  return sign(a.length - b.length);
}

function regexParts(value: unknown): [string, string] {
  if (value instanceof RegExp) return [value.source, value.flags];
  const r = value as { pattern: string; options: string };
  return [r.pattern, r.options];
}

/**
 * Total order of BSON values as MongoDB's indexes, sort and comparison operators use it — the one comparison
 * function of this server. `strings` applies a collation to string comparisons.
 */
export function compareValues(a: unknown, b: unknown, strings?: StringOrder): -1 | 0 | 1 {
  // Fast path for the common index keys (strings, finite numbers); same result as the general path.
  if (typeof a === 'string' && typeof b === 'string') {
    if (strings) return sign(strings(a, b));
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === 'number' && typeof b === 'number' && !Number.isNaN(a) && !Number.isNaN(b))
    return a < b ? -1 : a > b ? 1 : 0;
  const ca = typeClass(a);
  const cb = typeClass(b);
  if (ca !== cb) return ca < cb ? -1 : 1;
  switch (ca) {
    case TYPE_CLASS.null:
    case TYPE_CLASS.minKey:
    case TYPE_CLASS.maxKey:
      return 0;
    case TYPE_CLASS.number:
      if (isDecimal(a) || isDecimal(b)) return compareExact(a, b);
      return compareNumbers(toNumber(a), toNumber(b));
    case TYPE_CLASS.string:
      return strings ? sign(strings(String(a), String(b))) : compareStrings(String(a), String(b));
    case TYPE_CLASS.object:
      return compareObjects(a as Record<string, unknown>, b as Record<string, unknown>, strings);
    case TYPE_CLASS.array:
      return compareArrays(a as unknown[], b as unknown[], strings);
    case TYPE_CLASS.binary: {
      const x = a as Binary;
      const y = b as Binary;
      return (
        sign(x.position - y.position) || sign(x.sub_type - y.sub_type) || compareBytes(x.buffer, y.buffer)
      );
    }
    case TYPE_CLASS.objectId:
      return compareObjectIds(a as ObjectId, b as ObjectId);
    case TYPE_CLASS.boolean:
      return a === b ? 0 : a ? 1 : -1;
    case TYPE_CLASS.date:
      return compareNumbers((a as Date).getTime(), (b as Date).getTime());
    case TYPE_CLASS.timestamp: {
      const x = a as Timestamp;
      const y = b as Timestamp;
      return sign(x.high - y.high) || sign(x.low - y.low);
    }
    case TYPE_CLASS.regex: {
      const [pa, fa] = regexParts(a);
      const [pb, fb] = regexParts(b);
      return compareStrings(pa, pb) || compareStrings(fa, fb);
    }
  }
  return 0;
}

/** Compares tuples of index keys, each position with its direction (1 ascending, -1 descending). */
export function compareKeys(
  a: readonly unknown[],
  b: readonly unknown[],
  directions: readonly number[],
): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i += 1) {
    const c = compareValues(a[i], b[i]);
    if (c !== 0) return (directions[i] ?? 1) < 0 ? -c : c;
  }
  return 0;
}
