import { isDeepStrictEqual } from 'node:util';
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
import { decodeDocument } from './bson-decode';

// The fast decoder must answer exactly what bson answers (values, classes, field order) or throw what bson throws.

const OPTIONS = { promoteLongs: true, promoteValues: true, promoteBuffers: false } as const;

function general(bytes: Buffer): { value?: Document; error?: string } {
  try {
    return { value: BSON.deserialize(bytes, OPTIONS) };
  } catch (error) {
    return { error: String(error) };
  }
}

function fast(bytes: Buffer): { value?: Document; error?: string } {
  try {
    return { value: decodeDocument(bytes) };
  } catch (error) {
    return { error: String(error) };
  }
}

function expectSameAsBson(bytes: Buffer): void {
  const expected = general(bytes);
  const actual = fast(bytes);
  expect(actual.error).toEqual(expected.error);
  if (expected.value === undefined) return;
  // Deep strict equality compares prototypes too: an ObjectId stays an ObjectId, a UUID a UUID.
  expect(isDeepStrictEqual(actual.value, expected.value)).toBe(true);
  expect(Object.keys(actual.value ?? {})).toEqual(Object.keys(expected.value));
}

const encode = (doc: Document): Buffer => Buffer.from(BSON.serialize(doc));

describe('the fast BSON decoder answers what bson answers', () => {
  it('for the shapes commands and stored documents hold', () => {
    const documents: Document[] = [
      {},
      {
        update: 'orders',
        updates: [{ q: { key: 'order-1' }, u: { $set: { a: 1 } }, upsert: true }],
        $db: 'x',
      },
      { s: '', t: 'ünïcödé ✓ 𝄞', long: 'x'.repeat(100), nul: 'a\u0000b', fffd: 'real \ufffd char' },
      { i: 1, neg: -7, max: 2147483647, d: 1.5, negZero: -0, nan: NaN, inf: -Infinity },
      {
        l: Long.fromNumber(2 ** 40),
        big: Long.fromString('9007199254740993'),
        edge: Long.fromNumber(2 ** 53),
      },
      { minEdge: Long.fromNumber(-(2 ** 53)), tiny: Long.fromNumber(-1), zero: Long.ZERO },
      { at: new Date(1_700_000_000_123), early: new Date(-86_400_000), b: true, f: false, n: null },
      { id: new ObjectId(), nested: { deep: { deeper: [1, [2, [3, { x: 'y' }]]] } }, empty: [], eo: {} },
      { bin: new Binary(Buffer.from([1, 2, 3])), uuid: new UUID(), old: new Binary(Buffer.from([9]), 2) },
      { badUuid: new Binary(Buffer.from([1, 2, 3]), 4), user: new Binary(Buffer.alloc(0), 0x80) },
      { lsid: { id: new UUID() }, $clusterTime: { clusterTime: new Timestamp({ t: 1, i: 2 }) } },
      {
        dec: Decimal128.fromString('1.50'),
        re: /a.b/i,
        bre: new BSONRegExp('x', 'ms'),
        code: new Code('f()'),
      },
      { min: new MinKey(), max: new MaxKey(), i32: new Int32(5), dbl: new Double(2) },
      { ref: new DBRef('coll', new ObjectId()), plain: { $ref: 'c', other: 1 }, $db: 'only-db' },
      { dbLike: { $ref: 'c', $id: 1, $db: 'd' }, $id: 'root $id alone' },
      JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Document,
      { 10: 'numeric keys', 2: 'reorder', name: 'like bson' },
    ];
    for (const doc of documents) expectSameAsBson(encode(doc));
  });

  it('for a document read in place inside a larger buffer', () => {
    const doc = encode({ a: 'x', nested: { b: [1, 2] } });
    const framed = Buffer.concat([Buffer.from([1, 2, 3]), doc, Buffer.from([0, 0])]);
    expect(decodeDocument(framed, 3, 3 + doc.length)).toEqual(BSON.deserialize(doc, OPTIONS));
    // A document running past `end` is bson's to refuse, as if it had been cut there.
    for (let end = 3; end < 3 + doc.length; end += 1) {
      expect(fast(framed.subarray(0, end)).error).toBeDefined();
      expect(() => decodeDocument(framed, 3, end)).toThrow(
        general(framed.subarray(3, end)).error?.replace(/^BSONError: /, '') ?? '',
      );
    }
  });

  it('for array elements whatever their names', () => {
    const bytes = encode({ list: ['a', 'b'] });
    // Rename the elements "0" and "1" to "7" and "x": bson numbers array elements by position.
    const renamed = Buffer.from(bytes);
    renamed[renamed.indexOf('0', 14, 'latin1')] = '7'.charCodeAt(0);
    renamed[renamed.indexOf('1', 14, 'latin1')] = 'x'.charCodeAt(0);
    expectSameAsBson(renamed);
  });

  it('for malformed input: invalid UTF-8, bad booleans, bad lengths, truncation', () => {
    const base = encode({ s: 'abcd', b: true, o: { x: 1 }, n: 5 });
    const cases: Buffer[] = [];
    const invalidUtf8 = Buffer.from(base);
    invalidUtf8[base.indexOf('abcd', 0, 'latin1')] = 0xff;
    cases.push(invalidUtf8);
    const badKey = Buffer.from(base);
    badKey[5] = 0xc3;
    cases.push(badKey);
    const badBool = Buffer.from(base);
    badBool[base.indexOf('b', 15, 'latin1') + 2] = 2;
    cases.push(badBool);
    for (let cut = 0; cut < base.length; cut += 1) cases.push(base.subarray(0, cut));
    for (let at = 0; at < base.length; at += 1) {
      for (const byte of [0, 1, 0x7f, 0xff]) {
        const changed = Buffer.from(base);
        changed[at] = byte;
        cases.push(changed);
      }
    }
    for (const bytes of cases) expectSameAsBson(bytes);
  });
});
