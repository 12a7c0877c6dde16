// The thread `startMongoThread` starts: the embedded MongoDB, until told to close.
import { parentPort, workerData } from 'node:worker_threads';
import { startMongo } from './index';
import type { FromMongoThread, MongoThreadOptions, ToMongoThread } from './server-thread';

async function run(port: NonNullable<typeof parentPort>, options: MongoThreadOptions): Promise<void> {
  const post = (message: FromMongoThread) => port.postMessage(message);
  try {
    const server = await startMongo(options);
    port.on('message', (message: ToMongoThread) => {
      if (message.type !== 'close') return;
      void server.close().then(() => {
        post({ type: 'closed' });
        port.close();
      });
    });
    post({ type: 'listening', host: server.host, port: server.port, url: server.url });
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    post({
      type: 'failed',
      message: error instanceof Error ? error.message : String(error),
      ...(typeof code === 'string' ? { code } : {}),
    });
    port.close();
  }
}

if (parentPort) void run(parentPort, workerData as MongoThreadOptions);
