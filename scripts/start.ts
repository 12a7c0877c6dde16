import {
  DEVSTACK_USAGE,
  parseDevstackArgs,
  UsageError,
  type DevstackOptions,
} from '../devstack/devstack-args';
import { apiKeyEntry, generateApiKey } from '../lib/auth/api-keys';
import { SCOPES } from '../lib/auth/scopes';
import { loadConfig } from '../lib/config';
import { prettyRecord, usePretty } from '../lib/pretty-log';
import { prefixedLine, REPOSITORY_ROOT, runProcess, type ManagedProcess } from '../lib/process-runner';
import { localMasterKey } from './local-master-key';

/**
 * `npm start [-- devstack flags]`: the embedded servers (unless ESDB_CONNECTION_STRING / MONGO_URL point
 * elsewhere), the gateway, two processors and the synchronizers, each its own process with its name before every
 * line it prints. Flags go to the embedded servers (`--esdb-port`, `--mongo-port`, `--db`, `--dbpath`, `--mem-db`).
 */
const ROOT = REPOSITORY_ROOT;
const READY_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 15_000;
/** The second processor listens two ports above PROCESSING_PORT: 3001 and 3003, around the synchronizers' 3002. */
const SECOND_PROCESSOR_OFFSET = 2;

const services: ManagedProcess[] = [];
let stopping = false;
/** Log lines pretty on a terminal (LOG_FORMAT=auto), the services' JSON lines otherwise. */
let pretty = false;
const LABEL_WIDTH = 13;

function start(
  name: string,
  entry: string,
  args: string[],
  env: Record<string, string>,
  ownProcessGroup = false,
): ManagedProcess {
  const label = name.padEnd(LABEL_WIDTH);
  const service = runProcess({
    name,
    entry,
    args,
    // The services write JSON lines into the pipe; this process makes them readable for a terminal.
    env: { LOG_FORMAT: 'json', ...env },
    // The servers get their own process group so the terminal's Ctrl-C does not stop them while the services
    // still drain against them; this script stops them last.
    processGroup: ownProcessGroup,
    keptLines: 100,
    onLine: (line) =>
      process.stdout.write(
        `${(pretty ? prettyRecord(line, { label }) : undefined) ?? prefixedLine(name, line, LABEL_WIDTH)}\n`,
      ),
  });
  void service.exited.then((code) => {
    if (!stopping) {
      process.stdout.write(`start: ${name} exited (code ${String(code)}); stopping everything\n`);
      void stopAll(1);
    }
  });
  services.push(service);
  return service;
}

/** Exits with `exitCode`, or 1 when any process did not stop cleanly (exit code other than 0). */
async function stopAll(exitCode: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  // The services together (each drains on its own), the servers they depend on after them.
  const servers = services.filter((s) => s.name === 'devstack');
  const stop = (service: ManagedProcess) => service.stop(STOP_TIMEOUT_MS);
  const codes = await Promise.all(services.filter((s) => !servers.includes(s)).map(stop));
  codes.push(...(await Promise.all(servers.map(stop))));
  process.exit(codes.every((code) => code === 0) ? exitCode : 1);
}

/**
 * A development key for this run only, with every scope: added to whatever API_KEYS / OIDC_ISSUER the environment
 * sets, printed once, never written anywhere. The services receive only its hash.
 */
const DEV_KEY = generateApiKey();
const DEV_KEY_NAME = 'npm-start-dev';

function apiKeysWithDevKey(configured: string | undefined): string {
  const dev = apiKeyEntry(DEV_KEY_NAME, DEV_KEY, SCOPES);
  return configured ? `${configured};${dev}` : dev;
}

async function waitUntilReady(service: ManagedProcess, url: string): Promise<void> {
  await service.waitUntilReady({ url, headers: { authorization: `Bearer ${DEV_KEY}` } }, READY_TIMEOUT_MS);
}

/** The embedded servers' flags, checked before anything starts; `--help` prints them. */
function devstackOptions(args: readonly string[]): DevstackOptions {
  try {
    const parsed = parseDevstackArgs(args);
    if (parsed !== 'help') return parsed;
    process.stdout.write(
      `npm start -- [options]: the options go to the embedded servers\n${DEVSTACK_USAGE}\n`,
    );
    process.exit(0);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`start: ${error.message}\n${DEVSTACK_USAGE}\n`);
    process.exit(2);
  }
}

async function main(): Promise<void> {
  // `on`, not `once`: Ctrl-C arrives both from the terminal and relayed by npm; a second one must not kill this
  // process and orphan the services while they drain.
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  const config = loadConfig(['shopApiPort', 'processingPort', 'synchronizersPort', 'logFormat']);
  pretty = usePretty(config.logFormat, process.stdout.isTTY);
  const devstackArgs = process.argv.slice(2);
  const devstack = devstackOptions(devstackArgs);
  const external = {
    esdb: process.env.ESDB_CONNECTION_STRING || undefined,
    mongo: process.env.MONGO_URL || undefined,
  };
  if (!external.esdb || !external.mongo) {
    const args = [
      ...devstackArgs,
      ...(external.esdb ? ['--no-esdb'] : []),
      ...(external.mongo ? ['--no-mongo'] : []),
    ];
    await start('devstack', 'devstack/main.ts', args, {}, true).waitForLine(
      'devstack ready',
      READY_TIMEOUT_MS,
    );
  }
  const env = {
    ESDB_CONNECTION_STRING: external.esdb ?? `esdb://localhost:${devstack.esdbPort}?tls=false`,
    MONGO_URL: external.mongo ?? `mongodb://localhost:${devstack.mongoPort}/shop`,
    PII_MASTER_KEY:
      process.env.PII_MASTER_KEY || localMasterKey(ROOT, (text) => process.stdout.write(`start: ${text}`)),
    API_KEYS: apiKeysWithDevKey(process.env.API_KEYS || undefined),
    // Only this machine reaches what npm start runs, whatever a shell exported for a container.
    HOST: '127.0.0.1',
  };
  const shopApi = start('shop-api', 'shop-api/main.ts', [], env);
  [config.processingPort, config.processingPort + SECOND_PROCESSOR_OFFSET].forEach((port, i) =>
    start(`processing-${i + 1}`, 'processing/main.ts', [], { ...env, PROCESSING_PORT: String(port) }),
  );
  const synchronizers = start('synchronizers', 'synchronizers/main.ts', [], env);
  await waitUntilReady(shopApi, `http://127.0.0.1:${config.shopApiPort}/ready`);
  await waitUntilReady(synchronizers, `http://127.0.0.1:${config.synchronizersPort}/ready`);
  const ui = `http://localhost:${config.shopApiPort}/`;
  process.stdout.write(
    `\nshop-pipeline is ready: open ${ui}#key=${DEV_KEY} (Ctrl-C stops everything)\n` +
      `Development API key for this run (every scope; printed only here): ${DEV_KEY}\n` +
      `  curl -H 'Authorization: Bearer ${DEV_KEY}' ${ui}shop/api/v1/orders\n\n`,
  );
}

main().catch((error: unknown) => {
  // Ctrl-C while starting: the services exit before they are ready, which is no error to report.
  if (stopping) return;
  process.stdout.write(`start: ${error instanceof Error ? error.message : String(error)}\n`);
  void stopAll(1);
});
