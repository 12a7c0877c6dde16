import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, spawnNode, type BenchProcess } from './processes';
import { BENCH_API_KEYS, BENCH_AUTHORIZATION, BENCH_RATE_LIMIT } from './bench-key';
import { serviceEntry } from './service-build';

const DEVSTACK_START_TIMEOUT_MS = 300_000;

/** Each service in its own process, like production: the servers, the gateway, processors, synchronizers. */
export interface Devstack {
  readonly proc: BenchProcess;
  readonly esdbUrl: string;
  readonly mongoUrl: string;
  readonly dir: string;
  /** Stops the servers and deletes their data directory. */
  close(): Promise<void>;
}

export interface ProfileOption {
  readonly cpuProfDir?: string;
}

/** Both embedded servers on disk (durable appends), in a fresh temporary directory unless `dir` is given. */
export async function startDevstack(options: ProfileOption & { dir?: string } = {}): Promise<Devstack> {
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'bench-stack-')));
  const esdbPort = await freePort();
  const mongoPort = await freePort();
  const proc = spawnNode('devstack', {
    script: 'devstack/main.ts',
    args: [
      '--esdb-port',
      String(esdbPort),
      '--mongo-port',
      String(mongoPort),
      '--db',
      join(dir, 'eventstore'),
      '--dbpath',
      join(dir, 'mongo'),
    ],
    cpuProfDir: options.cpuProfDir,
  });
  try {
    // A prefilled log takes a while to open; the Mongo port opens after the EventStoreDB one.
    await proc.waitUntilReady({ port: mongoPort }, DEVSTACK_START_TIMEOUT_MS);
  } catch (error) {
    await proc.stop();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    proc,
    esdbUrl: `esdb://127.0.0.1:${esdbPort}?tls=false`,
    mongoUrl: `mongodb://127.0.0.1:${mongoPort}/shop`,
    dir,
    async close() {
      await proc.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface ServiceHandle {
  readonly proc: BenchProcess;
  readonly url: string;
}

interface ServiceEnv extends ProfileOption {
  readonly devstack: Devstack;
  readonly inputStream?: string;
  readonly group?: string;
}

function commonEnv(options: ServiceEnv): Record<string, string> {
  return {
    ESDB_CONNECTION_STRING: options.devstack.esdbUrl,
    MONGO_URL: options.devstack.mongoUrl,
    INPUT_STREAM: options.inputStream ?? 'shop-input',
    PROCESSING_GROUP: options.group ?? 'shop-processing',
    PII_MASTER_KEY: BENCH_MASTER_KEY,
    API_KEYS: BENCH_API_KEYS,
    INGEST_RATE_LIMIT: BENCH_RATE_LIMIT,
  };
}

/** Fresh for every bench run, like its data. */
const BENCH_MASTER_KEY = randomBytes(32).toString('base64');

/** Services start slowly while the machine is busy with the other services starting. */
const SERVICE_READY_TIMEOUT_MS = 60_000;

async function startService(
  name: string,
  service: 'shop-api' | 'processing' | 'synchronizers',
  portVariable: string,
  readyPath: string,
  options: ServiceEnv,
): Promise<ServiceHandle> {
  const port = await freePort();
  const proc = spawnNode(name, {
    script: await serviceEntry(service),
    env: { ...commonEnv(options), [portVariable]: String(port) },
    cpuProfDir: options.cpuProfDir,
  });
  const url = `http://127.0.0.1:${port}`;
  await proc.waitUntilReady(
    { url: `${url}${readyPath}`, headers: BENCH_AUTHORIZATION },
    SERVICE_READY_TIMEOUT_MS,
  );
  return { proc, url };
}

export function startShopApi(options: ServiceEnv): Promise<ServiceHandle> {
  return startService('shop-api', 'shop-api', 'PORT', '/ready', options);
}

/** Waits for `/health` only, so joining the groups is part of what is measured. */
export function startProcessing(name: string, options: ServiceEnv): Promise<ServiceHandle> {
  return startService(name, 'processing', 'PROCESSING_PORT', '/health', options);
}

export function startSynchronizers(options: ServiceEnv): Promise<ServiceHandle> {
  return startService('synchronizers', 'synchronizers', 'SYNCHRONIZERS_PORT', '/health', options);
}

/** Sums a Prometheus counter over all its label sets, optionally only where `label="value"`. */
export function sumMetric(text: string, metric: string, where?: { label: string; value: string }): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(metric)) continue;
    const rest = line.slice(metric.length);
    if (rest[0] !== '{' && rest[0] !== ' ') continue;
    if (where && !rest.includes(`${where.label}="${where.value}"`)) continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (Number.isFinite(value)) total += value;
  }
  return total;
}

export async function readMetric(
  service: ServiceHandle,
  metric: string,
  where?: { label: string; value: string },
): Promise<number> {
  const res = await fetch(`${service.url}/metrics`, { headers: BENCH_AUTHORIZATION });
  return sumMetric(await res.text(), metric, where);
}
