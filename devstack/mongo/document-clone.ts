import { ObjectId, type Document } from 'bson';
import { decodeDocument } from './bson-decode';
import { encodedSize, encodeDocument } from './bson-encode';

/** A deep copy that keeps BSON types (ObjectId, Date, Decimal128, Binary...) as the wire would. */
export function cloneDocument(doc: Document): Document {
  return decodeDocument(encodeDocument(doc));
}

const DIFFERENT = 0;
const SAME = 1;
// A value whose bytes only bson itself can tell (Long, Decimal128, Binary, a class instance, NaN...).
const UNDECIDED = 2;
type Verdict = typeof DIFFERENT | typeof SAME | typeof UNDECIDED;
const MAX_DEPTH = 100;

type Kind = 'string' | 'number' | 'boolean' | 'null' | 'date' | 'objectId' | 'array' | 'document';

function isPlainDocument(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return false;
  return !('_bsontype' in value) && typeof (value as Document).toBSON !== 'function';
}

/** The BSON type a value certainly encodes as, for the types the encoder writes itself; undefined otherwise. */
function kindOf(value: unknown): Kind | undefined {
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'number':
      return Number.isNaN(value) ? undefined : 'number';
    case 'boolean':
      return 'boolean';
    case 'object':
      if (value === null) return 'null';
      if (Array.isArray(value)) return 'array';
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : 'date';
      if (value instanceof ObjectId) return 'objectId';
      return isPlainDocument(value) ? 'document' : undefined;
    default:
      return undefined;
  }
}

function sameValue(a: unknown, b: unknown, depth: number): Verdict {
  const kind = kindOf(a);
  const other = kindOf(b);
  if (kind === undefined || other === undefined) return UNDECIDED;
  if (kind !== other) return DIFFERENT;
  switch (kind) {
    case 'number':
      // -0 is written as a double, 0 as an int32; any other two numbers differ in their bytes.
      return Object.is(a, b) ? SAME : DIFFERENT;
    case 'date':
      return (a as Date).getTime() === (b as Date).getTime() ? SAME : DIFFERENT;
    case 'objectId':
      return (a as ObjectId).equals(b as ObjectId) ? SAME : DIFFERENT;
    case 'array':
      return a === b ? SAME : sameItems(a as unknown[], b as unknown[], depth + 1);
    case 'document':
      return a === b ? SAME : sameFields(a as Document, b as Document, depth + 1);
    default:
      return a === b ? SAME : DIFFERENT;
  }
}

function sameItems(a: readonly unknown[], b: readonly unknown[], depth: number): Verdict {
  if (depth > MAX_DEPTH) return UNDECIDED;
  let verdict: Verdict = a.length === b.length ? SAME : DIFFERENT;
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    // An undefined element (or a hole) is written as null.
    const x = i < a.length ? (a[i] ?? null) : null;
    const y = i < b.length ? (b[i] ?? null) : null;
    const item = sameValue(x, y, depth);
    if (item === UNDECIDED) return UNDECIDED;
    if (item === DIFFERENT) verdict = DIFFERENT;
  }
  return verdict;
}

/** Field names and values in order; undefined fields are left out, as the encoders do. */
function sameFields(a: Document, b: Document, depth: number): Verdict {
  if (depth > MAX_DEPTH) return UNDECIDED;
  const names = Object.keys(a);
  const others = Object.keys(b);
  let verdict: Verdict = SAME;
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < names.length && a[names[i] as string] === undefined) i += 1;
    while (j < others.length && b[others[j] as string] === undefined) j += 1;
    if (i === names.length || j === others.length) break;
    const name = names[i] as string;
    const other = others[j] as string;
    const value = sameValue(a[name], b[other], depth);
    if (value === UNDECIDED) return UNDECIDED;
    if (value === DIFFERENT || name !== other) verdict = DIFFERENT;
    i += 1;
    j += 1;
  }
  // A field left on one side makes the documents differ, unless one left is of a type only bson can tell.
  let leftOver = false;
  for (; i < names.length; i += 1) {
    const value = a[names[i] as string] as unknown;
    if (value === undefined) continue;
    if (kindOf(value) === undefined) return UNDECIDED;
    leftOver = true;
  }
  for (; j < others.length; j += 1) {
    const value = b[others[j] as string] as unknown;
    if (value === undefined) continue;
    if (kindOf(value) === undefined) return UNDECIDED;
    leftOver = true;
  }
  return leftOver ? DIFFERENT : verdict;
}

/**
 * Whether two documents have the same BSON bytes, decided on the values for the types the encoder writes
 * itself (the usual case, without encoding either) and by encoding both when another type is involved.
 */
export function sameDocument(a: Document, b: Document): boolean {
  const verdict = sameFields(a, b, 0);
  return verdict === UNDECIDED ? encodeDocument(a).equals(encodeDocument(b)) : verdict === SAME;
}

export function bsonSize(doc: Document): number {
  return encodedSize(doc);
}
