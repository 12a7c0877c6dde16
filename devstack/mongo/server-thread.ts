import { extname, join } from 'node:path';
import { startWorker } from '../../lib/worker-thread';
import type { MongoServerHandle } from './index';

/** What the server thread is started with: `MongoServerOptions` without the logger, which cannot cross. */
export interface MongoThreadOptions {
  readonly port?: number;
  readonly host?: string;
  readonly dbPath?: string;
}

export type FromMongoThread =
  | { readonly type: 'listening'; readonly host: string; readonly port: number; readonly url: string }
  | { readonly type: 'failed'; readonly message: string; readonly code?: string }
  | { readonly type: 'closed' };

export type ToMongoThread = { readonly type: 'close' };

const WORKER_FILE = join(__dirname, `server-thread-worker${extname(__filename)}`);

/**
 * The embedded MongoDB on a thread of its own, as mongod is a process of its own: sharing an event loop with
 * the embedded EventStoreDB, each server's turns waited for the other's (a rebuild reading one and writing the
 * other ran at about 0.8 the speed). Fails like `startMongo` (the error's `code`, e.g. EADDRINUSE); a thread that
 * fails once listening is reported to `onCrash`.
 */
export function startMongoThread(
  options: MongoThreadOptions,
  onCrash: (error: Error) => void,
): Promise<MongoServerHandle> {
  const worker = startWorker(WORKER_FILE, options);
  let listening = false;
  let closed: (() => void) | undefined;
  return new Promise((resolve, reject) => {
    worker.on('message', (message: FromMongoThread) => {
      if (message.type === 'listening') {
        listening = true;
        const { host, port, url } = message;
        const close = () =>
          new Promise<void>((done) => {
            closed = done;
            worker.postMessage({ type: 'close' } satisfies ToMongoThread);
          });
        resolve({ host, port, url, close });
      } else if (message.type === 'failed') {
        reject(
          Object.assign(new Error(message.message), message.code === undefined ? {} : { code: message.code }),
        );
      } else closed?.();
    });
    worker.on('error', (error) => (listening ? onCrash(error) : reject(error)));
    worker.on('exit', () => closed?.());
  });
}
