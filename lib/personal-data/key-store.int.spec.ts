import { MongoClient } from 'mongodb';
import { startMongo } from '../../devstack/mongo';
import { createLogger } from '../logger';
import { newDataKey } from './cipher';
import { KEYS_COLLECTION, mongoKeyStore, type KeyStore } from './key-store';

const silent = createLogger('test', { level: 'silent' });

describe('the customer key store', () => {
  let mongo: Awaited<ReturnType<typeof startMongo>>;
  let client: MongoClient;
  let keys: KeyStore;
  /** The `find` commands the driver sent to the keys collection. */
  let finds: number;

  beforeEach(async () => {
    mongo = await startMongo({ port: 0, logger: silent });
    client = new MongoClient(`${mongo.url}/keys`, { monitorCommands: true });
    finds = 0;
    client.on('commandStarted', (event) => {
      if (event.commandName === 'find' && (event.command as { find?: unknown }).find === KEYS_COLLECTION)
        finds++;
    });
    keys = mongoKeyStore(client.db(), newDataKey());
  });

  afterEach(async () => {
    await client.close();
    await mongo.close();
  });

  const customers = Array.from({ length: 8 }, (_, i) => `c-${i}`);

  it('answers the lookups asked for at once with one query, each with its own customer’s key', async () => {
    const created = [];
    for (const id of customers) created.push(await keys.keyFor(id));
    finds = 0;
    const found = await Promise.all(customers.map((id) => keys.keyFor(id)));
    expect(finds).toBe(1);
    expect(found.map((key) => key.kid)).toEqual(created.map((key) => key.kid));
    expect(found.map((key) => key.key.toString('hex'))).toEqual(
      created.map((key) => key.key.toString('hex')),
    );
    const again = await Promise.all([keys.find('c-1'), keys.find('c-1'), keys.find('nobody')]);
    expect(again.map((key) => key?.kid)).toEqual([created[1]?.kid, created[1]?.kid, undefined]);
  });

  it('answers lookups asked for while a query runs with one next query, started after they were asked', async () => {
    for (const id of customers) await keys.keyFor(id);
    finds = 0;
    // A processor under load: messages arrive in separate turns of the event loop while a query is under way.
    let firstAnswered = false;
    const found: Promise<unknown>[] = [keys.find('c-0').finally(() => (firstAnswered = true))];
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve));
      if (firstAnswered) break;
      found.push(keys.find(customers[found.length % customers.length]!));
    }
    expect(found.length).toBeGreaterThan(2);
    expect((await Promise.all(found)).every((key) => key !== undefined)).toBe(true);
    // The first query, then one for every lookup asked for while it ran.
    expect(finds).toBe(2);
    // A lookup asked for after a customer was forgotten is answered by a query started after that.
    const lookedUp = keys.find('c-1');
    await keys.forget('c-2', new Date());
    const afterForgetting = keys.find('c-2');
    expect(await lookedUp).toBeDefined();
    expect(await afterForgetting).toBeUndefined();
  });

  it('never hands out a key once it is forgotten: the next order gets a new one', async () => {
    const first = await keys.keyFor('c-1');
    // Looked up (and so unwrapped) before it is forgotten, as a processor does for every order.
    expect((await keys.keyFor('c-1')).kid).toBe(first.kid);
    expect(await keys.forget('c-1', new Date())).toEqual({ outcome: 'forgotten', kid: first.kid });
    expect(await keys.find('c-1')).toBeUndefined();
    const next = await keys.keyFor('c-1');
    expect(next.kid).not.toBe(first.kid);
    expect((await keys.find('c-1'))?.kid).toBe(next.kid);
  });

  it('gives racing first uses of one customer the same key', async () => {
    const raced = await Promise.all(customers.map(() => keys.keyFor('c-new')));
    expect(new Set(raced.map((key) => key.kid)).size).toBe(1);
    expect((await keys.find('c-new'))?.kid).toBe(raced[0]?.kid);
  });
});
