import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
  writeFileSync,
  readdirSync,
} from 'node:fs';
import { join } from 'node:path';
import { BSON, type Document } from 'bson';
import type { Logger } from 'pino';
import type { Catalog, CatalogSink } from './catalog';
import { captureCatalog, writeSnapshotInTurns, writeSnapshotNow } from './snapshot-file';

const SNAPSHOT_FILE = 'snapshot.bson';
const LOCK_FILE = 'mongod.lock';
const JOURNAL_PREFIX = 'journal-';
const JOURNAL_SUFFIX = '.bson';
/**
 * Past this size, and past the size of the last snapshot, the journal is folded into a new snapshot: each rewrite
 * of the whole data set then follows at least as many bytes of changes (as Redis rewrites its AOF once it has
 * doubled), so a growing data set costs a constant amount of snapshot writing per change, not one that grows.
 */
const COMPACT_JOURNAL_BYTES = 64 * 1024 * 1024;
const DESERIALIZE_OPTIONS = { promoteLongs: true, promoteValues: true, promoteBuffers: false } as const;

type JournalEntry =
  | { o: 'put'; ns: string; d: Document }
  | { o: 'del'; ns: string; id: unknown }
  | { o: 'cc'; ns: string; opts: Document }
  | { o: 'dc'; ns: string }
  | { o: 'dd'; db: string }
  | { o: 'ci'; ns: string; spec: Document }
  | { o: 'di'; ns: string; name: string }
  | { o: 'cm'; ns: string; opts: Document };

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function splitNs(ns: string): [string, string] {
  const dot = ns.indexOf('.');
  return [ns.slice(0, dot), ns.slice(dot + 1)];
}

/** Reads consecutive BSON documents; a torn tail (a crash mid-write) ends the sequence. */
function* readDocuments(bytes: Buffer): Generator<Document> {
  let offset = 0;
  while (offset + 4 <= bytes.length) {
    const size = bytes.readInt32LE(offset);
    if (size < 5 || offset + size > bytes.length) return;
    yield BSON.deserialize(bytes.subarray(offset, offset + size), DESERIALIZE_OPTIONS);
    offset += size;
  }
}

function journalName(generation: number): string {
  return `${JOURNAL_PREFIX}${generation}${JOURNAL_SUFFIX}`;
}

function journalGeneration(file: string): number {
  return Number(file.slice(JOURNAL_PREFIX.length, -JOURNAL_SUFFIX.length));
}

function applyEntry(catalog: Catalog, entry: JournalEntry): void {
  if (entry.o === 'dd') {
    catalog.dropDatabase(entry.db);
    return;
  }
  const [db, name] = splitNs(entry.ns);
  switch (entry.o) {
    case 'cc':
      catalog.create(db, name, entry.opts);
      return;
    case 'dc':
      catalog.drop(db, name);
      return;
    case 'ci':
      catalog.getOrCreate(db, name).createIndex(entry.spec);
      return;
    case 'di':
      catalog.get(db, name)?.dropIndex(entry.name);
      return;
    case 'cm':
      catalog.get(db, name)?.setOptions(entry.opts);
      return;
    case 'put': {
      // Replayed documents passed validation when they were written.
      const collection = catalog.getOrCreate(db, name);
      const rid = collection.ridOfId(entry.d._id);
      if (rid === undefined) collection.insert(entry.d, false);
      else collection.replace(rid, entry.d, false);
      return;
    }
    case 'del': {
      const collection = catalog.get(db, name);
      const rid = collection?.ridOfId(entry.id);
      if (collection && rid !== undefined) collection.remove(rid);
      return;
    }
  }
}

/**
 * Durability for `--dbpath`: a snapshot of every collection plus an append-only journal of changes since it.
 * The journal is written at the end of every command (before the reply), so an acknowledged write survives a
 * process crash; it is not fsynced per write, so it may not survive a power loss.
 */
export class Persistence implements CatalogSink {
  private pending: Uint8Array[] = [];
  private journalFd: number | undefined;
  private journalBytes = 0;
  private snapshotBytes = 0;
  private generation = 0;
  private changedSinceSnapshot = false;
  private background: { cancel(): void } | undefined;

  constructor(
    private readonly dir: string,
    private readonly catalog: Catalog,
    private readonly logger: Logger,
    /** Past this size the journal is folded into a new snapshot. */
    private readonly compactAfterBytes = COMPACT_JOURNAL_BYTES,
  ) {}

