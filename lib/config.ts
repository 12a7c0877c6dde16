import { z } from 'zod';
import { apiKeysSchema, API_KEYS_EXPECTS, type ApiKey } from './auth/api-keys';

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
  /** Unset is fine: the value is then undefined. */
  readonly optional?: boolean;
}

function setting<T>(variable: string, schema: z.ZodType<T>, expects: string, fallback?: string): Setting<T> {
  return { variable, schema, expects, fallback };
}

function optionalSetting<T>(variable: string, schema: z.ZodType<T>, expects: string): Setting<T | undefined> {
  return { variable, schema, expects, fallback: undefined, optional: true };
}

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const nonNegativeInt = z.coerce.number().int().min(0);
const streamName = z.string().regex(/^[^$\s][^\s]*$/);
const esdbUrl = z.string().regex(/^(esdb|esdb\+discover|kurrentdb|kurrentdb\+discover|kdb):\/\/.+/);
const mongoUrl = z.string().regex(/^mongodb(\+srv)?:\/\/.+/);
const base64Key = z
  .string()
  .regex(/^[A-Za-z0-9+/]{43}=$/)
  .transform((value) => Buffer.from(value, 'base64'));
const databaseName = z.string().regex(/^[A-Za-z0-9_-]{1,63}$/);
const host = z.string().regex(/^[A-Za-z0-9.:-]+$/);
const httpsUrl = z.url({ protocol: /^https?$/ });
const origins = z
  .string()
  .transform((value) => value.split(',').map((origin) => origin.trim()))
  .pipe(z.array(z.string().regex(/^https?:\/\/[^/\s]+$/)).min(1));
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
  snapshotAfterEvents: setting(
    'SNAPSHOT_AFTER_EVENTS',
    nonNegativeInt,
    'a number of events after which an aggregate is loaded from a snapshot (0 turns snapshots off)',
    '500',
  ),
  refundsGroup: setting('REFUNDS_GROUP', streamName, 'a subscription group name', 'shop-refunds'),
  maxRequestWaitSeconds: setting(
    'MAX_REQUEST_WAIT_SECONDS',
    positiveInt,
    'a positive number of seconds',
    '30',
  ),
  masterKey: setting(
    'PII_MASTER_KEY',
    base64Key,
    'a 256-bit key in base64 (44 characters), e.g. from `openssl rand -base64 32`',
  ),
  keysDatabase: setting(
    'PII_KEYS_DATABASE',
    databaseName,
    'a MongoDB database name for the customer keys',
    'shop-keys',
  ),
  inputMaxAgeSeconds: setting(
    'INPUT_MAX_AGE_SECONDS',
    positiveInt,
    'a positive number of seconds the raw input is kept',
    '604800',
  ),
  readyLagEvents: setting('READY_MAX_LAG_EVENTS', positiveInt, 'a positive number of events', '1000'),
  host: setting('HOST', host, 'an interface address to listen on such as 127.0.0.1 or 0.0.0.0', '127.0.0.1'),
  headersTimeoutMs: setting('HEADERS_TIMEOUT_MS', positiveInt, 'a positive number of milliseconds', '10000'),
  requestTimeoutMs: setting('REQUEST_TIMEOUT_MS', positiveInt, 'a positive number of milliseconds', '30000'),
  maxJsonDepth: setting('MAX_JSON_DEPTH', positiveInt, 'a positive nesting depth', '32'),
  maxJsonArrayLength: setting('MAX_JSON_ARRAY_LENGTH', positiveInt, 'a positive number of items', '10000'),
  maxJsonStringLength: setting(
    'MAX_JSON_STRING_LENGTH',
    positiveInt,
    'a positive number of characters',
    '100000',
  ),
  maxJsonObjectKeys: setting('MAX_JSON_OBJECT_KEYS', positiveInt, 'a positive number of fields', '1000'),
  maxEventBytes: setting('MAX_EVENT_BYTES', positiveInt, 'a positive number of bytes', '1040384'),
  ingestRateLimit: setting('INGEST_RATE_LIMIT', positiveInt, 'a positive number of requests', '100'),
  ingestRateWindowMs: setting(
    'INGEST_RATE_WINDOW_MS',
    positiveInt,
    'a positive number of milliseconds',
    '1000',
  ),
  corsOrigins: optionalSetting(
    'CORS_ORIGINS',
    origins,
    'comma-separated origins such as https://shop.example.com',
  ),
  apiKeys: optionalSetting('API_KEYS', apiKeysSchema, API_KEYS_EXPECTS),
  oidcIssuer: optionalSetting(
    'OIDC_ISSUER',
    httpsUrl,
    'the OpenID Connect issuer URL, e.g. https://login.example.com/realms/shop',
  ),
  oidcAudience: optionalSetting(
    'OIDC_AUDIENCE',
    z.string().min(1),
    'the audience (aud) the tokens are issued for',
  ),
  oidcJwksUrl: optionalSetting('OIDC_JWKS_URL', httpsUrl, "the URL of the issuer's JSON Web Key Set"),
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
    const { variable, schema, expects, fallback, optional } = SETTINGS[name] as Setting<unknown>;
    const raw = env[variable] === '' ? undefined : env[variable];
    const value = raw ?? fallback;
    if (value === undefined && optional) {
      config[name] = undefined;
      continue;
    }
    if (value === undefined) {
      problems.push(`${variable} is missing: expected ${expects}`);
      continue;
    }
    const parsed = schema.safeParse(value);
    if (parsed.success) config[name] = parsed.data;
    else
      problems.push(
        `${variable} is malformed: expected ${expects}, got ${shown(variable, value)}${customIssues(parsed.error)}`,
      );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config as Config<K>;
}

