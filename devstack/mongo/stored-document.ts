import { ObjectId, type Document } from 'bson';
import { commandError } from './errors';
import { isPlainObject } from './field-paths';

/** A key value as mongod prints it in an E11000 message. */
export function showValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof ObjectId) return `ObjectId('${value.toHexString()}')`;
  if (value instanceof Date) return `new Date(${value.getTime()})`;
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'object') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return JSON.stringify(value);
}

/** Stored documents start with `_id` (an ObjectId when the client gave none). */
export function withIdFirst(doc: Document): Document {
  if (doc._id === undefined) return { _id: new ObjectId(), ...doc };
  for (const first in doc) {
    if (first === '_id') return doc;
    break;
  }
  const { _id, ...rest } = doc;
  return { _id: _id as unknown, ...rest };
}

function dollarPrefixedIn(value: unknown): string | undefined {
  if (!isPlainObject(value)) return undefined;
  for (const [key, nested] of Object.entries(value)) {
    if (key.startsWith('$')) return key;
    const inner = dollarPrefixedIn(nested);
    if (inner) return inner;
  }
  return undefined;
}

/** mongod's rules for `_id`: not an array or regex, and no `$`-prefixed field names inside it. */
export function validateId(doc: Document): void {
  const id = doc._id as unknown;
  if (Array.isArray(id)) throw commandError('InvalidIdField', "The '_id' value cannot be of type array");
  if (id instanceof RegExp) throw commandError('InvalidIdField', "can't use a regex for _id");
  const dollar = typeof id === 'object' && id !== null ? dollarPrefixedIn(id) : undefined;
  if (dollar) {
    throw commandError(
      'DollarPrefixedFieldName',
      `_id fields may not contain '$'-prefixed fields: ${dollar} is not valid for storage.`,
    );
  }
}
