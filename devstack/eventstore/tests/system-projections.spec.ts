import { jsonEvent, NotFoundError, StreamNotFoundError, UnknownError } from '@eventstore/db-client';
import { status } from '@grpc/grpc-js';
import { collect, STANDARD_PROJECTIONS_RUNNING, startHarness, type Harness } from './harness';

const SYSTEM_PROJECTIONS = ['$by_category', '$by_event_type'];

describe('the projections management API for the system projections', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(STANDARD_PROJECTIONS_RUNNING);
  });
  afterAll(() => harness.close());

  it('reports them running, as statistics and in the list of continuous projections', async () => {
    for (const name of SYSTEM_PROJECTIONS) {
      const details = await harness.client.getProjectionStatus(name);
      expect(details).toMatchObject({
        name,
        effectiveName: name,
        projectionStatus: 'Running',
        progress: 100,
      });
    }
    const listed = await harness.client.listProjections();
    expect(listed.map((projection) => projection.name)).toEqual(expect.arrayContaining(SYSTEM_PROJECTIONS));
  });

  it('enables a running system projection (a no-op, as on EventStoreDB)', async () => {
    await harness.client.enableProjection('$by_category');
    await harness.client.enableProjection('$by_event_type');
    await harness.client.appendToStream('proj-1', jsonEvent({ type: 'Projected', data: {} }));
    expect(await collect(harness.client.readStream('$ce-proj'))).toHaveLength(1);
    expect((await harness.client.getProjectionStatus('$by_category')).projectionStatus).toBe('Running');
  });

  it('answers an unknown projection with NOT_FOUND and the real text', async () => {
    await expect(harness.client.enableProjection('no-such')).rejects.toMatchObject({
      code: status.NOT_FOUND,
      message: "5 NOT_FOUND: Projection 'no-such' not found",
    });
    await expect(harness.client.getProjectionStatus('no-such')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('disables one: its links stop, the other keeps going; enabling catches up in order', async () => {
    const { client } = harness;
    const append = (stream: string) =>
      client.appendToStream(stream, jsonEvent({ type: 'Toggled', data: {} }));
    const linked = async (stream: string) =>
      (await collect(client.readStream(stream, { resolveLinkTos: true }))).map((e) => e.event?.streamId);
    await append('tog-1');
    await client.disableProjection('$by_category');
    expect((await client.getProjectionStatus('$by_category')).projectionStatus).toBe('Stopped');
    await append('tog-2');
    await append('tog-3');
    expect(await linked('$ce-tog')).toEqual(['tog-1']);
    expect(await linked('$et-Toggled')).toEqual(['tog-1', 'tog-2', 'tog-3']);
    await client.enableProjection('$by_category');
    expect((await client.getProjectionStatus('$by_category')).projectionStatus).toBe('Running');
    expect(await linked('$ce-tog')).toEqual(['tog-1', 'tog-2', 'tog-3']);
    await append('tog-4');
    expect(await linked('$ce-tog')).toEqual(['tog-1', 'tog-2', 'tog-3', 'tog-4']);
  });

  it('refuses what it cannot do instead of pretending: state, results, user-defined projections', async () => {
    const refused = { code: status.UNIMPLEMENTED };
    await expect(harness.client.getProjectionState('$by_category')).rejects.toBeInstanceOf(UnknownError);
    await expect(harness.client.getProjectionState('$by_category')).rejects.toMatchObject(refused);
    await expect(harness.client.getProjectionResult('$by_category')).rejects.toMatchObject(refused);
    await expect(harness.client.createProjection('mine', 'fromAll().when({})')).rejects.toMatchObject(
      refused,
    );
    await expect(harness.client.resetProjection('$by_category')).rejects.toMatchObject(refused);
  });
});

describe('with the system projections off', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ runProjections: 'system' });
  });
  afterAll(() => harness.close());

  it('reports them stopped; enabling one projects the existing history first', async () => {
    const { client } = harness;
    await client.appendToStream('late-1', jsonEvent({ type: 'Before', data: {} }));
    await client.appendToStream('late-2', jsonEvent({ type: 'Before', data: {} }));
    expect((await client.getProjectionStatus('$by_category')).projectionStatus).toBe('Stopped');
    await client.enableProjection('$by_category');
    await client.appendToStream('late-3', jsonEvent({ type: 'After', data: {} }));
    const links = await collect(client.readStream('$ce-late', { resolveLinkTos: true }));
    expect(links.map((e) => e.event?.streamId)).toEqual(['late-1', 'late-2', 'late-3']);
    await expect(collect(client.readStream('$et-Before'))).rejects.toBeInstanceOf(StreamNotFoundError);
  });
});

describe('with --run-projections none (the default, as on EventStoreDB)', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ startStandardProjections: true });
  });
  afterAll(() => harness.close());

  it('serves no projections API: every call answers UNIMPLEMENTED, as from an unmapped service', async () => {
    const { client } = harness;
    const unmapped = { code: status.UNIMPLEMENTED, message: '12 UNIMPLEMENTED: Service is unimplemented.' };
    await expect(client.getProjectionStatus('$by_category')).rejects.toMatchObject(unmapped);
    await expect(client.listProjections()).rejects.toMatchObject(unmapped);
    await expect(client.enableProjection('$by_category')).rejects.toMatchObject(unmapped);
    await expect(client.disableProjection('$by_event_type')).rejects.toMatchObject(unmapped);
  });

  it('writes no link events, whatever --start-standard-projections says', async () => {
    const { client } = harness;
    await client.appendToStream('quiet-1', jsonEvent({ type: 'Unlinked', data: {} }));
    await expect(collect(client.readStream('$ce-quiet'))).rejects.toBeInstanceOf(StreamNotFoundError);
    await expect(collect(client.readStream('$et-Unlinked'))).rejects.toBeInstanceOf(StreamNotFoundError);
  });
});
