import { Binary, BSON, ObjectId, UUID, type Document } from 'bson';
import * as ELEMENT_TYPES from './bson-element-types';

// Local copies: tsx compiles each use of an imported constant to a getter call, which the switches over
// element types would pay per value.
const { DOUBLE, STRING, OBJECT, ARRAY, BINARY, OBJECT_ID, BOOLEAN, DATE, NULL, INT32, INT64 } = ELEMENT_TYPES;

// Documents keep Int64 as numbers when they fit, like the shell does; cursor ids are answered as Long.
const DESERIALIZE_OPTIONS = { promoteLongs: true, promoteValues: true, promoteBuffers: false } as const;

const BINARY_OLD = 0x02;
const BINARY_UUID = 0x04;
const TWO_POW_32 = 4294967296;
// Int64 values whose high word lies within ±2^21 are below 2^53 in magnitude: exact as JavaScript numbers.
const SAFE_HIGH_WORD = 2097152;
const REPLACEMENT_CHARACTER = 0xfffd;

/** Thrown inside the decoder when the input needs the general deserializer (never escapes this module). */
class NeedsGeneralDecoder extends Error {}
const NEEDS_GENERAL = new NeedsGeneralDecoder();
const EMPTY = Buffer.alloc(0);

// The document being decoded and the offset just past the last value read: module state, as a class or
// closure per call would cost more than the decoding of a small command.
let bytes: Buffer = EMPTY;
let position = 0;

// Field names and short values repeat from command to command: a direct-mapped cache of the ASCII strings
// decoded lately answers most of them with a byte comparison instead of a string allocation.
const CACHE_SLOTS = 4096;
const MAX_CACHED_BYTES = 32;
const recentStrings: string[] = new Array<string>(CACHE_SLOTS).fill('');

// Buffer's own slicers, which `toString(encoding, start, end)` reaches after checking its arguments.
function latin1(start: number, end: number): string {
  return (bytes as unknown as { latin1Slice(start: number, end: number): string }).latin1Slice(start, end);
}

function utf8(start: number, end: number): string {
  return (bytes as unknown as { utf8Slice(start: number, end: number): string }).utf8Slice(start, end);
}

/** An ASCII string of `hash` (computed while scanning its bytes), from the cache when it was seen lately. */
function cachedAscii(start: number, end: number, hash: number): string {
  const length = end - start;
  if (length > MAX_CACHED_BYTES) return latin1(start, end);
  const slot = hash & (CACHE_SLOTS - 1);
  const cached = recentStrings[slot] as string;
  if (cached.length === length) {
    let same = true;
    for (let k = 0; k < length; k += 1) {
      if (cached.charCodeAt(k) !== bytes[start + k]) {
        same = false;
        break;
      }
    }
    if (same) return cached;
  }
  const decoded = latin1(start, end);
  recentStrings[slot] = decoded;
  return decoded;
}

function asciiOrUtf8(start: number, end: number): string {
  let hash = 0;
  for (let i = start; i < end; i += 1) {
    const byte = bytes[i] as number;
    if (byte > 127) return utf8(start, end);
    hash = (Math.imul(hash, 31) + byte) | 0;
  }
  return cachedAscii(start, end, hash);
}

/**
 * A field name up to its NUL (`position` is left just past it). bson decodes names without UTF-8 validation,
 * as Buffer#toString does.
 */
function readName(at: number, end: number): string {
  let hash = 0;
  let ascii = true;
  let i = at;
  for (; ; i += 1) {
    if (i >= end) throw NEEDS_GENERAL;
    const byte = bytes[i] as number;
    if (byte === 0) break;
    if (byte > 127) ascii = false;
    hash = (Math.imul(hash, 31) + byte) | 0;
  }
  position = i + 1;
  return ascii ? cachedAscii(at, i, hash) : utf8(at, i);
}

/** An array element's name, which bson ignores (elements are numbered by position). */
function skipName(at: number, end: number): void {
  let i = at;
  while (i < end && bytes[i] !== 0) i += 1;
  if (i >= end) throw NEEDS_GENERAL;
  position = i + 1;
}

function readString(at: number, end: number): string {
  const size = bytes.readInt32LE(at);
  const stop = at + 4 + size;
  if (size <= 0 || stop > end || bytes[stop - 1] !== 0) throw NEEDS_GENERAL;
  const value = asciiOrUtf8(at + 4, stop - 1);
  // bson validates strings: a replacement character may be invalid UTF-8, which only bson may judge.
  if (value.length > 0 && value.indexOf(String.fromCharCode(REPLACEMENT_CHARACTER)) >= 0) throw NEEDS_GENERAL;
  return value;
}

