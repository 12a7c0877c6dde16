import { MongoClient, MongoNetworkError, MongoServerError } from 'mongodb';
import { createServer, type Server } from 'node:net';
import { isMongoUnavailable } from './mongo';

describe('MongoDB unavailable or not', () => {
  it("counts the driver's network errors and raw socket errors as unavailable, by class and code", () => {
    const epipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE', syscall: 'write' });
    expect(isMongoUnavailable(epipe)).toBe(true);
    expect(isMongoUnavailable(new MongoNetworkError('connection reset'))).toBe(true);
    expect(isMongoUnavailable(new MongoServerError({ message: 'duplicate key', code: 11000 }))).toBe(false);
    expect(isMongoUnavailable(new Error('MongoNetworkError'))).toBe(false);
  });

  it('counts what the driver throws when the pool is cleared under it as unavailable', async () => {
    // A server that accepts connections and then cuts them: the driver's own error, whatever its name.
    const server: Server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const client = new MongoClient(`mongodb://127.0.0.1:${port}/shop`, {
      serverSelectionTimeoutMS: 300,
      connectTimeoutMS: 300,
    });
    const error = await client
      .db()
      .command({ ping: 1 })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    await client.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(isMongoUnavailable(error)).toBe(true);
  });
});
