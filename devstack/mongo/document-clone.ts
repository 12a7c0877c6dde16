import { BSON, type Document } from 'bson';
import { decodeDocument } from './bson-decode';
import { encodeDocument } from './bson-encode';

/** A deep copy that keeps BSON types (ObjectId, Date, Decimal128, Binary...) as the wire would. */
export function cloneDocument(doc: Document): Document {
  return decodeDocument(encodeDocument(doc));
}

export function sameDocument(a: Document, b: Document): boolean {
  return encodeDocument(a).equals(encodeDocument(b));
}

export function bsonSize(doc: Document): number {
  return BSON.calculateObjectSize(doc);
}