function readBinary(at: number, end: number): Binary | UUID {
  const size = bytes.readInt32LE(at);
  const subType = bytes[at + 4] as number;
  if (size < 0 || subType === BINARY_OLD || at + 5 + size > end) throw NEEDS_GENERAL;
  const value = new Binary(bytes.subarray(at + 5, at + 5 + size), subType);
  return subType === BINARY_UUID && UUID.isValid(value) ? value.toUUID() : value;
}

function readValue(type: number, at: number, end: number): unknown {
  switch (type) {
    case DOUBLE:
      position = at + 8;
      return bytes.readDoubleLE(at);
    case STRING:
      position = at + 4 + bytes.readInt32LE(at);
      return readString(at, end);
    case OBJECT:
    case ARRAY: {
      const size = bytes.readInt32LE(at);
      if (size < 5 || at + size > end) throw NEEDS_GENERAL;
      const value = type === OBJECT ? readObject(at, at + size) : readArray(at, at + size);
      position = at + size;
      return value;
    }
    case BINARY:
      position = at + 5 + bytes.readInt32LE(at);
      return readBinary(at, end);
    case OBJECT_ID:
      position = at + 12;
      return new (ObjectId as unknown as new (bytes: Buffer, offset: number) => ObjectId)(bytes, at);
    case BOOLEAN: {
      const flag = bytes[at];
      if (flag !== 0 && flag !== 1) throw NEEDS_GENERAL;
      position = at + 1;
      return flag === 1;
    }
    case DATE:
      position = at + 8;
      return new Date(bytes.readInt32LE(at + 4) * TWO_POW_32 + bytes.readUInt32LE(at));
    case NULL:
      position = at;
      return null;
    case INT32:
      position = at + 4;
      return bytes.readInt32LE(at);
    case INT64: {
      const high = bytes.readInt32LE(at + 4);
      if (high < -SAFE_HIGH_WORD || high >= SAFE_HIGH_WORD) throw NEEDS_GENERAL;
      position = at + 8;
      return high * TWO_POW_32 + bytes.readUInt32LE(at);
    }
    default:
      throw NEEDS_GENERAL;
  }
}

function checkElementEnd(end: number): void {
  if (position > end - 1) throw NEEDS_GENERAL;
}

function readObject(start: number, end: number): Document {
  const doc: Document = {};
  // bson turns a document with `$ref`/`$id` (and only `$db` besides) into a DBRef: the general path decides.
  let possibleDbRef: boolean | null = null;
  let at = start + 4;
  while (at < end - 1) {
    const type = bytes[at] as number;
    const name = readName(at + 1, end);
    if (possibleDbRef !== false && name.charCodeAt(0) === 36) {
      possibleDbRef = name === '$ref' || name === '$id' || name === '$db';
    }
    const value = readValue(type, position, end);
    checkElementEnd(end);
    if (name === '__proto__') {
      Object.defineProperty(doc, name, { value, writable: true, enumerable: true, configurable: true });
    } else doc[name] = value;
    at = position;
  }
  if (at !== end - 1 || bytes[at] !== 0) throw NEEDS_GENERAL;
  if (possibleDbRef === true && '$ref' in doc && '$id' in doc) throw NEEDS_GENERAL;
  return doc;
}

function readArray(start: number, end: number): unknown[] {
  const items: unknown[] = [];
  let at = start + 4;
  while (at < end - 1) {
    const type = bytes[at] as number;
    // bson numbers array elements by position, whatever their names say.
    skipName(at + 1, end);
    items.push(readValue(type, position, end));
    checkElementEnd(end);
    at = position;
  }
  if (at !== end - 1 || bytes[at] !== 0) throw NEEDS_GENERAL;
  return items;
}

/**
 * `BSON.deserialize(document, {promoteLongs, promoteValues})` for the types commands and documents mostly
 * hold (strings, numbers, dates, booleans, null, ObjectIds, binaries, documents, arrays), several times
 * faster; anything else — other types, an odd framing, a possible DBRef or invalid UTF-8 — goes to bson
 * itself, so the result (or the error) is always bson's. `start` and `end` delimit the document inside
 * `buffer` (a wire message), so no subarray is made for it.
 */
export function decodeDocument(buffer: Buffer, start = 0, end = buffer.length): Document {
  bytes = buffer;
  try {
    const size = end - start >= 5 ? buffer.readInt32LE(start) : 0;
    if (size !== end - start || buffer[end - 1] !== 0) throw NEEDS_GENERAL;
    return readObject(start, end);
  } catch {
    // Whatever stopped the fast decoder (a type it leaves to bson, a read past the end), bson decides.
    return BSON.deserialize(buffer.subarray(start, end), DESERIALIZE_OPTIONS);
  } finally {
    bytes = EMPTY;
  }
}
