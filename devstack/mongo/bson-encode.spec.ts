import {
  Binary,
  BSON,
  BSONRegExp,
  Code,
  DBRef,
  Decimal128,
  Double,
  Int32,
  Long,
  MaxKey,
  MinKey,
  ObjectId,
  Timestamp,
  UUID,
  type Document,
} from 'bson';
import { encodeDocument } from './bson-encode';

// The fast encoder must write exactly the bytes bson writes, or throw what bson throws.

function outcome(encode: () => Uint8Array): { bytes?: string; error?: string } {
  try {
    return { bytes: Buffer.from(encode()).toString('hex') };
  } catch (error) {
    return { error: String(error) };
  }
}

function expectSameAsBson(doc: Document): void {
  expect(outcome(() => encodeDocument(doc))).toEqual(outcome(() => BSON.serialize(doc)));
}

class Custom {
  constructor(readonly x: number) {}
}

describe('the fast BSON encoder writes what bson writes', () => {
  it('for replies and stored documents of the common types', () => {
    const documents: Document[] = [
      {},
      { n: 1, nModified: 0, upserted: [{ index: 0, _id: new ObjectId() }], ok: 1 },
      { cursor: { id: Long.ZERO, ns: 'db.c', firstBatch: [] }, big: Long.fromString('-9007199254740993') },
      { unsigned: Long.fromString('18446744073709551615', true), max: Long.MAX_VALUE, min: Long.MIN_VALUE },
      {
        s: '',
        ascii: 'order-000abc',
        t: 'ünïcödé ✓ 𝄞',
        long: 'y'.repeat(300),
        lone: '\ud800x',
        nul: 'a\u0000b',
      },
      { i: 0, neg: -7, max: 2147483647, over: 2147483648, min: -2147483648, under: -2147483649 },
      { d: 1.5, negZero: -0, nan: NaN, inf: Infinity, big: 2 ** 60, unsafe: 2 ** 53 + 2 },
      { at: new Date(1_700_000_000_123), early: new Date(-86_400_000), b: true, f: false, n: null },
      { undef: undefined, list: [1, undefined, 'x', null, [[]], { a: [] }], sparse: new Array<unknown>(3) },
      { nested: { deep: { deeper: { deepest: [{ k: 'v' }] } } }, 10: 'numeric', 2: 'keys' },
      JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Document,
      Object.assign(Object.create(null) as Document, { nullProto: 1 }),
    ];
    for (const doc of documents) expectSameAsBson(doc);
  });

  it('for the types it leaves to bson, and for what bson refuses', () => {
    const circular: Document = { a: 1 };
    circular.self = circular;
    const documents: Document[] = [
      { bin: new Binary(Buffer.from([1, 2])), uuid: new UUID(), buf: Buffer.from([3]) },
      { dec: Decimal128.fromString('1.50'), long: Long.fromNumber(5), ts: new Timestamp({ t: 1, i: 2 }) },
      {
        re: /a.b/gi,
        bre: new BSONRegExp('x', 'ms'),
        code: new Code('f()'),
        i32: new Int32(5),
        dbl: new Double(2),
      },
      { min: new MinKey(), max: new MaxKey(), ref: new DBRef('c', new ObjectId()) },
      { bigint: 5n, fn: () => 1, sym: Symbol('s'), custom: new Custom(1), map: new Map([['k', 1]]) },
      { toBSON: () => ({ replaced: true }) },
      { inner: { toBSON: () => ({ replaced: true }) } },
      { badDate: new Date(NaN) },
      { 'nul\u0000key': 1 },
      { fake: { _bsontype: 'ObjectId', id: 'x' } },
      circular,
      { deep: JSON.parse(`${'{"a":'.repeat(150)}1${'}'.repeat(150)}`) as unknown },
    ];
    for (const doc of documents) expectSameAsBson(doc);
  });

  it('places the document after the requested prefix', () => {
    const doc = { ok: 1, cursor: { firstBatch: [{ _id: 'a' }], id: 0 } };
    const encoded = encodeDocument(doc, 21);
    expect(encoded.subarray(21).toString('hex')).toEqual(Buffer.from(BSON.serialize(doc)).toString('hex'));
  });
});