  /** Like mongod's mongod.lock: a second server on the same directory would interleave journals. */
  private lock(): void {
    const lockPath = join(this.dir, LOCK_FILE);
    if (existsSync(lockPath)) {
      const pid = Number(readFileSync(lockPath, 'utf8'));
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid)) {
        throw new Error(`DBPathInUse: ${this.dir} is in use by process ${pid}`);
      }
    }
    writeFileSync(lockPath, String(process.pid));
  }

  /** Loads the snapshot, replays its journal, then folds both into a fresh snapshot and starts a new journal. */
  recover(): { documents: number; journalEntries: number } {
    mkdirSync(this.dir, { recursive: true });
    this.lock();
    let documents = 0;
    let journalEntries = 0;
    // A snapshot still being written when the process died is incomplete; its journals are all there.
    for (const file of readdirSync(this.dir)) {
      if (file.startsWith(`${SNAPSHOT_FILE}.`) && file.endsWith('.tmp'))
        rmSync(join(this.dir, file), { force: true });
    }
    const snapshotPath = join(this.dir, SNAPSHOT_FILE);
    if (existsSync(snapshotPath)) {
      for (const record of readDocuments(readFileSync(snapshotPath))) {
        if (record.t === 'header') this.generation = record.generation as number;
        else if (record.t === 'coll') {
          const [db, name] = splitNs(record.ns as string);
          const collection = this.catalog.create(db, name, record.opts as Document).collection;
          for (const spec of record.indexes as Document[])
            if (spec.name !== '_id_') collection.createIndex(spec);
        } else if (record.t === 'doc') {
          const [db, name] = splitNs(record.ns as string);
          this.catalog.getOrCreate(db, name).insert(record.d as Document, false);
          documents += 1;
        }
      }
    }
    // The snapshot's own journal, then any started after it while a newer snapshot was being written.
    for (let generation = this.generation; ; generation++) {
      const journalPath = join(this.dir, journalName(generation));
      if (!existsSync(journalPath)) break;
      for (const entry of readDocuments(readFileSync(journalPath))) {
        try {
          applyEntry(this.catalog, entry as JournalEntry);
          journalEntries += 1;
        } catch (error) {
          this.logger.warn({ err: error, op: entry.o }, 'skipping journal entry that no longer applies');
        }
      }
      this.generation = generation;
    }
    this.compact();
    this.catalog.attachSink(this);
    return { documents, journalEntries };
  }

  /** Writes a new snapshot atomically (temp file + rename) and switches to an empty journal, all at once. */
  compact(): void {
    this.writePending();
    this.background?.cancel();
    const next = this.switchJournal();
    const tmp = this.snapshotTmp(next);
    writeSnapshotNow(tmp, next, captureCatalog(this.catalog));
    this.installSnapshot(tmp, next);
  }

  /**
   * Starts the next journal now and writes the snapshot of the state at this point in the background; until it
   * is in place, recovery replays the old snapshot and both journals.
   */
  private compactInBackground(): void {
    const next = this.switchJournal();
    const captured = captureCatalog(this.catalog);
    const tmp = this.snapshotTmp(next);
    let cancelled = false;
    const job = { cancel: () => (cancelled = true) };
    this.background = job;
    writeSnapshotInTurns(tmp, next, captured, () => cancelled)
      .then((written) => {
        if (written && !cancelled) this.installSnapshot(tmp, next);
        else rmSync(tmp, { force: true });
      })
      .catch((error: unknown) => {
        rmSync(tmp, { force: true });
        this.logger.warn({ err: error }, 'could not write a snapshot; the journals still hold every change');
      })
      .finally(() => {
        if (this.background === job) this.background = undefined;
      });
  }

  /** Changes from here on go to a new journal; returns its generation. */
  private switchJournal(): number {
    if (this.journalFd !== undefined) closeSync(this.journalFd);
    this.generation += 1;
    this.journalFd = openSync(join(this.dir, journalName(this.generation)), 'a');
    this.journalBytes = 0;
    return this.generation;
  }

  private snapshotTmp(generation: number): string {
    return join(this.dir, `${SNAPSHOT_FILE}.${generation}.tmp`);
  }

  /** The snapshot of `generation` replaces the old one; the journals it holds are no longer needed. */
  private installSnapshot(tmp: string, generation: number): void {
    const snapshotPath = join(this.dir, SNAPSHOT_FILE);
    renameSync(tmp, snapshotPath);
    this.snapshotBytes = statSync(snapshotPath).size;
    if (generation === this.generation && this.journalBytes === 0) this.changedSinceSnapshot = false;
    for (const file of readdirSync(this.dir)) {
      if (file.startsWith(JOURNAL_PREFIX) && journalGeneration(file) < generation)
        rmSync(join(this.dir, file), { force: true });
    }
  }

  private append(entry: JournalEntry): void {
    this.changedSinceSnapshot = true;
    this.pending.push(BSON.serialize(entry));
  }

  /** Writes the changes of the command just run; called before its reply is sent. */
  flush(): void {
    this.writePending();
    const compactAfter = Math.max(this.compactAfterBytes, this.snapshotBytes);
    if (this.journalBytes > compactAfter && this.background === undefined) this.compactInBackground();
  }

  private writePending(): void {
    if (this.pending.length === 0 || this.journalFd === undefined) return;
    const bytes = Buffer.concat(this.pending);
    this.pending = [];
    writeSync(this.journalFd, bytes);
    this.journalBytes += bytes.length;
  }

  close(): void {
    // An unchanged data set keeps its snapshot: closing a large, idle server stays quick.
    if (this.changedSinceSnapshot || this.background) this.compact();
    if (this.journalFd !== undefined) closeSync(this.journalFd);
    this.journalFd = undefined;
    rmSync(join(this.dir, LOCK_FILE), { force: true });
  }

  /** Releases the directory without a final snapshot (start-up failed after recovery). */
  abandon(): void {
    this.background?.cancel();
    if (this.journalFd !== undefined) closeSync(this.journalFd);
    this.journalFd = undefined;
    rmSync(join(this.dir, LOCK_FILE), { force: true });
  }

  put(ns: string, doc: Document): void {
    this.append({ o: 'put', ns, d: doc });
  }
  remove(ns: string, id: unknown): void {
    this.append({ o: 'del', ns, id });
  }
  createIndex(ns: string, spec: Document): void {
    this.append({ o: 'ci', ns, spec });
  }
  dropIndex(ns: string, name: string): void {
    this.append({ o: 'di', ns, name });
  }
  modifyCollection(ns: string, options: Document): void {
    this.append({ o: 'cm', ns, opts: options });
  }
  createCollection(ns: string, options: Document): void {
    this.append({ o: 'cc', ns, opts: options });
  }
  dropCollection(ns: string): void {
    this.append({ o: 'dc', ns });
  }
  dropDatabase(db: string): void {
    this.append({ o: 'dd', db });
  }
}
