import { MongoClient, MongoServerError, type Db } from 'mongodb';
import { startMongo } from './index';

/** A fresh server on a free port and a connected driver: what every driver-level spec starts from. */
export async function openTestDb(name: string): Promise<{ db: Db; close: () => Promise<void> }> {
  const server = await startMongo({ port: 0 });
  const client = new MongoClient(server.url);
  await client.connect();
  return {
    db: client.db(name),
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}

/** The server error a driver call fails with; anything else fails the test. */
export async function serverError(promise: Promise<unknown>): Promise<MongoServerError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof MongoServerError) return error;
    throw error;
  }
  throw new Error('expected a server error');
}
