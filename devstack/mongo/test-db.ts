import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/**
 * Runs `before` against a server on a fresh data directory, restarts the server on the same directory, and runs
 * `after`: what persistence specs check. Both get database `p`.
 */
export async function acrossRestart(
  before: (db: Db) => Promise<void>,
  after: (db: Db) => Promise<void>,
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'devstack-mongo-restart-'));
  try {
    for (const step of [before, after]) {
      const server = await startMongo({ port: 0, dbPath: dir });
      const client = new MongoClient(server.url);
      try {
        await step(client.db('p'));
      } finally {
        await client.close();
        await server.close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
