import { BSONSymbol, Decimal128, Long, MaxKey, MinKey, ObjectId } from 'bson';
import { compareKeys, compareValues } from './bson-order';
import { OrderedIndex, type IndexEntry } from './ordered-index';
import { sortKeyOf } from './sort-key';

/** A small deterministic PRNG so failures reproduce. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/** Entries as callers see them: key and record id (the index keeps more of its own on each). */
const plain = (entries: Iterable<IndexEntry>): IndexEntry[] =>
  [...entries].map(({ key, rid }) => ({ key, rid }));

describe('BSON comparison order', () => {
  it('orders types as MongoDB does', () => {
    const ordered = [
      new MinKey(),
      null,
      -1,
      Long.fromNumber(2),
      Decimal128.fromString('2.5'),
      'a',
      'b',
      { a: 1 },
      [1],
      ObjectId.createFromHexString('000000000000000000000001'),
      false,
      true,
      new Date(0),
      /x/,
      new MaxKey(),
    ];
    for (let i = 0; i < ordered.length - 1; i += 1) {
      expect(compareValues(ordered[i], ordered[i + 1])).toBe(-1);
      expect(compareValues(ordered[i + 1], ordered[i])).toBe(1);
    }
    expect(compareValues(1, Long.fromNumber(1))).toBe(0);
    const next = random(7);
    for (let i = 0; i < 500; i += 1) {
      const a = new ObjectId(Buffer.from(Array.from({ length: 12 }, () => Math.floor(next() * 256))));
      const b = new ObjectId(Buffer.from(Array.from({ length: 12 }, () => Math.floor(next() * 256))));
      expect(compareValues(a, b)).toBe(Math.sign(Buffer.compare(a.id, b.id)));
    }
    expect(compareValues(undefined, null)).toBe(0);
  });
});

