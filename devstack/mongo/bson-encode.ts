import { BSON, Long, ObjectId, type Document } from 'bson';
import * as ELEMENT_TYPES from './bson-element-types';

// Local copies: tsx compiles each use of an imported constant to a getter call, which the switches over
// element types would pay per value.
const { DOUBLE, STRING, OBJECT, ARRAY, OBJECT_ID, BOOLEAN, DATE, NULL, INT32, INT64 } = ELEMENT_TYPES;

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const TWO_POW_32 = 4294967296;
// Larger documents (and deeper ones, which may be circular) are left to bson.
const SCRATCH_BYTES = 1024 * 1024;
const MAX_DEPTH = 100;
// Room for one element's type, a short name and a fixed-size value, checked once per element.
const ELEMENT_SLACK = 64;

const MAX_BASIC_LATIN = 25;

/** Thrown inside the encoder when the value needs bson itself (never escapes this module). */
class NeedsGeneralEncoder extends Error {}
const NEEDS_GENERAL = new NeedsGeneralEncoder();

// The slack past the checked limit takes the closing bytes of nested documents, so no write falls off the end.
/** bson's own serializer writes an ObjectId's twelve bytes with this untyped method (no copy of `id`). */
interface SerializableObjectId {
  serializeInto(buffer: Uint8Array, index: number): number;
}

const scratch = Buffer.allocUnsafe(SCRATCH_BYTES + 4 * ELEMENT_SLACK);

function writeText(text: string, at: number): number {
  if (text.length <= MAX_BASIC_LATIN) {
    let ascii = true;
    for (let i = 0; i < text.length; i += 1) {
      const code = text.charCodeAt(i);
      if (code > 127) {
        ascii = false;
        break;
      }
      scratch[at + i] = code;
    }
    if (ascii) return at + text.length;
  }
  if (at + text.length * 3 + ELEMENT_SLACK > SCRATCH_BYTES) throw NEEDS_GENERAL;
  return at + scratch.write(text, at, 'utf8');
}

function writeName(type: number, name: string, at: number): number {
  if (name.length > 0 && name.indexOf('\u0000') >= 0) throw NEEDS_GENERAL;
  if (at + name.length * 3 + ELEMENT_SLACK > SCRATCH_BYTES) throw NEEDS_GENERAL;
  scratch[at] = type;
  const end = writeText(name, at + 1);
  scratch[end] = 0;
  return end + 1;
}

/** bson replaces a value by what its `toBSON()` returns: left to bson. */
function hasToBSON(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as Document).toBSON === 'function';
}

