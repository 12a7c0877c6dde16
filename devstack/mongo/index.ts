import { createServer, type Socket } from 'node:net';
import type { Logger } from 'pino';
import { createLogger } from '../../lib/logger';
import { Catalog } from './catalog';
import { newCounters, type CommandContext } from './commands/context';
import { Connection } from './connection';
import { CursorStore } from './cursors';
import { Persistence } from './persistence';

export const DEFAULT_MONGO_PORT = 27017;
export const DEFAULT_MONGO_HOST = '127.0.0.1';

export interface MongoServerOptions {
  /** Default 27017; 0 picks any free port. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Directory for the snapshot and journal; undefined keeps data in memory only. */
  readonly dbPath?: string;
  /** Journal size past which a new snapshot is written in the background (default 64 MiB). */
  readonly journalCompactBytes?: number;
  readonly logger?: Logger;
}

export interface MongoServerHandle {
  readonly host: string;
  readonly port: number;
  /** `mongodb://HOST:PORT` */
  readonly url: string;
  close(): Promise<void>;
}

/** Starts the embedded MongoDB-compatible server and resolves once it listens. */
export async function startMongo(options: MongoServerOptions = {}): Promise<MongoServerHandle> {
  const logger = options.logger ?? createLogger('devstack-mongo', { level: 'warn' });
  const host = options.host ?? DEFAULT_MONGO_HOST;
  const catalog = new Catalog();
  const cursors = new CursorStore();
  const counters = newCounters();
  const startedAt = new Date();
  const sockets = new Set<Socket>();
  let connectionIds = 0;
  let port = 0;
  const persistence = options.dbPath
    ? new Persistence(options.dbPath, catalog, logger, options.journalCompactBytes)
    : undefined;
  if (persistence) {
    const recovered = persistence.recover();
    logger.info({ dbPath: options.dbPath, ...recovered }, 'devstack mongo recovered data');
  }
  const afterCommand = (): void => persistence?.flush();

  const server = createServer((socket) => {
    sockets.add(socket);
    connectionIds += 1;
    counters.connectionsCurrent += 1;
    counters.connectionsTotal += 1;
    const connectionId = connectionIds;
    const contextFor = (db: string): CommandContext => ({
      catalog,
      cursors,
      counters,
      logger,
      db,
      connectionId,
      startedAt,
      port,
      host,
    });
    new Connection(socket, contextFor, logger, afterCommand);
    socket.on('close', () => {
      sockets.delete(socket);
      counters.connectionsCurrent -= 1;
    });
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? DEFAULT_MONGO_PORT, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    cursors.close();
    persistence?.abandon();
    throw error;
  }
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
  logger.info({ host, port }, 'devstack mongo listening');

  let closing: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    cursors.close();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
    persistence?.close();
    logger.info({ port }, 'devstack mongo closed');
  };
  return {
    host,
    port,
    url: `mongodb://${host}:${port}`,
    close: () => (closing ??= close()),
  };
}