describe('OrderedIndex', () => {
  it('matches a sorted reference under random inserts, removes and range scans', () => {
    const next = random(42);
    const index = new OrderedIndex();
    const reference: IndexEntry[] = [];
    const cmp = (a: IndexEntry, b: IndexEntry): number => compareValues(a.key[0], b.key[0]) || a.rid - b.rid;
    for (let rid = 0; rid < 20_000; rid += 1) {
      const entry = { key: [Math.floor(next() * 5_000)], rid };
      index.insert(entry);
      reference.push(entry);
      if (next() < 0.3) {
        const victim = reference.splice(Math.floor(next() * reference.length), 1)[0]!;
        expect(index.remove(victim)).toBe(true);
      }
    }
    reference.sort(cmp);
    expect(index.size).toBe(reference.length);
    expect(plain(index.range())).toEqual(reference);
    for (let i = 0; i < 50; i += 1) {
      const lo = Math.floor(next() * 5_000);
      const hi = lo + Math.floor(next() * 200);
      const got = plain(
        index.range(
          (e) => (e.key[0] as number) >= lo,
          (e) => (e.key[0] as number) > hi,
        ),
      );
      expect(got).toEqual(reference.filter((e) => (e.key[0] as number) >= lo && (e.key[0] as number) <= hi));
      expect(plain(index.equal([lo]))).toEqual(reference.filter((e) => e.key[0] === lo));
    }
    expect(index.remove({ key: [-1], rid: 0 })).toBe(false);
  });

  it('answers string equality from its hash exactly as the ordered search does', () => {
    const next = random(9);
    const hashed = new OrderedIndex();
    const reference: IndexEntry[] = [];
    const keyOf = (): unknown => {
      const pick = next();
      const n = Math.floor(next() * 300);
      return pick < 0.7 ? `k${n}` : pick < 0.85 ? n : pick < 0.95 ? null : `k${n}\u0000x`;
    };
    for (let rid = 0; rid < 5_000; rid += 1) {
      // Record ids arrive out of order, as a replaced document re-inserts its keys under its old id.
      const entry = { key: [keyOf()], rid: (rid * 7_919) % 5_000 };
      hashed.insert(entry);
      reference.push(entry);
      if (next() < 0.3) {
        const victim = reference.splice(Math.floor(next() * reference.length), 1)[0]!;
        expect(hashed.remove(victim)).toBe(true);
      }
    }
    const expected = (key: unknown): IndexEntry[] =>
      reference.filter((e) => compareValues(e.key[0], key) === 0).sort((a, b) => a.rid - b.rid);
    for (let n = 0; n < 300; n += 1) {
      for (const key of [`k${n}`, `k${n}\u0000x`, n])
        expect(plain(hashed.equal([key]))).toEqual(expected(key));
    }
    // A string-class value that is not a JavaScript string makes the ordered search answer again.
    const symbol = { key: [new BSONSymbol('k1')], rid: 99_999 };
    hashed.insert(symbol);
    expect(plain(hashed.equal(['k1']))).toContainEqual(symbol);
    hashed.remove(symbol);
    expect(plain(hashed.equal(['k1']))).toEqual(expected('k1'));
    // A compound index holds longer keys: a one-field key is then a prefix, answered by the ordered search.
    const compound = new OrderedIndex();
    compound.insert({ key: ['a', 1], rid: 1 });
    compound.insert({ key: ['a', 2], rid: 2 });
    compound.insert({ key: ['b', 1], rid: 3 });
    expect(compound.equal(['a']).map((e) => e.rid)).toEqual([1, 2]);
  });
  it('orders compound keys of every type as compareKeys does, through their sort keys or without them', () => {
    const next = random(7);
    const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T;
    const day = (n: number) => new Date(Date.UTC(2026, 0, 1 + n));
    const values: readonly (() => unknown)[] = [
      () =>
        pick([
          '',
          'a',
          'ab',
          'b',
          'a\u0000',
          'a\u0001',
          'a\u0009',
          '\u0003',
          'Z',
          '\uffff',
          'é',
          '😀',
          `o-${Math.floor(next() * 50)}`,
        ]),
      () =>
        pick([0, -0, 1, -1, 0.5, -0.5, 1e300, -1e300, Infinity, -Infinity, NaN, 2 ** 53, Number.MIN_VALUE]),
      () => Math.floor(next() * 20) - 10,
      () => pick([true, false, null, undefined]),
      () => pick([day(0), day(1), new Date(-1), new Date(Number.NaN)]),
      () =>
        pick([Long.fromNumber(3), new ObjectId('64b7f0c2a1b2c3d4e5f60718'), { a: 1 }, [1, 2], new MinKey()]),
    ];
    const keyOf = () => Array.from({ length: 3 }, () => pick(values)());
    const index = new OrderedIndex();
    const reference: IndexEntry[] = [];
    for (let rid = 0; rid < 6_000; rid += 1) {
      const entry = { key: keyOf(), rid };
      index.insert(entry);
      reference.push(entry);
      if (next() < 0.2) {
        const victim = reference.splice(Math.floor(next() * reference.length), 1)[0]!;
        expect(index.remove(victim)).toBe(true);
      }
    }
    reference.sort((a, b) => compareKeys(a.key, b.key, []) || a.rid - b.rid);
    expect(plain(index.range())).toEqual(reference);
    // Built at once from the same entries, it holds them in the same order, and takes inserts as before.
    const built = new OrderedIndex();
    built.build([...reference].reverse());
    expect(plain(built.range())).toEqual(reference);
    const later = { key: keyOf(), rid: 99_999 };
    built.insert(later);
    index.insert(later);
    expect(plain(built.range())).toEqual(plain(index.range()));
    expect(plain(built.equal(later.key))).toEqual(plain(index.equal(later.key)));
    // The sort keys alone agree with compareKeys wherever both keys have one.
    for (let i = 0; i < 20_000; i += 1) {
      const a = keyOf();
      const b = keyOf();
      const [x, y] = [sortKeyOf(a), sortKeyOf(b)];
      if (x === undefined || y === undefined) continue;
      expect([a, b, Math.sign(x < y ? -1 : x > y ? 1 : 0)]).toEqual([a, b, compareKeys(a, b, [])]);
    }
  });

  it('reports the first key two records share when built at once', () => {
    const duplicates: unknown[] = [];
    const index = new OrderedIndex();
    index.build(
      [
        { key: ['b', 1], rid: 1 },
        { key: ['a', 2], rid: 2 },
        { key: ['a', 2], rid: 2 },
        { key: ['b', 1], rid: 3 },
        { key: [new ObjectId('64b7f0c2a1b2c3d4e5f60718')], rid: 4 },
        { key: [new ObjectId('64b7f0c2a1b2c3d4e5f60718')], rid: 5 },
      ],
      (key) => duplicates.push(key),
    );
    expect(duplicates).toEqual([['b', 1], [new ObjectId('64b7f0c2a1b2c3d4e5f60718')]]);
  });
});
