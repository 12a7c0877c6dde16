import { mkdir, open, readFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../../lib/logger';
import { lockDirectory } from './directory-lock';
import { decodeRecordAt, type DecodedRecord } from './record-codec';

export const LOG_FILE_NAME = 'events.log';

interface PendingWrite {
  readonly buffer: Buffer;
  readonly offset: number;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/** What is on disk at start: every intact record, and where the next one goes. */
export interface Recovered {
  readonly records: readonly { readonly record: DecodedRecord; readonly offset: number }[];
  readonly end: number;
}

/**
 * The append-only log file. Writes are queued in position order; one writer flushes everything queued with a
 * single write + fdatasync, so concurrent appends share one fsync (group commit) and each resolves only once
 * its bytes are on disk.
 */
export class LogFile {
  private queue: PendingWrite[] = [];
  private flushing = false;
  private failure: Error | undefined;
  private idle: Promise<void> = Promise.resolve();
  private markIdle: () => void = () => undefined;
  private syncs = 0;

  private constructor(
    private readonly handle: FileHandle,
    private readonly logger: Logger,
    private readonly lock: { release(): Promise<void> },
  ) {}

  static async open(dir: string, logger: Logger): Promise<{ file: LogFile; recovered: Recovered }> {
    await mkdir(dir, { recursive: true });
    const lock = await lockDirectory(dir);
    const path = join(dir, LOG_FILE_NAME);
    // O_APPEND would ignore the explicit write offsets, so create the file, then open it for positioned writes.
    await (await open(path, 'a')).close();
    const handle = await open(path, 'r+');
    const recovered = recover(await readFile(path), logger, path);
    const { size } = await handle.stat();
    if (size > recovered.end) {
      await handle.truncate(recovered.end);
      await handle.sync();
    }
    return { file: new LogFile(handle, logger, lock), recovered };
  }

  /** Resolves once `buffer` (which must start at `offset`, right after the previous write) is durable. */
  write(buffer: Buffer, offset: number): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ buffer, offset, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    this.idle = new Promise((resolve) => (this.markIdle = resolve));
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      const first = batch[0];
      if (!first) break;
      try {
        await this.handle.writev(
          batch.map((write) => write.buffer),
          first.offset,
        );
        await this.handle.datasync();
        this.syncs++;
        for (const write of batch) write.resolve();
      } catch (error) {
        this.failure = error instanceof Error ? error : new Error(String(error));
        this.logger.fatal({ err: this.failure }, 'event log write failed; no further appends are accepted');
        for (const write of [...batch, ...this.queue]) write.reject(this.failure);
        this.queue = [];
      }
    }
    this.flushing = false;
    this.markIdle();
  }

  /** fdatasync calls so far: fewer than appends when group commit works. */
  get syncCount(): number {
    return this.syncs;
  }

  async close(): Promise<void> {
    await this.idle;
    await this.handle.close();
    await this.lock.release();
  }
}

function recover(file: Buffer, logger: Logger, path: string): Recovered {
  const records: { record: DecodedRecord; offset: number }[] = [];
  let offset = 0;
  while (offset < file.length) {
    const outcome = decodeRecordAt(file, offset);
    if (!outcome.ok) {
      logger.warn(
        { path, offset, discardedBytes: file.length - offset, reason: outcome.reason },
        'event log has a torn or corrupt tail; cutting it off',
      );
      break;
    }
    records.push({ record: outcome.record, offset });
    offset += outcome.record.size;
  }
  return { records, end: offset };
}
