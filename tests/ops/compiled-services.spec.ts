import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { startEventStore, type RunningEventStore } from '../../devstack/eventstore';
import { startMongo, type MongoServerHandle } from '../../devstack/mongo';
import { createLogger } from '../../lib/logger';
import { http, postJson } from '../support/http-client';
import { eventually } from '../../lib/eventually';
import { startServiceProcess, type ServiceProcess } from '../support/service-process';
import { ROOT } from './processes';

// What the image runs: `npm run build`, then `node dist/<service>/main.js` with no tsx anywhere in the process.
jest.setTimeout(120_000);

const SERVICES = {
  'shop-api': { port: 'PORT', started: 'shop-api listening' },
  processing: { port: 'PROCESSING_PORT', started: 'processing started' },
  synchronizers: { port: 'SYNCHRONIZERS_PORT', started: 'synchronizers started' },
} as const;
type Name = keyof typeof SERVICES;

describe('the compiled services', () => {
  let eventstore: RunningEventStore;
  let mongo: MongoServerHandle;
  const running = new Map<Name, { process: ServiceProcess; url: string }>();

  beforeAll(async () => {
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'pipe' });
    const logger = createLogger('compiled-test', { level: 'silent' });
    eventstore = await startEventStore({ port: 0, logger });
    mongo = await startMongo({ port: 0, logger });
    const env = {
      ESDB_CONNECTION_STRING: eventstore.connectionString,
      MONGO_URL: `${mongo.url}/shop`,
      SHUTDOWN_TIMEOUT_MS: '3000',
    };
    const names = Object.keys(SERVICES) as Name[];
    const started = names.map((name) =>
      startServiceProcess(`dist/${name}/main.js`, { ...env, [SERVICES[name].port]: '0' }),
    );
    await Promise.all(
      names.map(async (name, i) => {
        const service = started[i]!;
        const line = await service.waitForLog(SERVICES[name].started, 60_000);
        running.set(name, { process: service, url: `http://127.0.0.1:${String(line.port)}` });
      }),
    );
  });

  afterAll(async () => {
    await Promise.all([...running.values()].map(({ process }) => process.stop()));
    await mongo?.close();
    await eventstore?.close();
  });

  it('are built into dist/, the web UI with them', () => {
    for (const name of Object.keys(SERVICES)) {
      expect(existsSync(path.join(ROOT, 'dist', name, 'main.js'))).toBe(true);
    }
    expect(existsSync(path.join(ROOT, 'dist/admin/main.js'))).toBe(true);
    expect(existsSync(path.join(ROOT, 'dist/shop-api/ui/index.html'))).toBe(true);
  });

  it('run under plain node: no tsx loader in the process', () => {
    for (const [name, { process }] of running) {
      expect({ name, args: process.child.spawnargs.slice(1) }).toEqual({
        name,
        args: [path.join(ROOT, 'dist', name, 'main.js')],
      });
    }
  });

  it('answer /ready and carry an order through to the read model', async () => {
    for (const [name, { url }] of running) {
      const ready = await eventually(async () => {
        const reply = await http(url, '/ready');
        return reply.status === 200 ? reply : undefined;
      }, 30_000);
      expect({ name, body: ready.body }).toMatchObject({ name, body: { status: 'ready' } });
    }
    const api = running.get('shop-api')!.url;
    const page = await http(api, '/');
    expect(page.contentType).toContain('text/html');
    const placed = await postJson(api, '/shop/api/v1', {
      applies: 'Order',
      source: 'compiled',
      profile: 'web/v1',
      action: 'place',
      orderId: 'o-compiled',
      customer: { id: 'c-1', name: 'Ada' },
      lines: [{ sku: 'SKU-1', quantity: 1, unitPrice: '2.50' }],
      currency: 'EUR',
    });
    expect(placed.status).toBe(202);
    const order = await eventually(async () => {
      const reply = await http(api, '/shop/api/v1/orders/o-compiled');
      return reply.status === 200 ? reply.body : undefined;
    }, 30_000);
    expect(order).toMatchObject({ id: 'o-compiled', status: 'Placed', total: '2.50' });
  });
});
