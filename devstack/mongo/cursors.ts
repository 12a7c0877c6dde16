import { Long, type Document } from 'bson';
import { bsonSize } from './document-clone';
import { commandError } from './errors';

export const DEFAULT_FIRST_BATCH = 101;
// Replies stay under MongoDB's 16 MiB document limit with room for the envelope.
const MAX_BATCH_BYTES = 16 * 1024 * 1024 - 64 * 1024;
const CURSOR_IDLE_MS = 10 * 60 * 1000;
const MAX_SAFE_ID = 2 ** 52;

interface OpenCursor {
  readonly ns: string;
  readonly docs: Document[];
  position: number;
  lastUsed: number;
}

export interface CursorReply {
  readonly id: Long;
  readonly ns: string;
  readonly batch: Document[];
}

/** Server-side cursors: results kept until read by getMore, killed, or idle for 10 minutes. */
export class CursorStore {
  private readonly cursors = new Map<number, OpenCursor>();
  private readonly reaper: NodeJS.Timeout;

  constructor() {
    this.reaper = setInterval(() => this.reapIdle(), CURSOR_IDLE_MS / 10);
    this.reaper.unref();
  }

  close(): void {
    clearInterval(this.reaper);
    this.cursors.clear();
  }

  get openCount(): number {
    return this.cursors.size;
  }

  private reapIdle(): void {
    const cutoff = Date.now() - CURSOR_IDLE_MS;
    for (const [id, cursor] of this.cursors) if (cursor.lastUsed < cutoff) this.cursors.delete(id);
  }

  private newId(): number {
    let id = 0;
    while (id === 0 || this.cursors.has(id)) id = Math.floor(Math.random() * MAX_SAFE_ID) + 1;
    return id;
  }

  private static take(docs: Document[], from: number, batchSize: number | undefined): Document[] {
    const end =
      batchSize !== undefined && batchSize > 0 ? Math.min(docs.length, from + batchSize) : docs.length;
    // A batch always holds at least one document, so a single one needs no size check (point lookups).
    if (end - from === 1) return [docs[from] as Document];
    const batch: Document[] = [];
    let bytes = 0;
    for (let i = from; i < end; i += 1) {
      const doc = docs[i] as Document;
      bytes += bsonSize(doc);
      if (bytes > MAX_BATCH_BYTES && batch.length > 0) break;
      batch.push(doc);
    }
    return batch;
  }

  /** First batch of a result; keeps a cursor open when more remains (unless singleBatch). */
  open(ns: string, docs: Document[], batchSize: number | undefined, singleBatch = false): CursorReply {
    const batch = CursorStore.take(docs, 0, batchSize ?? DEFAULT_FIRST_BATCH);
    if (singleBatch || batch.length >= docs.length) return { id: Long.ZERO, ns, batch };
    const id = this.newId();
    this.cursors.set(id, { ns, docs, position: batch.length, lastUsed: Date.now() });
    return { id: Long.fromNumber(id), ns, batch };
  }

  getMore(id: number, ns: string, batchSize: number | undefined): CursorReply {
    const cursor = this.cursors.get(id);
    if (!cursor) throw commandError('CursorNotFound', `cursor id ${id} not found`);
    if (cursor.ns !== ns) {
      throw commandError(
        'Unauthorized',
        `Requested getMore on namespace '${ns}', but cursor belongs to a different namespace ${cursor.ns}`,
      );
    }
    const batch = CursorStore.take(cursor.docs, cursor.position, batchSize);
    cursor.position += batch.length;
    cursor.lastUsed = Date.now();
    if (cursor.position >= cursor.docs.length) {
      this.cursors.delete(id);
      return { id: Long.ZERO, ns, batch };
    }
    return { id: Long.fromNumber(id), ns, batch };
  }

  kill(ids: readonly number[]): { killed: number[]; notFound: number[] } {
    const killed: number[] = [];
    const notFound: number[] = [];
    for (const id of ids) (this.cursors.delete(id) ? killed : notFound).push(id);
    return { killed, notFound };
  }
}

export function cursorDocument(reply: CursorReply, first: boolean): Document {
  return {
    cursor: { [first ? 'firstBatch' : 'nextBatch']: reply.batch, id: reply.id, ns: reply.ns },
    ok: 1,
  };
}
