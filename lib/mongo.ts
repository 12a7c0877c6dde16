import {
  MongoClient,
  MongoNetworkError,
  MongoNotConnectedError,
  MongoOperationTimeoutError,
  MongoServerClosedError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
  type Db,
} from 'mongodb';
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

/** Socket errors the driver sometimes lets through unwrapped (a write to a connection the server closed). */
const SOCKET_ERROR_CODES = new Set([
  'EPIPE',
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTCONN',
]);

/** MongoDB cannot be reached right now: the driver's network error classes, or a raw socket error. */
export function isMongoUnavailable(error: unknown): boolean {
  if (
    // MongoNetworkError includes MongoNetworkTimeoutError and the pool's MongoPoolClearedError
    error instanceof MongoNetworkError ||
    error instanceof MongoServerSelectionError ||
    error instanceof MongoTopologyClosedError ||
    error instanceof MongoServerClosedError ||
    error instanceof MongoNotConnectedError ||
    error instanceof MongoOperationTimeoutError
  ) {
    return true;
  }
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && SOCKET_ERROR_CODES.has(code);
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
