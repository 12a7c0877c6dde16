import { randomUUID } from 'node:crypto';
import DataLoader from 'dataloader';
import { MongoServerError, type Collection, type Db } from 'mongodb';
import { newDataKey, unwrapKey, wrapKey, type CustomerKey } from './cipher';

/**
 * The port to where customer keys live, outside the event store. MongoDB by default; a KMS or Vault adapter
 * implements the same three calls.
 */
export interface KeyStore {
  /** The customer's current key, created on first use. */
  keyFor(customerId: string): Promise<CustomerKey>;
  /** The key, if the customer has one; undefined once forgotten or never seen. */
  find(customerId: string): Promise<CustomerKey | undefined>;
  /** Deletes the key. `unknown` when the customer never had one; forgetting twice is `forgotten` again. */
  forget(
    customerId: string,
    at: Date,
  ): Promise<{ readonly outcome: 'forgotten' | 'unknown'; readonly kid?: string }>;
}

interface KeyDocument {
  readonly _id: string;
  readonly kid: string;
  /** The data key wrapped under the master key; null once the customer was forgotten. */
  readonly wrapped: string | null;
  readonly createdAt: Date;
  readonly forgottenAt?: Date;
}

export const KEYS_COLLECTION = 'customer_keys';
const DUPLICATE_KEY = 11000;

/**
 * Keys in their own MongoDB database (not the read models': dropping those to rebuild them must not forget
 * everyone), each data key wrapped under the master key from configuration.
 */
/**
 * Lookups asked for while no query runs share the next turn's query; those asked for while one runs wait for it
 * and share the query after it (group commit: no timer, and no wait at all when idle). Each is still answered by
 * a read started after it was asked for.
 */
const MAX_LOOKUPS_PER_QUERY = 100;
/** Keys kept unwrapped, so each order of a customer does not decrypt the same data key again. */
const MAX_UNWRAPPED = 1000;

function keyLookups(keys: Collection<KeyDocument>): DataLoader<string, KeyDocument | null> {
  let running = 0;
  const next: (() => void)[] = [];
  return new DataLoader(
    async (ids) => {
      running++;
      try {
        const found = await keys.find({ _id: { $in: [...new Set(ids)] } }).toArray();
        const byId = new Map(found.map((doc) => [doc._id, doc]));
        return ids.map((id) => byId.get(id) ?? null);
      } finally {
        running--;
        next.shift()?.();
      }
    },
    // No cache: a key forgotten a moment ago must not be used again, so nothing outlives its query.
    {
      cache: false,
      maxBatchSize: MAX_LOOKUPS_PER_QUERY,
      batchScheduleFn: (run) => (running === 0 ? setImmediate(run) : next.push(run)),
    },
  );
}

export function mongoKeyStore(db: Db, masterKey: Buffer | undefined): KeyStore {
  const keys: Collection<KeyDocument> = db.collection<KeyDocument>(KEYS_COLLECTION);
  const lookups = keyLookups(keys);
  const master = (): Buffer => {
    if (!masterKey) throw new Error('this key store was opened without the master key: it can only forget');
    return masterKey;
  };
  // Unwrapped keys by what the store held: a forgotten key reads as null and so is never found here.
  const unwrapped = new Map<string, CustomerKey>();
  const open = (doc: KeyDocument | null): CustomerKey | undefined => {
    if (!doc?.wrapped) return undefined;
    const held = `${doc.kid} ${doc.wrapped}`;
    let key = unwrapped.get(held);
    if (!key) {
      if (unwrapped.size >= MAX_UNWRAPPED) unwrapped.clear();
      key = { kid: doc.kid, key: unwrapKey(doc.wrapped, master(), doc.kid) };
      unwrapped.set(held, key);
    }
    return key;
  };

  return {
    async keyFor(customerId) {
      const existing = open(await lookups.load(customerId));
      if (existing) return existing;
      const kid = `${customerId}/${randomUUID()}`;
      const key = newDataKey();
      const fresh: KeyDocument = {
        _id: customerId,
        kid,
        wrapped: wrapKey(key, master(), kid),
        createdAt: new Date(),
      };
      try {
        // A forgotten customer who orders again gets a new key; the old values stay unreadable.
        await keys.replaceOne({ _id: customerId, wrapped: null }, fresh, { upsert: true });
        return { kid, key };
      } catch (error) {
        // Two processors creating the first key at once: the other one's key stands.
        if (!(error instanceof MongoServerError) || error.code !== DUPLICATE_KEY) throw error;
        const winner = open(await keys.findOne({ _id: customerId }));
        if (!winner) throw error;
        return winner;
      }
    },
    async find(customerId) {
      return open(await lookups.load(customerId));
    },
    async forget(customerId, at) {
      const doc = await keys.findOne({ _id: customerId });
      if (!doc) return { outcome: 'unknown' };
      if (doc.wrapped !== null) {
        await keys.updateOne({ _id: customerId, kid: doc.kid }, { $set: { wrapped: null, forgottenAt: at } });
      }
      return { outcome: 'forgotten', kid: doc.kid };
    },
  };
}

/** Forgetting deletes a wrapped key without opening it: the admin CLI needs no master key for it. */
export function forgettingKeyStore(db: Db): KeyStore {
  return mongoKeyStore(db, undefined);
}