/** What a setting's own check said, e.g. which API_KEYS entry is wrong. */
function customIssues(error: z.ZodError): string {
  const messages = error.issues.filter((issue) => issue.code === 'custom').map((issue) => issue.message);
  return messages.length === 0 ? '' : ` (${messages.join('; ')})`;
}

/** Secrets-to-be never go into a message: API_KEYS holds hashes, but a user may paste a key there by mistake. */
function shown(variable: string, value: string): string {
  return variable === 'API_KEYS' ? '(value not shown)' : JSON.stringify(value);
}

export interface OidcConfig {
  readonly issuer: string;
  readonly audience: string;
  readonly jwksUrl: string | undefined;
}

export interface AuthConfig {
  readonly apiKeys: readonly ApiKey[];
  readonly oidc: OidcConfig | undefined;
}

/**
 * Who may call the services: API keys (hashes in API_KEYS) and/or JWTs of an OpenID Connect issuer. One of the
 * two is required; an issuer needs its audience.
 */
export function loadAuthConfig(env: Env = process.env): AuthConfig {
  const config = loadConfig(['apiKeys', 'oidcIssuer', 'oidcAudience', 'oidcJwksUrl'], env);
  const problems: string[] = [];
  if (config.apiKeys === undefined && config.oidcIssuer === undefined) {
    problems.push(
      `API_KEYS is missing: expected ${API_KEYS_EXPECTS} (or set OIDC_ISSUER and OIDC_AUDIENCE to accept JWTs)`,
    );
  }
  if (config.oidcIssuer !== undefined && config.oidcAudience === undefined) {
    problems.push('OIDC_AUDIENCE is missing: expected the audience (aud) the tokens are issued for');
  }
  if (config.oidcIssuer === undefined && (config.oidcAudience ?? config.oidcJwksUrl) !== undefined) {
    problems.push('OIDC_ISSUER is missing: OIDC_AUDIENCE and OIDC_JWKS_URL need the issuer they belong to');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    apiKeys: config.apiKeys ?? [],
    oidc:
      config.oidcIssuer === undefined
        ? undefined
        : { issuer: config.oidcIssuer, audience: config.oidcAudience ?? '', jwksUrl: config.oidcJwksUrl },
  };
}

/** A service's settings and who may call it, every problem of both reported at once. */
export function loadServiceConfig<K extends SettingName>(
  names: readonly K[],
  env: Env = process.env,
): Config<K> & { auth: AuthConfig } {
  const problems: string[] = [];
  const attempt = <T>(load: () => T): T | undefined => {
    try {
      return load();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
      return undefined;
    }
  };
  const config = attempt(() => loadConfig(names, env));
  const auth = attempt(() => loadAuthConfig(env));
  if (!config || !auth) throw new ConfigError(problems);
  return { ...config, auth };
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
    'processingGroup',
    'maxBodyBytes',
    'maxRequestWaitSeconds',
    'masterKey',
    'keysDatabase',
    'inputMaxAgeSeconds',
    'shutdownTimeoutMs',
    'host',
    'headersTimeoutMs',
    'requestTimeoutMs',
    'maxJsonDepth',
    'maxJsonArrayLength',
    'maxJsonStringLength',
    'maxJsonObjectKeys',
    'maxEventBytes',
    'ingestRateLimit',
    'ingestRateWindowMs',
    'corsOrigins',
    'otlpEndpoint',
    'otlpTracesEndpoint',
  ],
  processing: [
    'esdbConnectionString',
    'mongoUrl',
    'masterKey',
    'keysDatabase',
    'logLevel',
    'logFormat',
    'processingPort',
    'inputStream',
    'processingGroup',
    'maxRetryCount',
    'waitWindowMs',
    'refundsGroup',
    'snapshotAfterEvents',
    'shutdownTimeoutMs',
    'host',
    'otlpEndpoint',
    'otlpTracesEndpoint',
  ],
  synchronizers: [
    'esdbConnectionString',
    'mongoUrl',
    'logLevel',
    'logFormat',
    'synchronizersPort',
    'readyLagEvents',
    'shutdownTimeoutMs',
    'host',
    'otlpEndpoint',
    'otlpTracesEndpoint',
  ],
} as const satisfies Record<string, readonly SettingName[]>;
