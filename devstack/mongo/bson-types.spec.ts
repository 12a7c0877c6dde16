import { Binary, Decimal128, MaxKey, MinKey, ObjectId, Timestamp, type Db } from 'mongodb';
import { openTestDb } from './test-db';

let db: Db;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ db, close } = await openTestDb('types'));
});

afterAll(() => close());

const dec = (s: string): Decimal128 => Decimal128.fromString(s);

describe('Decimal128 on the query, update and aggregation paths', () => {
  const prices = () => db.collection('prices');

  beforeAll(async () => {
    await prices().insertMany([
      { _id: 'a' as never, price: dec('10.50'), qty: 1 },
      { _id: 'b' as never, price: dec('2.00'), qty: 2 },
      { _id: 'c' as never, price: dec('9.99'), qty: 3 },
      { _id: 'd' as never, price: 7, qty: 4 },
    ]);
  });

  it('sorts decimals by numeric value, mixed with other numbers', async () => {
    const asc = await prices()
      .find({}, { sort: { price: 1 } })
      .toArray();
    expect(asc.map((d) => d._id)).toEqual(['b', 'd', 'c', 'a']);
    const desc = await prices()
      .aggregate([{ $sort: { price: -1 } }])
      .toArray();
    expect(desc.map((d) => d._id as unknown)).toEqual(['a', 'c', 'd', 'b']);
  });

  it('compares decimals with other numeric types', async () => {
    const found = await prices()
      .find({ price: { $gte: 5 } }, { sort: { _id: 1 } })
      .toArray();
    expect(found.map((d) => d._id)).toEqual(['a', 'c', 'd']);
    expect(await prices().countDocuments({ price: 2 })).toBe(1);
    expect(await prices().countDocuments({ price: { $lt: dec('8') } })).toBe(2);
    expect(await prices().countDocuments({ price: { $in: [dec('7.0'), 2] } })).toBe(2);
  });

  it('increments with a Decimal128 and keeps the decimal type', async () => {
    await prices().updateOne({ _id: 'b' as never }, { $inc: { price: dec('0.25') } });
    await prices().updateOne({ _id: 'd' as never }, { $inc: { price: dec('1.10') } });
    const b = await prices().findOne({ _id: 'b' as never });
    const d = await prices().findOne({ _id: 'd' as never });
    expect(b?.price).toBeInstanceOf(Decimal128);
    expect(String(b?.price)).toBe('2.25');
    expect(d?.price).toBeInstanceOf(Decimal128);
    expect(Number(String(d?.price))).toBeCloseTo(8.1, 10);
    await prices().updateOne({ _id: 'b' as never }, { $inc: { price: dec('-0.25') } });
    await prices().updateOne({ _id: 'd' as never }, { $set: { price: 7 } });
  });

  it('sums and multiplies decimals in aggregation', async () => {
    const [total] = await prices()
      .aggregate([
        { $match: { _id: { $in: ['a', 'b', 'c'] } } },
        {
          $group: {
            _id: null,
            total: { $sum: '$price' },
            value: { $sum: { $multiply: ['$price', '$qty'] } },
            avg: { $avg: '$price' },
          },
        },
      ])
      .toArray();
    expect(total?.total).toBeInstanceOf(Decimal128);
    expect(String(total?.total)).toBe('22.49');
    expect(String(total?.value)).toBe('44.47');
    expect(Number(String(total?.avg))).toBeCloseTo(22.49 / 3, 10);
    const [added] = await prices()
      .aggregate([{ $match: { _id: 'a' } }, { $project: { p: { $add: ['$price', 1] } } }])
      .toArray();
    expect(String(added?.p)).toBe('11.50');
  });
});

