import { ConfigError, loadConfig, type Env } from '../lib/config';
import { isUnavailable } from '../lib/eventstore';
import { threadFeed } from '../lib/all-feed-thread';
import { createLogger } from '../lib/logger';
import { isMongoUnavailable } from '../lib/mongo';
import { forgettingKeyStore } from '../lib/personal-data/key-store';
import { readModels } from '../synchronizers/operations';
import { ALL_READ_MODELS, parseArgs, type AdminCommand } from './args';
import { ADMIN_SETTINGS, lazyConnections, type AdminConfig, type Connections } from './connections';
import type { CommandOutcome } from './outcome';
import { customersForget } from './customer-commands';
import { parkedList, parkedShow, parkedSkip } from './parked-commands';
import { parkedReplay } from './parked-replay';
import { startProgress } from './progress';
import {
  projectionsPoison,
  projectionsRebuild,
  projectionsStatus,
  projectionsVerify,
} from './projection-commands';
import { subscriptionInfo } from './subscription-commands';
import { usageText } from './usage';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export interface Output {
  out(text: string): void;
  err(text: string): void;
  /** Progress is redrawn in place on a terminal, logged otherwise. */
  readonly errIsTTY?: boolean;
}

const READ_MODEL_NAMES = readModels.map((model) => model.name);

/** The read models a command names: one by name, or `all`. */
function projectionsNamed(name: string) {
  if (name === ALL_READ_MODELS) return readModels;
  const projection = readModels.find((model) => model.name === name);
  if (!projection) throw new Error(`unknown read model ${name}`);
  return [projection];
}

function execute(
  command: AdminCommand,
  config: AdminConfig,
  connections: Connections,
  output: Output,
): Promise<CommandOutcome> {
  const names = { inputStream: config.inputStream, processingGroup: config.processingGroup };
  // Logs (e.g. the rebuild's progress) go to stderr so stdout stays the command's answer.
  const logger = createLogger('admin', {
    level: config.logLevel,
    format: config.logFormat,
    stream: process.stderr,
  });
  const sink = { isTTY: output.errIsTTY ?? false, write: (text: string) => output.err(text) };
  const progress = (label: string, unit: string, total: number, counted?: string) =>
    startProgress(label, unit, total, sink, logger, { counted });
  const projections = () => ({
    client: connections.eventStore(),
    // A rebuild or verify reads the whole history: decoding it on a thread of its own frees this one to project.
    subscribe: threadFeed(config.esdbConnectionString),
    db: connections.mongo(),
    names,
    logger,
    progress,
  });
  const policy = { maxRetryCount: config.maxRetryCount, waitWindowMs: config.waitWindowMs };
  switch (command.kind) {
    case 'help':
      return Promise.resolve({ exitCode: EXIT_OK, output: usageText(READ_MODEL_NAMES) });
    case 'subscription-info':
      return subscriptionInfo(connections.eventStore(), names, policy);
    case 'parked-list':
      return parkedList(connections.eventStore(), names, command.limit);
    case 'parked-show':
      return parkedShow(connections.eventStore(), names, command.id);
    case 'parked-replay':
      return parkedReplay(connections.eventStore(), names, command, (total) =>
        progress('replay', 'messages settled', total),
      );
    case 'parked-skip':
      return parkedSkip(connections.eventStore(), names, command);
    case 'projections-status':
      return projectionsStatus(projections(), readModels);
    case 'projections-rebuild':
      return projectionsRebuild(projections(), projectionsNamed(command.readModel));
    case 'projections-verify':
      return projectionsVerify(projections(), projectionsNamed(command.readModel));
    case 'projections-poison':
      return projectionsPoison(projections(), command.readModel);
    case 'customers-forget':
      return customersForget(
        forgettingKeyStore(connections.mongoDatabase(config.keysDatabase)),
        connections.eventStore(),
        command.customerId,
      );
  }
}

/** The one line a failure prints: what could not be reached and how to fix it, or what went wrong. */
export function describeFailure(error: unknown, config: AdminConfig): string {
  // gRPC appends an empty "Resolution note:" to connection errors; it only adds noise to the one line.
  const detail = (error instanceof Error ? error.message : String(error)).replace(
    /\.?\s*Resolution note:\s*$/,
    '',
  );
  if (isMongoUnavailable(error)) {
    return `cannot reach MongoDB at ${config.mongoUrl} (${detail}): start it (npm run devstack) or set MONGO_URL`;
  }
  if (isUnavailable(error)) {
    return (
      `cannot reach EventStoreDB at ${config.esdbConnectionString} (${detail}): ` +
      'start it (npm run devstack) or set ESDB_CONNECTION_STRING'
    );
  }
  return `failed: ${detail}`;
}

/** Parses, runs and reports one admin command; resolves with the exit code. */
export async function runAdmin(argv: readonly string[], env: Env, output: Output): Promise<number> {
  const parsed = parseArgs(argv, READ_MODEL_NAMES);
  if (!parsed.ok) {
    output.err(`admin: ${parsed.error}\n\n${usageText(READ_MODEL_NAMES)}`);
    return EXIT_USAGE;
  }
  let config: AdminConfig;
  try {
    config = loadConfig(ADMIN_SETTINGS, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    output.err(`admin: ${error.message}\n`);
    return EXIT_USAGE;
  }
  const connections = lazyConnections(config);
  try {
    const outcome = await execute(parsed.command, config, connections, output);
    const text = `${outcome.output.trimEnd()}\n`;
    if (outcome.exitCode === EXIT_OK) output.out(text);
    else output.err(text);
    return outcome.exitCode;
  } catch (error) {
    output.err(`admin: ${describeFailure(error, config)}\n`);
    return EXIT_FAILED;
  } finally {
    await connections.close().catch(() => undefined);
  }
}
