import { MongoClient, type Db, type Document } from 'mongodb';
import { createLogger } from '../../lib/logger';
import { startMongo, type MongoServerHandle } from './index';

let server: MongoServerHandle;
let client: MongoClient;
let db: Db;

beforeAll(async () => {
  server = await startMongo({ port: 0, logger: createLogger('devstack-mongo', { level: 'silent' }) });
  client = new MongoClient(server.url);
  await client.connect();
  db = client.db('bad');
  await db.collection('c').insertOne({ _id: 1 as never, a: 1 });
});

afterAll(async () => {
  await client.close();
  await server.close();
});

async function failure(command: Document): Promise<{ code: number; codeName: string }> {
  try {
    const reply = await db.command(command);
    if (Array.isArray(reply.writeErrors))
      return (reply.writeErrors as Array<{ code: number; codeName: string }>)[0]!;
  } catch (error) {
    return error as { code: number; codeName: string };
  }
  throw new Error(`expected ${JSON.stringify(command)} to fail`);
}

describe('bad input gets MongoDB error codes and the server keeps serving', () => {
  it.each([
    [{ find: 'c', filter: { $frob: 1 } }, 2, 'BadValue'],
    [{ find: 'c', filter: 'nope' }, 14, 'TypeMismatch'],
    [{ find: 'c', skip: -1 }, 2, 'BadValue'],
    [{ find: 7 }, 73, 'InvalidNamespace'],
    [{ insert: 'c', documents: 'x' }, 9, 'FailedToParse'],
    [{ update: 'c', updates: [{ q: {}, u: { $set: { a: 1 }, b: 2 } }] }, 9, 'FailedToParse'],
    [{ update: 'c', updates: [{ q: {}, u: { a: 1, $set: { b: 2 } } }] }, 52, 'DollarPrefixedFieldName'],
    [{ update: 'c', updates: [{ q: {}, u: { $set: 5 } }] }, 9, 'FailedToParse'],
    [
      { update: 'c', updates: [{ q: {}, u: { $set: { 'a.b': 1, a: 2 } } }] },
      40,
      'ConflictingUpdateOperators',
    ],
    [{ update: 'c', updates: [{ q: {}, u: { a: 1 }, multi: true }] }, 72, 'InvalidOptions'],
    [{ delete: 'c', deletes: [{ q: {}, limit: 5 }] }, 9, 'FailedToParse'],
    [{ aggregate: 'c', pipeline: [{ $nope: 1 }], cursor: {} }, 40324, 'Location40324'],
    [{ aggregate: 'c', pipeline: [{ $match: {} }] }, 9, 'FailedToParse'],
    [{ aggregate: 'c', pipeline: {}, cursor: {} }, 14, 'TypeMismatch'],
    [{ getMore: 12345, collection: 'c' }, 43, 'CursorNotFound'],
    [{ createIndexes: 'c', indexes: [{ key: {}, name: 'x' }] }, 2, 'BadValue'],
    [{ findAndModify: 'c', query: {} }, 9, 'FailedToParse'],
    [{ insert: 'c', documents: [{ a: 1 }], txnNumber: 1, lsid: { id: 'x' } }, 20, 'IllegalOperation'],
    [{ dropIndexes: 'missing', index: '*' }, 26, 'NamespaceNotFound'],
  ])('%j fails with %i %s', async (command, code, codeName) => {
    expect(await failure(command)).toMatchObject({ code, codeName });
  });

  it('still answers after all of that', async () => {
    expect(await db.collection('c').findOne({ _id: 1 as never })).toEqual({ _id: 1, a: 1 });
  });
});
