import { isPlainObject } from './field-paths';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

const BY_TAG: Record<string, string> = {
  Decimal128: 'decimal',
  Long: 'long',
  Int32: 'int',
  Double: 'double',
  ObjectId: 'objectId',
  Binary: 'binData',
  Timestamp: 'timestamp',
  BSONRegExp: 'regex',
  BSONSymbol: 'symbol',
  Code: 'javascript',
  MinKey: 'minKey',
  MaxKey: 'maxKey',
  DBRef: 'object',
};

/** The BSON type name MongoDB's `$type` reports (`decimal`, `objectId`, `int`, ...). */
export function bsonTypeName(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') {
    // Documents hold int32/int64 as JS numbers: integral values in int32 range read back as int.
    if (!Number.isInteger(value)) return 'double';
    return value >= INT32_MIN && value <= INT32_MAX ? 'int' : 'long';
  }
  if (typeof value === 'bigint') return 'long';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Date) return 'date';
  if (value instanceof RegExp) return 'regex';
  if (isPlainObject(value)) return 'object';
  const tag = (value as { _bsontype?: unknown })._bsontype;
  return (typeof tag === 'string' ? BY_TAG[tag] : undefined) ?? 'object';
}

const BY_NUMBER: Record<number, string> = {
  1: 'double',
  2: 'string',
  3: 'object',
  4: 'array',
  5: 'binData',
  7: 'objectId',
  8: 'bool',
  9: 'date',
  10: 'null',
  11: 'regex',
  13: 'javascript',
  14: 'symbol',
  16: 'int',
  17: 'timestamp',
  18: 'long',
  19: 'decimal',
  [-1]: 'minKey',
  127: 'maxKey',
};
const NUMBERS = new Set(['double', 'int', 'long', 'decimal']);

/** Whether a value is of a `$type` query's type, given by name, alias `number`, or BSON type number. */
export function hasBsonType(value: unknown, type: unknown): boolean {
  const wanted = typeof type === 'number' ? BY_NUMBER[type] : type;
  if (typeof wanted !== 'string') return false;
  const actual = bsonTypeName(value);
  return wanted === actual || (wanted === 'number' && NUMBERS.has(actual));
}