describe('Decimal128 beyond plain paths and plain numbers', () => {
  const ledger = () => db.collection('ledger');

  beforeAll(async () => {
    await ledger().insertOne({
      _id: 1 as never,
      lines: [dec('1.50'), 2],
      oid: new ObjectId('64b7f0000000000000000002'),
      n: 3,
    });
  });

  it('applies $inc, $mul, $min and $max with BSON arithmetic and order on array elements', async () => {
    await ledger().updateOne(
      { _id: 1 as never },
      { $inc: { 'lines.0': dec('1.25') }, $mul: { 'lines.1': dec('1.5') } },
    );
    await ledger().updateOne({ _id: 1 as never }, { $max: { n: dec('10') } });
    await ledger().updateOne({ _id: 1 as never }, { $min: { 'lines.0': 1 } });
    const doc = await ledger().findOne({ _id: 1 as never });
    expect(doc?.lines).toEqual([1, dec('3.0')]);
    expect(doc?.n).toEqual(dec('10'));
  });

  it('runs numeric and type expressions on decimals, as MongoDB types them', async () => {
    const [row] = await ledger()
      .aggregate([
        {
          $project: {
            _id: 0,
            rounded: { $round: [{ $literal: dec('2.345') }, 1] },
            abs: { $abs: { $literal: dec('-4.5') } },
            asDecimal: { $toDecimal: '2.50' },
            asDouble: { $toDouble: '$n' },
            type: { $type: '$n' },
            oidType: { $type: '$oid' },
            isNumber: { $isNumber: '$n' },
          },
        },
      ])
      .toArray();
    expect(row).toEqual({
      rounded: dec('2.3'),
      abs: dec('4.5'),
      asDecimal: dec('2.50'),
      asDouble: 10,
      type: 'decimal',
      oidType: 'objectId',
      isNumber: true,
    });
  });

  it('matches $type queries by BSON type name, number and the number alias', async () => {
    expect(await ledger().countDocuments({ n: { $type: 'decimal' } })).toBe(1);
    expect(await ledger().countDocuments({ n: { $type: 19 } })).toBe(1);
    expect(await ledger().countDocuments({ n: { $type: 'number' } })).toBe(1);
    expect(await ledger().countDocuments({ oid: { $type: 'objectId' } })).toBe(1);
    expect(await ledger().countDocuments({ n: { $type: 'double' } })).toBe(0);
  });
});

describe('$group keys compare as MongoDB compares them', () => {
  it('puts equal numbers of different types in one group, and missing with null', async () => {
    const c = db.collection('grouped');
    await c.insertMany([
      { price: 7, q: 1 },
      { price: dec('7.00'), q: 2 },
      { price: dec('7.0'), q: 3 },
      { price: 7.5, q: 4 },
      { q: 5 },
      { price: null, q: 6 },
    ]);
    const groups = await c
      .aggregate([{ $group: { _id: '$price', q: { $sum: '$q' }, n: { $sum: 1 } } }, { $sort: { q: 1 } }])
      .toArray();
    expect(groups.map((g) => [g.q as number, g.n as number])).toEqual([
      [4, 1],
      [6, 3],
      [11, 2],
    ]);
    expect(groups[2]?._id).toBeNull();
  });
});

describe('one BSON order for sorts with and without an index', () => {
  const mixed = () => db.collection('mixed');
  const values = [
    new MaxKey(),
    new Timestamp({ t: 5, i: 1 }),
    new Date(5),
    true,
    new ObjectId('64b7f0000000000000000001'),
    new Binary(Buffer.from([1, 2])),
    { x: 1 },
    'str',
    dec('3.5'),
    2,
    null,
    new MinKey(),
  ];

  beforeAll(async () => {
    await mixed().insertMany(values.map((v, i) => ({ _id: i as never, v })));
  });

  it('orders mixed types as MongoDB does, the same with and without an index', async () => {
    const expected = [11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0];
    const unindexed = await mixed()
      .find({}, { sort: { v: 1 }, projection: { _id: 1 } })
      .toArray();
    expect(unindexed.map((d) => d._id)).toEqual(expected);
    await mixed().createIndex({ v: 1 });
    const indexed = await mixed()
      .find({}, { sort: { v: 1 }, limit: 20, projection: { _id: 1 } })
      .toArray();
    expect(indexed.map((d) => d._id)).toEqual(expected);
    const reversed = await mixed()
      .find({}, { sort: { v: -1 }, limit: 20, projection: { _id: 1 } })
      .toArray();
    expect(reversed.map((d) => d._id)).toEqual([...expected].reverse());
    const natural = await mixed()
      .find({}, { sort: { $natural: -1 }, projection: { _id: 1 } })
      .toArray();
    expect(natural.map((d) => d._id as unknown)).toEqual(values.map((_, i) => i).reverse());
    const aggregated = await mixed()
      .aggregate([{ $sort: { v: 1 } }, { $project: { _id: 1 } }])
      .toArray();
    expect(aggregated.map((d) => d._id as unknown)).toEqual(expected);
  });
});
