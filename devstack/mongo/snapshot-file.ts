import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { BSON, type Document } from 'bson';
import type { Catalog } from './catalog';

export const SNAPSHOT_FORMAT_VERSION = 1;
const WRITE_CHUNK_BYTES = 1024 * 1024;

/** Every collection as it stands: stored documents are never mutated, so holding them keeps this state. */
export interface CapturedCollection {
  readonly ns: string;
  readonly options: Document;
  readonly indexes: Document[];
  readonly docs: Document[];
}

export function captureCatalog(catalog: Catalog): CapturedCollection[] {
  return catalog.allCollections().map((collection) => ({
    ns: collection.ns,
    options: collection.options,
    indexes: collection.listIndexes(),
    docs: [...collection.records.values()],
  }));
}

/** The snapshot's records, serialized, in chunks of about 1 MiB. */
function* snapshotChunks(generation: number, captured: readonly CapturedCollection[]): Generator<Buffer> {
  let chunk: Uint8Array[] = [];
  let bytes = 0;
  function* add(record: Document): Generator<Buffer> {
    const serialized = BSON.serialize(record);
    chunk.push(serialized);
    bytes += serialized.length;
    if (bytes >= WRITE_CHUNK_BYTES) {
      yield Buffer.concat(chunk);
      chunk = [];
      bytes = 0;
    }
  }
  yield* add({ t: 'header', version: SNAPSHOT_FORMAT_VERSION, generation });
  for (const collection of captured) {
    yield* add({ t: 'coll', ns: collection.ns, opts: collection.options, indexes: collection.indexes });
    for (const doc of collection.docs) yield* add({ t: 'doc', ns: collection.ns, d: doc });
  }
  if (chunk.length > 0) yield Buffer.concat(chunk);
}

/** Writes and fsyncs the snapshot in one go (start-up and shutdown, when nothing waits on the server). */
export function writeSnapshotNow(
  path: string,
  generation: number,
  captured: readonly CapturedCollection[],
): void {
  const fd = openSync(path, 'w');
  try {
    for (const chunk of snapshotChunks(generation, captured)) writeSync(fd, chunk);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes the snapshot one chunk per event-loop turn and fsyncs it off the loop, as mongod checkpoints in the
 * background: commands go on meanwhile. False when `cancelled()` stopped it (the file is then incomplete).
 */
export async function writeSnapshotInTurns(
  path: string,
  generation: number,
  captured: readonly CapturedCollection[],
  cancelled: () => boolean,
): Promise<boolean> {
  const file = await open(path, 'w');
  try {
    for (const chunk of snapshotChunks(generation, captured)) {
      if (cancelled()) return false;
      await file.write(chunk);
      await nextTurn();
    }
    if (cancelled()) return false;
    await file.sync();
    return true;
  } finally {
    await file.close();
  }
}