function isPlainDocument(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function writeElement(name: string, value: unknown, at: number, depth: number): number {
  switch (typeof value) {
    case 'string': {
      const start = writeName(STRING, name, at);
      const end = writeText(value, start + 4);
      scratch[end] = 0;
      scratch.writeInt32LE(end + 1 - start - 4, start);
      return end + 1;
    }
    case 'number': {
      if (Number.isSafeInteger(value) && value >= INT32_MIN && value <= INT32_MAX && !Object.is(value, -0)) {
        const start = writeName(INT32, name, at);
        scratch.writeInt32LE(value, start);
        return start + 4;
      }
      const start = writeName(DOUBLE, name, at);
      scratch.writeDoubleLE(value, start);
      return start + 8;
    }
    case 'boolean': {
      const start = writeName(BOOLEAN, name, at);
      scratch[start] = value ? 1 : 0;
      return start + 1;
    }
    case 'object':
      return writeObjectElement(name, value, at, depth);
    default:
      throw NEEDS_GENERAL;
  }
}

function writeObjectElement(name: string, value: object | null, at: number, depth: number): number {
  if (value === null) return writeName(NULL, name, at);
  if (value instanceof ObjectId) {
    const start = writeName(OBJECT_ID, name, at);
    (value as unknown as SerializableObjectId).serializeInto(scratch, start);
    return start + 12;
  }
  // Cursor ids are answered as Long; a Timestamp is a different BSON type, left to bson.
  if (value instanceof Long && value._bsontype === 'Long') {
    const start = writeName(INT64, name, at);
    scratch.writeInt32LE(value.low, start);
    scratch.writeInt32LE(value.high, start + 4);
    return start + 8;
  }
  if (value instanceof Date) {
    const time = value.getTime();
    if (Number.isNaN(time)) throw NEEDS_GENERAL;
    const start = writeName(DATE, name, at);
    const high = Math.floor(time / TWO_POW_32);
    scratch.writeUInt32LE(time - high * TWO_POW_32, start);
    scratch.writeInt32LE(high, start + 4);
    return start + 8;
  }
  if (Array.isArray(value)) return writeArray(value, writeName(ARRAY, name, at), depth + 1);
  if (!isPlainDocument(value) || '_bsontype' in value) throw NEEDS_GENERAL;
  return writeDocument(value, writeName(OBJECT, name, at), depth + 1);
}

function writeDocument(doc: Document, start: number, depth: number): number {
  if (depth > MAX_DEPTH || typeof doc.toBSON === 'function') throw NEEDS_GENERAL;
  let at = start + 4;
  for (const name of Object.keys(doc)) {
    const value: unknown = doc[name];
    // bson's serialize leaves out undefined fields (ignoreUndefined defaults to true).
    if (value === undefined) continue;
    if (hasToBSON(value)) throw NEEDS_GENERAL;
    at = writeElement(name, value, at, depth);
  }
  scratch[at] = 0;
  scratch.writeInt32LE(at + 1 - start, start);
  return at + 1;
}

function writeArray(items: readonly unknown[], start: number, depth: number): number {
  if (depth > MAX_DEPTH) throw NEEDS_GENERAL;
  let at = start + 4;
  for (let i = 0; i < items.length; i += 1) {
    const value = items[i];
    if (hasToBSON(value)) throw NEEDS_GENERAL;
    // In an array bson writes an undefined element (or a hole) as null.
    at = writeElement(String(i), value === undefined ? null : value, at, depth);
  }
  scratch[at] = 0;
  scratch.writeInt32LE(at + 1 - start, start);
  return at + 1;
}

/**
 * `BSON.serialize(doc)` placed after `prefixBytes` bytes the caller fills (a wire header), in one buffer:
 * the common types (strings, numbers, booleans, null, dates, ObjectIds, documents, arrays) are written here,
 * anything else goes through bson, so the bytes (or the error) are always bson's.
 */
export function encodeDocument(doc: Document, prefixBytes = 0): Buffer {
  let end: number | undefined;
  try {
    if (isPlainDocument(doc)) end = writeDocument(doc, 0, 0);
  } catch (error) {
    if (!(error instanceof NeedsGeneralEncoder) && !(error instanceof RangeError)) throw error;
  }
  if (end === undefined) {
    const payload = BSON.serialize(doc);
    const encoded = Buffer.allocUnsafe(prefixBytes + payload.length);
    encoded.set(payload, prefixBytes);
    return encoded;
  }
  const encoded = Buffer.allocUnsafe(prefixBytes + end);
  scratch.copy(encoded, prefixBytes, 0, end);
  return encoded;
}

/** Thrown inside the size walk for a value only bson can size (never escapes this module). */
const NEEDS_BSON_SIZE = new NeedsGeneralEncoder();

function textBytes(text: string): number {
  for (let i = 0; i < text.length; i += 1)
    if (text.charCodeAt(i) > 127) return Buffer.byteLength(text, 'utf8');
  return text.length;
}

function elementSize(name: string, value: unknown, depth: number): number {
  const head = 2 + textBytes(name);
  switch (typeof value) {
    case 'string':
      return head + 5 + textBytes(value);
    case 'number':
      return (
        head +
        (Number.isSafeInteger(value) && value >= INT32_MIN && value <= INT32_MAX && !Object.is(value, -0)
          ? 4
          : 8)
      );
    case 'boolean':
      return head + 1;
    case 'object':
      break;
    default:
      throw NEEDS_BSON_SIZE;
  }
  if (value === null) return head;
  if (value instanceof ObjectId) return head + 12;
  if ((value instanceof Long && value._bsontype === 'Long') || value instanceof Date) return head + 8;
  if (Array.isArray(value)) return head + itemsSize(value, depth + 1);
  if (!isPlainDocument(value) || '_bsontype' in value) throw NEEDS_BSON_SIZE;
  return head + fieldsSize(value, depth + 1);
}

function fieldsSize(doc: Document, depth: number): number {
  if (depth > MAX_DEPTH || typeof doc.toBSON === 'function') throw NEEDS_BSON_SIZE;
  let size = 5;
  for (const name of Object.keys(doc)) {
    const value: unknown = doc[name];
    if (value === undefined) continue;
    if (hasToBSON(value)) throw NEEDS_BSON_SIZE;
    size += elementSize(name, value, depth);
  }
  return size;
}

function itemsSize(items: readonly unknown[], depth: number): number {
  if (depth > MAX_DEPTH) throw NEEDS_BSON_SIZE;
  let size = 5;
  for (let i = 0; i < items.length; i += 1) {
    const value = items[i];
    if (hasToBSON(value)) throw NEEDS_BSON_SIZE;
    size += elementSize(String(i), value === undefined ? null : value, depth);
  }
  return size;
}

/**
 * `BSON.calculateObjectSize(doc)` without bson's generic walk for the types `encodeDocument` writes itself;
 * anything else is sized by bson.
 */
export function encodedSize(doc: Document): number {
  try {
    if (isPlainDocument(doc)) return fieldsSize(doc, 0);
  } catch (error) {
    if (error !== NEEDS_BSON_SIZE) throw error;
  }
  return BSON.calculateObjectSize(doc);
}
