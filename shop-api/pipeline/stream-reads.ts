import { BACKWARDS, END, StreamNotFoundError, type EventStoreDBClient } from '@eventstore/db-client';
import type { Db } from 'mongodb';
import { readStreamOrEmpty, toStoredEvent, type StoredEvent } from '../../lib/eventstore';
import { CHECKPOINTS_COLLECTION, type CheckpointDocument } from '../../contracts/read-models/checkpoints';

/** What the gateway's pipeline views read besides the read models: a few streams and the checkpoints. */
export interface PipelinePorts {
  readonly client: EventStoreDBClient;
  /** The read models' database, where the synchronizers keep their checkpoints. */
  readonly db: Db;
  readonly inputStream: string;
  readonly processingGroup: string;
}

/** Aggregate and request streams are short; a longer one is shown up to this many events. */
export const MAX_STREAM_EVENTS = 1000;

/** A stream from its start, read to its end (bounded, so the read always finishes); a missing stream is empty. */
export function readStreamEvents(
  client: EventStoreDBClient,
  stream: string,
  maxCount = MAX_STREAM_EVENTS,
): Promise<StoredEvent[]> {
  return readStreamOrEmpty(client, stream, { maxCount });
}

/** The revision of a stream's last event, or undefined when it has none. */
export async function lastRevision(client: EventStoreDBClient, stream: string): Promise<number | undefined> {
  try {
    let last: number | undefined;
    for await (const resolved of client.readStream(stream, {
      direction: BACKWARDS,
      fromRevision: END,
      maxCount: 1,
    })) {
      last = toStoredEvent(resolved)?.revision ?? last;
    }
    return last;
  } catch (error) {
    if (error instanceof StreamNotFoundError) return undefined;
    throw error;
  }
}

export interface Checkpoint {
  readonly commit: number;
  readonly updatedAt?: string;
}

/** Where a read model's synchronizer stands, as it saved it after its last batch. */
export async function readModelCheckpoint(db: Db, name: string): Promise<Checkpoint | undefined> {
  const doc = await db.collection<CheckpointDocument>(CHECKPOINTS_COLLECTION).findOne({ _id: name });
  if (!doc) return undefined;
  return {
    commit: doc.commit,
    ...(doc.updatedAt instanceof Date ? { updatedAt: doc.updatedAt.toISOString() } : {}),
  };
}
