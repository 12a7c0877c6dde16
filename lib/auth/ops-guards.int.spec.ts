import { listen, opsApp, type Listening } from '../http';
import { createLogger } from '../logger';
import { createMetricsRegistry } from '../metrics';
import { TEST_KEYS, testAuthenticator } from '../../tests/support/test-keys';
import { opsGuards } from './authenticate';

const silent = createLogger('test', { level: 'silent' });

/** A processor's or synchronizer's ops server as its HOST makes it. */
async function opsServer(host: string): Promise<Listening> {
  const app = opsApp(
    createMetricsRegistry('processing'),
    { eventstore: () => Promise.resolve({ ok: true }) },
    opsGuards(testAuthenticator(), silent, host),
  );
  return listen(app, 0, '127.0.0.1', 'PROCESSING_PORT');
}

async function status(server: Listening, path: string, key?: string): Promise<number> {
  const headers: Record<string, string> = key ? { authorization: `Bearer ${key}` } : {};
  return (await fetch(`http://127.0.0.1:${server.port}${path}`, { headers })).status;
}

describe('the ops routes of every service', () => {
  it('need shop:admin for /ready and /metrics when the service listens beyond loopback; /health is open', async () => {
    const server = await opsServer('0.0.0.0');
    try {
      expect(await status(server, '/health')).toBe(200);
      for (const path of ['/ready', '/metrics']) {
        expect(await status(server, path)).toBe(401);
        expect(await status(server, path, TEST_KEYS.read)).toBe(403);
        expect(await status(server, path, TEST_KEYS.admin)).toBe(200);
      }
    } finally {
      await server.close();
    }
  });

  it('leave /metrics open to a local scraper when the service listens on loopback only', async () => {
    const server = await opsServer('127.0.0.1');
    try {
      expect(await status(server, '/metrics')).toBe(200);
      expect(await status(server, '/ready')).toBe(401);
    } finally {
      await server.close();
    }
  });
});
