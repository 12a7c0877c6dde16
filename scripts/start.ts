import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { loadConfig, SETTINGS } from '../lib/config';

/**
 * `npm start`: the embedded servers (unless ESDB_CONNECTION_STRING / MONGO_URL point elsewhere), the gateway,
 * two processors and the synchronizers, each its own process with its name before every line it prints.
 */
const ROOT = path.resolve(__dirname, '..');
const READY_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 15_000;
const PROCESSOR_PORTS = ['3001', '3003'];

interface Service {
  readonly name: string;
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
}

const services: Service[] = [];
let stopping = false;

function start(
  name: string,
  entry: string,
  args: string[],
  env: Record<string, string>,
  ownProcessGroup = false,
): Service {
  // `node --import tsx` keeps the service in this child, so signals reach it directly.
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, entry), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // The servers get their own process group so the terminal's Ctrl-C does not stop them while the services
    // still drain against them; this script stops them last.
    detached: ownProcessGroup,
  });
  const prefix = `${name.padEnd(13)}|`;
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => process.stdout.write(`${prefix} ${line}\n`));
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const service = { name, child, exited };
  void exited.then((code) => {
    if (!stopping) {
      process.stdout.write(`start: ${name} exited (code ${String(code)}); stopping everything\n`);
      void stopAll(1);
    }
  });
  services.push(service);
  return service;
}

async function stopAll(exitCode: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  // Services first, newest first; the servers they depend on last.
  for (const service of [...services].reverse()) {
    if (service.child.exitCode === null && service.child.signalCode === null) service.child.kill('SIGTERM');
    const timer = setTimeout(() => service.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await service.exited;
    clearTimeout(timer);
  }
  process.exit(exitCode);
}

async function waitUntilReady(name: string, url: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (stopping) return;
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${name} was not ready at ${url} within ${READY_TIMEOUT_MS / 1000} s`);
}

function waitForLine(service: Service, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    createInterface({ input: service.child.stdout! }).on('line', (line) => {
      if (line.includes(text)) resolve();
    });
    void service.exited.then(() => reject(new Error(`${service.name} stopped before it was ready`)));
  });
}

async function main(): Promise<void> {
  // `on`, not `once`: Ctrl-C arrives both from the terminal and relayed by npm; a second one must not kill this
  // process and orphan the services while they drain.
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  const config = loadConfig(['shopApiPort', 'processingPort', 'synchronizersPort']);
  const external = {
    esdb: process.env.ESDB_CONNECTION_STRING || undefined,
    mongo: process.env.MONGO_URL || undefined,
  };
  if (!external.esdb || !external.mongo) {
    const args = [...(external.esdb ? ['--no-esdb'] : []), ...(external.mongo ? ['--no-mongo'] : [])];
    await waitForLine(start('devstack', 'devstack/main.ts', args, {}, true), 'devstack ready');
  }
  const env = {
    ESDB_CONNECTION_STRING: external.esdb ?? SETTINGS.esdbConnectionString.fallback!,
    MONGO_URL: external.mongo ?? SETTINGS.mongoUrl.fallback!,
  };
  start('shop-api', 'shop-api/main.ts', [], env);
  PROCESSOR_PORTS.forEach((port, i) =>
    start(`processing-${i + 1}`, 'processing/main.ts', [], { ...env, PROCESSING_PORT: port }),
  );
  start('synchronizers', 'synchronizers/main.ts', [], env);
  await waitUntilReady('shop-api', `http://127.0.0.1:${config.shopApiPort}/ready`);
  await waitUntilReady('synchronizers', `http://127.0.0.1:${config.synchronizersPort}/ready`);
  process.stdout.write(
    `\nshop-pipeline is ready: open http://localhost:${config.shopApiPort}/ (Ctrl-C stops everything)\n\n`,
  );
}

main().catch((error: unknown) => {
  process.stdout.write(`start: ${error instanceof Error ? error.message : String(error)}\n`);
  void stopAll(1);
});
