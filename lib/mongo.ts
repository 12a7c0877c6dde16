import { MongoClient, type Db } from 'mongodb';
import type { Check } from './http';

export const MONGO_TIMEOUT_MS = 3000;

/** A client that fails fast when MongoDB is down, so callers can answer 503 instead of hanging. */
export function connectMongo(url: string): { client: MongoClient; db: Db } {
  const client = new MongoClient(url, {
    serverSelectionTimeoutMS: MONGO_TIMEOUT_MS,
    connectTimeoutMS: MONGO_TIMEOUT_MS,
  });
  return { client, db: client.db() };
}

export function isMongoUnavailable(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return (
    name === 'MongoServerSelectionError' ||
    name === 'MongoNetworkError' ||
    name === 'MongoNetworkTimeoutError' ||
    name === 'MongoTopologyClosedError'
  );
}

export function mongoCheck(db: Db): () => Promise<Check> {
  return async () => {
    try {
      await db.command({ ping: 1 });
      return { ok: true };
    } catch (error) {
      return { ok: false, detail: error instanceof Error ? error.message : String(error) };
    }
  };
}
