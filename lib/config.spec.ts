import { ConfigError, loadConfig, SERVICE_SETTINGS } from './config';

describe('configuration from environment variables', () => {
  it('uses the documented defaults when nothing but the one required secret is set', () => {
    const masterKey = Buffer.alloc(32, 1);
    const config = loadConfig(SERVICE_SETTINGS.shopApi, { PII_MASTER_KEY: masterKey.toString('base64') });
    expect(config).toEqual({
      esdbConnectionString: 'esdb://localhost:2113?tls=false',
      mongoUrl: 'mongodb://localhost:27017/shop',
      logLevel: 'info',
      logFormat: 'auto',
      shopApiPort: 3000,
      inputStream: 'shop-input',
      processingGroup: 'shop-processing',
      maxBodyBytes: 1048576,
      maxRequestWaitSeconds: 30,
      masterKey,
      keysDatabase: 'shop-keys',
      inputMaxAgeSeconds: 604800,
      shutdownTimeoutMs: 10000,
      host: '127.0.0.1',
      headersTimeoutMs: 10000,
      requestTimeoutMs: 30000,
      maxJsonDepth: 32,
      maxJsonArrayLength: 10000,
      maxJsonStringLength: 100000,
      maxJsonObjectKeys: 1000,
      maxEventBytes: 1040384,
      ingestRateLimit: 100,
      ingestRateWindowMs: 1000,
      corsOrigins: undefined,
      otlpEndpoint: '',
      otlpTracesEndpoint: '',
    });
  });

  it('reads and types the variables that are set', () => {
    const config = loadConfig(['shopApiPort', 'inputStream'], { PORT: '8080', INPUT_STREAM: 'raw-in' });
    expect(config).toEqual({ shopApiPort: 8080, inputStream: 'raw-in' });
  });

  it('leaves tracing off without an OTLP endpoint and takes only an http(s) URL', () => {
    expect(loadConfig(['otlpEndpoint'], {})).toEqual({ otlpEndpoint: '' });
    expect(loadConfig(['otlpEndpoint'], { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toEqual({
      otlpEndpoint: 'http://collector:4318',
    });
    expect(() => loadConfig(['otlpEndpoint'], { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(
      /OTEL_EXPORTER_OTLP_ENDPOINT is malformed/,
    );
  });

  it('knows the log formats', () => {
    expect(loadConfig(['logFormat'], { LOG_FORMAT: 'pretty' })).toEqual({ logFormat: 'pretty' });
    expect(() => loadConfig(['logFormat'], { LOG_FORMAT: 'colour' })).toThrow(
      'LOG_FORMAT is malformed: expected one of auto, json, pretty',
    );
  });

  it('names a malformed variable and what it expects', () => {
    expect(() => loadConfig(['shopApiPort'], { PORT: 'eighty' })).toThrow(
      'PORT is malformed: expected a TCP port number between 0 and 65535, got "eighty"',
    );
  });

  it('rejects a connection string of the wrong kind', () => {
    expect(() =>
      loadConfig(['esdbConnectionString'], { ESDB_CONNECTION_STRING: 'http://localhost:2113' }),
    ).toThrow(/ESDB_CONNECTION_STRING is malformed: expected an EventStoreDB connection string/);
    expect(() => loadConfig(['mongoUrl'], { MONGO_URL: 'localhost:27017' })).toThrow(
      /MONGO_URL is malformed/,
    );
  });

  it('reports every bad variable at once', () => {
    let error: unknown;
    try {
      loadConfig(['shopApiPort', 'logLevel', 'maxBodyBytes'], {
        PORT: '70000',
        LOG_LEVEL: 'loud',
        MAX_BODY_BYTES: '-1',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^PORT is malformed/);
    expect(problems[1]).toMatch(/^LOG_LEVEL is malformed: expected one of fatal, error/);
    expect(problems[2]).toMatch(/^MAX_BODY_BYTES is malformed: expected a positive number of bytes/);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig(['inputStream'], { INPUT_STREAM: '' })).toEqual({ inputStream: 'shop-input' });
  });

  it('refuses a system stream as the input stream', () => {
    expect(() => loadConfig(['inputStream'], { INPUT_STREAM: '$all' })).toThrow(/INPUT_STREAM is malformed/);
  });
});

describe('defaults the gateway falls back on when built in code (tests, benchmarks)', () => {
  it('are the configuration defaults', async () => {
    const { DEFAULT_INGEST_RATE_LIMIT } = await import('../shop-api/app');
    const { DEFAULT_MAX_EVENT_BYTES } = await import('../shop-api/ingest/ingest-route');
    const { DEFAULT_JSON_LIMITS } = await import('../shop-api/ingest/json-limits');
    const config = loadConfig(SERVICE_SETTINGS.shopApi, {
      PII_MASTER_KEY: Buffer.alloc(32, 1).toString('base64'),
    });
    expect({
      maxDepth: config.maxJsonDepth,
      maxArrayLength: config.maxJsonArrayLength,
      maxStringLength: config.maxJsonStringLength,
      maxObjectKeys: config.maxJsonObjectKeys,
    }).toEqual(DEFAULT_JSON_LIMITS);
    expect(config.maxEventBytes).toBe(DEFAULT_MAX_EVENT_BYTES);
    expect({ limit: config.ingestRateLimit, windowMs: config.ingestRateWindowMs }).toEqual(
      DEFAULT_INGEST_RATE_LIMIT,
    );
  });
});

describe('the snapshot threshold', () => {
  it('defaults to what the aggregate store falls back on, takes 0 for off, refuses a negative count', async () => {
    const { DEFAULT_SNAPSHOT_AFTER_EVENTS } = await import('../processing/host/snapshot-store');
    expect(loadConfig(['snapshotAfterEvents'], {})).toEqual({
      snapshotAfterEvents: DEFAULT_SNAPSHOT_AFTER_EVENTS,
    });
    expect(loadConfig(['snapshotAfterEvents'], { SNAPSHOT_AFTER_EVENTS: '0' })).toEqual({
      snapshotAfterEvents: 0,
    });
    expect(() => loadConfig(['snapshotAfterEvents'], { SNAPSHOT_AFTER_EVENTS: '-1' })).toThrow(
      'SNAPSHOT_AFTER_EVENTS is malformed',
    );
    expect(SERVICE_SETTINGS.processing).toContain('snapshotAfterEvents');
  });
});
