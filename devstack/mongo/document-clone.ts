import { BSON, type Document } from 'bson';

const DESERIALIZE_OPTIONS = { promoteLongs: true, promoteValues: true, promoteBuffers: false } as const;

/** A deep copy that keeps BSON types (ObjectId, Date, Decimal128, Binary...) as the wire would. */
export function cloneDocument(doc: Document): Document {
  return BSON.deserialize(BSON.serialize(doc), DESERIALIZE_OPTIONS);
}

export function sameDocument(a: Document, b: Document): boolean {
  return Buffer.from(BSON.serialize(a)).equals(BSON.serialize(b));
}

export function bsonSize(doc: Document): number {
  return BSON.calculateObjectSize(doc);
}
