import {
  AccessDeniedError,
  EventStoreDBClient,
  jsonEvent,
  MaxAppendSizeExceededError,
  UnknownError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import { StreamsClient } from '@eventstore/db-client/generated/streams_grpc_pb';
import { ReadReq } from '@eventstore/db-client/generated/streams_pb';
import { credentials as grpcCredentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { collect, startHarness, type Harness } from './harness';

const event = (type: string, data: Record<string, unknown> = {}) => jsonEvent({ type, data });

describe('basic auth', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ credentials: { username: 'admin', password: 'changeit' } });
  });
  afterAll(() => harness.close());

  it('accepts the right credentials over TLS', async () => {
    await harness.client.appendToStream('secure-1', event('A'));
    expect(await collect(harness.client.readStream('secure-1'))).toHaveLength(1);
  });

  it('refuses wrong credentials and calls without credentials', async () => {
    const { caFile, port } = harness.server;
    const wrong = EventStoreDBClient.connectionString(
      `esdb://admin:nope@127.0.0.1:${port}?tls=true&tlsCAFile=${caFile ?? ''}`,
    );
    const anonymous = EventStoreDBClient.connectionString(
      `esdb://127.0.0.1:${port}?tls=true&tlsCAFile=${caFile ?? ''}`,
    );
    try {
      await expect(wrong.appendToStream('secure-2', event('A'))).rejects.toBeInstanceOf(AccessDeniedError);
      await expect(collect(anonymous.readStream('secure-1'))).rejects.toBeInstanceOf(AccessDeniedError);
    } finally {
      await wrong.dispose();
      await anonymous.dispose();
    }
  });
});

describe('the unary Append path and bad input', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ maxAppendSize: 1024 });
  });
  afterAll(() => harness.close());

  // Passing credentials makes the client use Streams.Append instead of BatchAppend (they are ignored without TLS).
  const viaAppend = { credentials: { username: 'x', password: 'y' } };

  it('appends, detects wrong expected versions and oversize appends over Append', async () => {
    const { client } = harness;
    await client.appendToStream('unary-1', event('A'), viaAppend);
    await expect(
      client.appendToStream('unary-1', event('B'), { ...viaAppend, expectedRevision: 5n }),
    ).rejects.toBeInstanceOf(WrongExpectedVersionError);
    await expect(
      client.appendToStream('unary-1', event('Big', { blob: 'x'.repeat(2000) }), viaAppend),
    ).rejects.toBeInstanceOf(MaxAppendSizeExceededError);
    expect(await collect(client.readStream('unary-1'))).toHaveLength(1);
  });

  it('rejects an empty stream name on both append paths', async () => {
    const { client } = harness;
    await expect(client.appendToStream('', event('A'))).rejects.toBeInstanceOf(UnknownError);
    await expect(client.appendToStream('', event('A'), viaAppend)).rejects.toMatchObject({
      code: status.INVALID_ARGUMENT,
    });
  });

  it('answers a malformed read with INVALID_ARGUMENT and keeps serving', async () => {
    const raw = new StreamsClient(`127.0.0.1:${harness.server.port}`, grpcCredentials.createInsecure());
    const error = await new Promise<ServiceError>((resolve) => {
      const call = raw.read(new ReadReq(), new Metadata());
      call.on('error', resolve);
      call.on('data', () => undefined);
    });
    raw.close();
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    await harness.client.appendToStream('still-serving', event('A'));
    expect(await collect(harness.client.readStream('still-serving'))).toHaveLength(1);
  });

  it('answers an unknown method with UNIMPLEMENTED', async () => {
    const raw = new StreamsClient(`127.0.0.1:${harness.server.port}`, grpcCredentials.createInsecure());
    const unknown = await new Promise<ServiceError | null>((resolve) =>
      raw.makeUnaryRequest(
        '/event_store.client.streams.Streams/NoSuchMethod',
        () => Buffer.alloc(0),
        (buffer: Buffer) => buffer,
        {},
        (error) => resolve(error),
      ),
    );
    raw.close();
    expect(unknown?.code).toBe(status.UNIMPLEMENTED);
  });
});
