import { ServerFeaturesClient } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import { Empty } from '@eventstore/db-client/generated/shared_pb';
import type { SupportedMethods } from '@eventstore/db-client/generated/serverfeatures_pb';
import { credentials } from '@grpc/grpc-js';
import { createLogger } from '../../../lib/logger';
import { startEventStore } from '..';
import { startHarness } from './harness';

it('advertises the methods it implements, with persistent features', async () => {
  const harness = await startHarness();
  const raw = new ServerFeaturesClient(`127.0.0.1:${harness.server.port}`, credentials.createInsecure());
  try {
    const methods = await new Promise<SupportedMethods>((resolve, reject) =>
      raw.getSupportedMethods(new Empty(), (error, reply) => (error ? reject(error) : resolve(reply))),
    );
    const names = methods.getMethodsList().map((m) => `${m.getServiceName()}/${m.getMethodName()}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'event_store.client.streams.streams/read',
        'event_store.client.streams.streams/batchappend',
        'event_store.client.streams.streams/tombstone',
      ]),
    );
    const read = methods
      .getMethodsList()
      .find((m) => /persistent/i.test(m.getServiceName()) && m.getMethodName() === 'read');
    expect(read?.getFeaturesList()).toEqual(expect.arrayContaining(['stream', 'all']));
  } finally {
    raw.close();
    await harness.close();
  }
});

it('reports a busy port with code EADDRINUSE', async () => {
  const logger = createLogger('eventstore', { level: 'silent' });
  const first = await startEventStore({ port: 0, logger });
  try {
    await expect(startEventStore({ port: first.port, logger })).rejects.toMatchObject({ code: 'EADDRINUSE' });
  } finally {
    await first.close();
  }
});
