import { z } from 'zod';

/** A configuration problem found at start-up: the message names every bad variable and what it expects. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

interface Setting<T> {
  readonly variable: string;
  readonly expects: string;
  readonly fallback: string | undefined;
  readonly schema: z.ZodType<T>;
}

function setting<T>(variable: string, schema: z.ZodType<T>, expects: string, fallback?: string): Setting<T> {
  return { variable, schema, expects, fallback };
}

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const streamName = z.string().regex(/^[^$\s][^\s]*$/);
const esdbUrl = z.string().regex(/^(esdb|esdb\+discover|kurrentdb|kurrentdb\+discover|kdb):\/\/.+/);
const mongoUrl = z.string().regex(/^mongodb(\+srv)?:\/\/.+/);
const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);
const logFormat = z.enum(['auto', 'json', 'pretty']);
const optionalUrl = z.union([z.literal(''), z.url({ protocol: /^https?$/ })]);

/** Every environment variable the services read, with its default: the one place defaults live. */
export const SETTINGS = {
  esdbConnectionString: setting(
    'ESDB_CONNECTION_STRING',
    esdbUrl,
    'an EventStoreDB connection string such as esdb://localhost:2113?tls=false',
    'esdb://localhost:2113?tls=false',
  ),
  mongoUrl: setting(
    'MONGO_URL',
    mongoUrl,
    'a MongoDB connection string such as mongodb://localhost:27017/shop',
    'mongodb://localhost:27017/shop',
  ),
  logLevel: setting('LOG_LEVEL', logLevel, `one of ${logLevel.options.join(', ')}`, 'info'),
  logFormat: setting(
    'LOG_FORMAT',
    logFormat,
    `one of ${logFormat.options.join(', ')} (auto: pretty on a terminal, JSON lines otherwise)`,
    'auto',
  ),
  shopApiPort: setting('PORT', port, 'a TCP port number between 0 and 65535', '3000'),
  processingPort: setting('PROCESSING_PORT', port, 'a TCP port number between 0 and 65535', '3001'),
  synchronizersPort: setting('SYNCHRONIZERS_PORT', port, 'a TCP port number between 0 and 65535', '3002'),
  inputStream: setting('INPUT_STREAM', streamName, 'a stream name not starting with $', 'shop-input'),
  processingGroup: setting('PROCESSING_GROUP', streamName, 'a subscription group name', 'shop-processing'),
  maxBodyBytes: setting('MAX_BODY_BYTES', positiveInt, 'a positive number of bytes', '1048576'),
  shutdownTimeoutMs: setting(
    'SHUTDOWN_TIMEOUT_MS',
    positiveInt,
    'a positive number of milliseconds',
    '10000',
  ),
  maxRetryCount: setting('PROCESSING_MAX_RETRY', positiveInt, 'a positive number of retries', '10'),
  waitWindowMs: setting(
    'PROCESSING_WAIT_WINDOW_MS',
    positiveInt,
    'a positive number of milliseconds',
    '600000',
  ),
  otlpEndpoint: setting(
    'OTEL_EXPORTER_OTLP_ENDPOINT',
    optionalUrl,
    'an OTLP/HTTP collector URL such as http://collector:4318 (traces are off while unset)',
    '',
  ),
  otlpTracesEndpoint: setting(
    'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
    optionalUrl,
    'an OTLP/HTTP traces URL such as http://collector:4318/v1/traces',
    '',
  ),
  refundsGroup: setting('REFUNDS_GROUP', streamName, 'a subscription group name', 'shop-refunds'),
  maxRequestWaitSeconds: setting(
    'MAX_REQUEST_WAIT_SECONDS',
    positiveInt,
    'a positive number of seconds',
    '30',
  ),
  readyLagEvents: setting('READY_MAX_LAG_EVENTS', positiveInt, 'a positive number of events', '1000'),
} as const;

type Settings = typeof SETTINGS;
type SettingName = keyof Settings;
export type Config<K extends SettingName> = {
  [P in K]: Settings[P] extends Setting<infer T> ? T : never;
};

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads the named settings from the environment. An empty variable counts as unset. All problems are
 * reported at once so a user fixes them in one go.
 */
export function loadConfig<K extends SettingName>(names: readonly K[], env: Env = process.env): Config<K> {
  const problems: string[] = [];
  const config: Record<string, unknown> = {};
  for (const name of names) {
    const { variable, schema, expects, fallback } = SETTINGS[name] as Setting<unknown>;
    const raw = env[variable] === '' ? undefined : env[variable];
    const value = raw ?? fallback;
    if (value === undefined) {
      problems.push(`${variable} is missing: expected ${expects}`);
      continue;
    }
    const parsed = schema.safeParse(value);
    if (parsed.success) config[name] = parsed.data;
    else problems.push(`${variable} is malformed: expected ${expects}, got ${JSON.stringify(value)}`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config as Config<K>;
}

/** Names the settings of a service, so a service and its tests read the same set. */
export const SERVICE_SETTINGS = {
  shopApi: [
    'esdbConnectionString',
    'mongoUrl',
    'logLevel',
    'logFormat',
    'shopApiPort',
    'inputStream',
    'maxBodyBytes',
    'maxRequestWaitSeconds',
    'shutdownTimeoutMs',
    'otlpEndpoint',
    'otlpTracesEndpoint',
  ],
  processing: [
    'esdbConnectionString',
    'logLevel',
    'logFormat',
    'processingPort',
    'inputStream',
    'processingGroup',
    'maxRetryCount',
    'waitWindowMs',
    'refundsGroup',
    'shutdownTimeoutMs',
    'otlpEndpoint',
    'otlpTracesEndpoint',
  ],
  synchronizers: [
    'esdbConnectionString',
    'mongoUrl',
    'logLevel',
    'logFormat',
    'synchronizersPort',
    'inputStream',
    'processingGroup',
    'readyLagEvents',
    'shutdownTimeoutMs',
    'otlpEndpoint',
    'otlpTracesEndpoint',
  ],
} as const satisfies Record<string, readonly SettingName[]>;

export type ShopApiConfig = Config<(typeof SERVICE_SETTINGS.shopApi)[number]>;
export type ProcessingConfig = Config<(typeof SERVICE_SETTINGS.processing)[number]>;
export type SynchronizersConfig = Config<(typeof SERVICE_SETTINGS.synchronizers)[number]>;
